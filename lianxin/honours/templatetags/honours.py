"""`{% load honours %}{% member_honours member %}` / `{% organization_honours organization %}`: the
honours partial (honours/_honours_of.html) on a member's or an organization's page, read here so
the page's own view needs no change."""

from typing import Any

from django import template

from lianxin.honours.selectors import honours_of_member, honours_of_organization

register = template.Library()


@register.inclusion_tag("honours/_honours_of.html")
def member_honours(member: Any) -> dict[str, Any]:
    return {"honours": honours_of_member(member.pk)}


@register.inclusion_tag("honours/_honours_of.html")
def organization_honours(organization: Any) -> dict[str, Any]:
    return {"honours": honours_of_organization(organization.pk)}

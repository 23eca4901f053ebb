"""Reads of the roster, always through the viewer's scope."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.members.models import Member
from lianxin.members.rules.roster import add_months, rule_value
from lianxin.organizations.models import Organization

FLAG_FIELDS = ("is_mobile", "is_abroad", "is_lost_contact", "is_at_sea")


@dataclass
class MemberFilters:
    """What the member list, its export and the API filter on; every part optional."""

    organization: Organization | None = None  # this organization and its subtree
    category: str = ""  # a category, "party" (probationary and full), "all"; default all but former
    sector: str = ""
    flag: str = ""  # one of FLAG_FIELDS
    warning: str = ""  # "probation_overdue" or "lost_contact"
    query: str = ""  # part of the name


def member_list_visible_to(*, user: Any) -> QuerySet[Member]:
    return Member.objects.filter(roster_scope(user).q("organization__path"))


def member_list_filtered(*, user: Any, filters: MemberFilters, today: date) -> QuerySet[Member]:
    qs = member_list_visible_to(user=user)
    if filters.organization is not None:
        qs = qs.filter(organization__path__startswith=filters.organization.path)
    if filters.category == "all":
        pass
    elif filters.category == "party":
        qs = qs.filter(category__in=Member.PARTY_MEMBER_CATEGORIES)
    elif filters.category in Member.Category.values:
        qs = qs.filter(category=filters.category)
    else:
        qs = qs.filter(category__in=Member.CURRENT_CATEGORIES)
    if filters.sector:
        qs = qs.filter(organization__sector=filters.sector)
    if filters.flag in FLAG_FIELDS:
        qs = qs.filter(**{filters.flag: True})
    if filters.warning == "probation_overdue":
        months = rule_value("probation_months") + rule_value("full_approval_months")
        qs = qs.filter(category=Member.Category.PROBATIONARY, joined_on__lt=add_months(today, -months))
    elif filters.warning == "lost_contact":
        qs = qs.filter(
            is_lost_contact=True, lost_contact_since__lte=add_months(today, -rule_value("lost_contact_months"))
        )
    if filters.query.strip():
        qs = qs.filter(Q(name__contains=filters.query.strip()))
    return qs.select_related("organization", "probation_extension").order_by("name", "id")


def access_member(user: Any, pk: int) -> Member:
    """A member the user may see: in their roster scope, or themselves."""
    member = (
        Member.objects.filter(Q(pk=pk) & (roster_scope(user).q("organization__path") | Q(user_id=user.pk)))
        .select_related("organization", "community")
        .first()
    )
    if member is None:
        raise Http404
    return member

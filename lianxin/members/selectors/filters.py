"""One reading of the member-list query string, shared by the page, its export and the API."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.forms import PlainSelect
from lianxin.core.picker import picker_param
from lianxin.members.models import Member
from lianxin.members.selectors.roster import FLAG_FIELDS, MemberFilters
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import organization_by_code

CATEGORY_CHOICES = [
    ("", _("current (all but former)")),
    ("party", _("Party members (probationary and full)")),
    *Member.Category.choices,
    ("all", _("everyone")),
]
FLAG_CHOICES = [
    ("", _("any")),
    ("is_mobile", _("mobile member")),
    ("is_abroad", _("abroad")),
    ("is_lost_contact", _("lost contact")),
    ("is_at_sea", _("at sea")),
]
WARNING_CHOICES = [
    ("", _("any")),
    ("probation_overdue", _("full membership overdue")),
    ("lost_contact", _("lost contact over 6 months")),
]


class MemberFilterForm(forms.Form):
    # The organization is chosen with a picker (`{% picker "roster_organization" "org" %}` on the page).
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
    # Selects written out in Python (core.forms.PlainSelect): the list is read often, by many at once.
    category = forms.ChoiceField(label=_("Category"), choices=CATEGORY_CHOICES, required=False, widget=PlainSelect)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("any")), *Organization.Sector.choices], required=False, widget=PlainSelect
    )
    flag = forms.ChoiceField(label=_("Flag"), choices=FLAG_CHOICES, required=False, widget=PlainSelect)
    warning = forms.ChoiceField(label=_("Warning"), choices=WARNING_CHOICES, required=False, widget=PlainSelect)


def member_filters_from_params(*, user: Viewer, params: Mapping[str, Any]) -> tuple[MemberFilters, MemberFilterForm]:
    """Parse list filters; an organization outside the viewer's scope is not found (404).

    `org` is an organization code (the picker sends it; links use it: stable, readable URLs); without
    JavaScript the picker's text box (`org_q`) may name one by its code or full name.
    """
    form = MemberFilterForm(params)
    form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    organization = None
    org_param = picker_param(params, "org", kind="roster_organization", user=user)
    if org_param:
        # People type the name they know; links carry the code.
        scope = roster_scope(user)
        organization = (
            organization_by_code(user=user, code=org_param, scope=scope)
            or Organization.objects.filter(scope.q("path"), name=org_param).order_by("path").first()
        )
        if organization is None:
            raise Http404
    filters = MemberFilters(
        organization=organization,
        category=data.get("category") or "",
        sector=data.get("sector") or "",
        flag=str(data.get("flag")) if data.get("flag") in FLAG_FIELDS else "",
        warning=data.get("warning") or "",
        query=data.get("q") or "",
    )
    return filters, form

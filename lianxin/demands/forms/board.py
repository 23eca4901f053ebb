"""Forms of the board: the period and place of the public board, summary review, notices."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.demands.selectors.board import organizations_in_care
from lianxin.demands.services.board import SUMMARY_MAX_CHARS
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.selectors import area_by_code, organization_by_code


class BoardFilterForm(forms.Form):
    """`?from=&to=&org=&area=` of the public board; every field may be left out."""

    start = SaneDateField(label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = SaneDateField(label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    org = forms.CharField(label=_("Organization code"), max_length=32, required=False)
    area = forms.CharField(label=_("Area code"), max_length=32, required=False)

    def __init__(self, data: Any, **kwargs: Any) -> None:
        # The query string says from/to; "from" is a Python keyword, so the fields are start/end.
        values = {
            "start": data.get("from", ""),
            "end": data.get("to", ""),
            "org": data.get("org", ""),
            "area": data.get("area", ""),
        }
        super().__init__(values, **kwargs)

    def clean_org(self) -> Organization | None:
        code = self.cleaned_data["org"].strip()
        if not code:
            return None
        # The public board speaks for any organization: the tree is a public fact.
        organization = organization_by_code(user=None, code=code)
        if organization is None:
            raise forms.ValidationError(_("No organization has the code %(code)s.") % {"code": code})
        return organization

    def clean_area(self) -> Area | None:
        code = self.cleaned_data["area"].strip()
        if not code:
            return None
        area = area_by_code(code)
        if area is None:
            raise forms.ValidationError(_("No area has the code %(code)s.") % {"code": code})
        return area

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it begins."))
        if (start is None) != (end is None) and not self.errors:
            raise forms.ValidationError(_("Give both the first and the last day of the period."))
        return data


class NoticeItemForm(forms.Form):
    demand = BoundedIntegerField(min_value=1)


class SummaryReviewForm(forms.Form):
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=SUMMARY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done, without names, phone or ID numbers. The public board shows only this."),
    )


def _month_choices() -> list[tuple[str, str]]:
    today = timezone.localdate()
    months = []
    year, month = today.year, today.month
    for _i in range(24):
        months.append((f"{year}-{month:02d}", f"{year}-{month:02d}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class NoticeForm(forms.Form):
    organization = forms.CharField(
        label=_("Organization code"), max_length=32, help_text=_("The organization whose area the notice covers.")
    )
    month = forms.ChoiceField(label=_("Month"), choices=())
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=120,
        required=False,
        help_text=_("Left empty: the month's standard title."),
    )
    introduction = forms.CharField(
        label=_("Introduction (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        own = organizations_in_care(user=user).first()
        if own is not None:
            self.fields["organization"].initial = own.code
        choices = _month_choices()
        self.fields["month"].choices = choices  # type: ignore[attr-defined]
        if len(choices) > 1:
            self.fields["month"].initial = choices[1][0]

    def clean_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)

    def clean_organization(self) -> Organization:
        code = self.cleaned_data["organization"].strip()
        organization = organization_by_code(user=self.user, code=code, scope=roster_scope(self.user))
        if organization is None:
            raise forms.ValidationError(_("No organization in your care has the code %(code)s.") % {"code": code})
        return organization

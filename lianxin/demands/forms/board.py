"""Forms of the board: the period and place of the public board, summary review, notices."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.core.picker import PickerField, scope_pickers
from lianxin.demands.selectors.board import organizations_in_care
from lianxin.demands.services.board import SUMMARY_MAX_CHARS


class BoardFilterForm(forms.Form):
    """`?from=&to=&org=&area=` of the public board; every field may be left out."""

    start = SaneDateField(label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = SaneDateField(label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # The public board speaks for any organization and any place: both are public facts.
    org = PickerField("public_organization", label=_("Organization"), required=False)
    area = PickerField("area", label=_("Area"), required=False)

    def __init__(self, data: Any, **kwargs: Any) -> None:
        # The query string says from/to; "from" is a Python keyword, so the fields are start/end.
        # `org_q`/`area_q`: what was typed in a picker's box when the page ran without JavaScript.
        names = ("org", "org_q", "area", "area_q")
        values = {"start": data.get("from", ""), "end": data.get("to", ""), **{n: data.get(n, "") for n in names}}
        super().__init__(values, **kwargs)
        scope_pickers(self, None)

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
    organization = PickerField(
        "roster_organization",
        label=_("Organization"),
        help_text=_("The organization whose area the notice covers."),
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
        scope_pickers(self, user)
        own = organizations_in_care(user=user).first()
        if own is not None:
            self.fields["organization"].initial = own
        choices = _month_choices()
        self.fields["month"].choices = choices  # type: ignore[attr-defined]
        if len(choices) > 1:
            self.fields["month"].initial = choices[1][0]

    def clean_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)

"""The forms of the organization pages; their querysets come from the selectors."""

from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.core.parsing import ParseError, parse_date
from lianxin.organizations.models import CommitteeSeat


class ChineseDateField(SaneDateField):
    """Accepts what people type: 2024-07-01, 2024/7/1, 2024年7月1日, 20240701."""

    def to_python(self, value: object) -> date | None:
        try:
            return parse_date(value)
        except ParseError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from exc


class OrganizationCodeField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)  # type: ignore[arg-type]


class MoveForm(forms.Form):
    new_parent = OrganizationCodeField(label=_("Move under (code of the new parent)"))


class MergeForm(forms.Form):
    target = OrganizationCodeField(label=_("Merge into (code)"))
    merged_on = ChineseDateField(label=_("Date"))
    letter_number = forms.CharField(label=_("Letter number"), max_length=60, required=False)


class DissolveForm(forms.Form):
    dissolved_on = ChineseDateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class SeatForm(forms.Form):
    """`candidates`: the branch's full members without a seat (selectors.seat_candidates)."""

    member: forms.ModelChoiceField[models.Model] = forms.ModelChoiceField(queryset=None, label=_("Full member"))
    role = forms.ChoiceField(choices=CommitteeSeat.Role.choices, label=_("Role"))
    since = ChineseDateField(label=_("Since"))

    def __init__(self, *args: Any, candidates: QuerySet[models.Model], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = candidates


class SeatEndForm(forms.Form):
    seat = BoundedIntegerField(widget=forms.HiddenInput)
    until = ChineseDateField(label=_("Until"))

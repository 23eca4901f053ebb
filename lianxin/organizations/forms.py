"""The forms of the organization pages; their querysets come from the selectors."""

from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.core.parsing import ParseError, parse_date
from lianxin.core.picker import PickerField, scope_pickers
from lianxin.core.types import Person
from lianxin.organizations.models import CommitteeSeat


class ChineseDateField(SaneDateField):
    """Accepts what people type: 2024-07-01, 2024/7/1, 2024年7月1日, 20240701."""

    def to_python(self, value: object) -> date | None:
        try:
            return parse_date(value)
        except ParseError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from exc


class ScopedForm(forms.Form):
    """A form whose pickers offer what `user` may choose (each kind's scope; None: the public set)."""

    def __init__(self, *args: Any, user: Person = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)


class MoveForm(ScopedForm):
    new_parent = PickerField("managed_organization", label=_("Move under"))


class MergeForm(ScopedForm):
    target = PickerField("managed_organization", label=_("Merge into"))
    merged_on = ChineseDateField(label=_("Date"))
    letter_number = forms.CharField(label=_("Letter number"), max_length=60, required=False)


class DissolveForm(ScopedForm):
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

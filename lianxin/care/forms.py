"""The forms of care: hardship records, rounds, budgets, drawing and adding recipients, visits."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.care.models import CareRound, HardshipRecord, TargetGroup
from lianxin.care.rules.recipients import MAX_HONOUR_YEARS, MAX_YEARS, Rule
from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.core.picker import PickerField
from lianxin.honours.selectors import HONOUR_KINDS
from lianxin.members.pickers import member_scope
from lianxin.organizations.pickers import managed_organization_scope

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Yuan typed on a phone: the number pad with a decimal point.
YUAN = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})

RULE_CHOICES = [
    (Rule.PARTY_AGE, _("Party age of at least N years (from becoming a full member)")),
    (Rule.AGE, _("Age of at least N years")),
    (Rule.PRE_1949, _("Joined the Party before 1 October 1949")),
    (Rule.HARDSHIP, _("An active hardship record")),
    (Rule.HONOURED, _("Honoured within the last N years")),
]
HONOUR_CHOICES = [
    ("outstanding_member", _("outstanding Party member")),
    ("outstanding_worker", _("outstanding Party worker")),
    ("medal_50", _("50 years in the Party medal")),
]
assert {k for k, _label in HONOUR_CHOICES} == set(HONOUR_KINDS)


class _Scoped(forms.Form):
    """A form whose pickers offer what the user manages."""

    pickers: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.pickers:
            field = self.fields[name]
            if field.kind_name == "member":  # type: ignore[attr-defined]
                field.queryset = member_scope(user)  # type: ignore[attr-defined]
            else:
                field.queryset = managed_organization_scope(user)  # type: ignore[attr-defined]


class HardshipFields(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=HardshipRecord.Level.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=HardshipRecord.Reason.choices)
    note = forms.CharField(label=_("Note (what the hardship is)"), max_length=200, required=False)
    since = SaneDateField(label=_("In hardship since"), widget=DATE)


class HardshipForm(_Scoped, HardshipFields):
    pickers = ("member",)
    member = PickerField("member", label=_("Member"))
    field_order = ["member", "level", "reason", "note", "since"]


class HardshipReviewForm(forms.Form):
    on = SaneDateField(label=_("Reviewed on"), widget=DATE, initial=timezone.localdate)
    level = forms.ChoiceField(label=_("Level found"), choices=HardshipRecord.Level.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class HardshipEndForm(forms.Form):
    on = SaneDateField(label=_("Ended on"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("Why it ended"), max_length=200)


class RoundForm(_Scoped):
    pickers = ("organization",)
    title = forms.CharField(label=_("Title"), max_length=100)
    occasion = forms.ChoiceField(label=_("Occasion"), choices=CareRound.Occasion.choices)
    year = BoundedIntegerField(label=_("Year"), min_value=2000, max_value=2100)
    on = SaneDateField(label=_("Reference date (ages counted to it)"), widget=DATE)
    organization = PickerField("managed_organization", label=_("Organized by"))
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class BudgetForm(_Scoped):
    prefix = "budget"  # beside the recipient form on the round's page
    pickers = ("organization",)
    organization = PickerField("managed_organization", label=_("Organization"))
    amount = forms.DecimalField(label=_("Budget (yuan)"), max_digits=12, decimal_places=2, widget=YUAN)


class DrawForm(_Scoped):
    """The rule of a draw (read from the query for the preview, posted again with the ticked members)."""

    pickers = ("organization",)
    rule = forms.ChoiceField(label=_("Draw rule"), choices=RULE_CHOICES)
    years = BoundedIntegerField(
        label=_("N (years)"), min_value=0, max_value=MAX_YEARS, required=False, help_text=_("for the rules with N")
    )
    honour_kinds = forms.MultipleChoiceField(
        label=_("Honours"), choices=HONOUR_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    organization = PickerField("managed_organization", label=_("Among the members of"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule, years = data.get("rule"), data.get("years")
        if rule in (Rule.PARTY_AGE, Rule.AGE, Rule.HONOURED) and not years:
            raise forms.ValidationError(_("Give N, the number of years the rule asks for."))
        if rule == Rule.HONOURED:
            if (years or 0) > MAX_HONOUR_YEARS:
                raise forms.ValidationError(_("Honours count within at most %(n)s years.") % {"n": MAX_HONOUR_YEARS})
            if not data.get("honour_kinds"):
                raise forms.ValidationError(_("Choose at least one honour."))
        return data


class RecipientForm(_Scoped):
    prefix = "recipient"
    pickers = ("member", "organization")
    group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    member = PickerField("member", label=_("Member on the roster"), required=False)
    name = forms.CharField(label=_("Or: name of a person not on the roster"), max_length=50, required=False)
    note = forms.CharField(label=_("Short note (no ID or phone numbers)"), max_length=200, required=False)
    organization = PickerField(
        "managed_organization", label=_("Organization that visits (for a person not on the roster)"), required=False
    )


class VisitForm(_Scoped):
    pickers = ("organization",)
    organization = PickerField("managed_organization", label=_("Visiting organization"))
    visitors = forms.CharField(label=_("Who visited (names)"), max_length=200)
    visited_on = SaneDateField(label=_("Visited on"), widget=DATE, initial=timezone.localdate)
    money = forms.DecimalField(label=_("Money (yuan)"), max_digits=12, decimal_places=2, required=False, widget=YUAN)
    goods = forms.CharField(label=_("Goods"), max_length=200, required=False)
    goods_value = forms.DecimalField(
        label=_("Value of goods (yuan)"), max_digits=12, decimal_places=2, required=False, widget=YUAN
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    photo = forms.FileField(label=_("Photo (optional)"), required=False)

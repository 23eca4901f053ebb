"""Input of a round: opening it, quotas, nominating, review, publicity, objections, ceremony."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.core.picker import PickerField
from lianxin.honours.models import AwardKind
from lianxin.honours.rules.eligibility import PUBLICITY_MAX_WORKING_DAYS, PUBLICITY_MIN_WORKING_DAYS
from lianxin.honours.services.nominations import DEEDS_MAX, NOTE_MAX
from lianxin.organizations.models import Organization

QUOTA_MAX = 10_000


class RoundForm(forms.Form):
    owner = PickerField("managed_organization", label=_("Organizing organization"))
    year = BoundedIntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120)
    outstanding_member = BoundedIntegerField(
        label=_("Outstanding Communist Party members"), min_value=0, max_value=QUOTA_MAX, initial=0
    )
    outstanding_worker = BoundedIntegerField(
        label=_("Outstanding Party workers"), min_value=0, max_value=QUOTA_MAX, initial=0
    )
    advanced_organization = BoundedIntegerField(
        label=_("Advanced primary Party organizations"), min_value=0, max_value=QUOTA_MAX, initial=0
    )


class QuotaForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Hand down to"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Award"), choices=AwardKind.choices)
    count = BoundedIntegerField(label=_("Places"), min_value=0, max_value=QUOTA_MAX)

    def __init__(self, *args: Any, children: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = children  # type: ignore[attr-defined]


class NominationForm(forms.Form):
    nominated_by = forms.ModelChoiceField(label=_("Nominated by"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Award"), choices=AwardKind.choices)
    member = PickerField("member", label=_("Member (for a member's award)"), required=False)
    nominee_organization = PickerField(
        "roster_organization", label=_("Organization (for an advanced organization)"), required=False
    )
    deeds = forms.CharField(label=_("Deeds, in short"), max_length=DEEDS_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    no_discipline_confirmed = forms.BooleanField(
        label=_("I confirm no disciplinary action is in force against the nominee"), required=False
    )

    def __init__(self, *args: Any, holders: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominated_by"].queryset = holders  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("recommend", _("Recommend")), ("not", _("Do not recommend"))]
    )
    note = forms.CharField(label=_("Note (needed when not recommending)"), max_length=NOTE_MAX, required=False)


class PublicityForm(forms.Form):
    starts_on = SaneDateField(
        label=_("Publicity starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    working_days = BoundedIntegerField(
        label=_("Working days"),
        min_value=PUBLICITY_MIN_WORKING_DAYS,
        max_value=PUBLICITY_MAX_WORKING_DAYS,
        initial=PUBLICITY_MIN_WORKING_DAYS,
    )


class ObjectionForm(forms.Form):
    received_on = SaneDateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    content = forms.CharField(label=_("Objection"), max_length=500)


class ObjectionDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("dismissed", _("Dismissed")), ("upheld", _("Upheld: withdraw the nomination"))]
    )
    note = forms.CharField(label=_("What was found"), max_length=300)


class CeremonyForm(forms.Form):
    held_on = SaneDateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("Place"), max_length=120)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

"""Forms of the handling part: recording a demand, and the actions on a demand's page.

Required texts (reasons, what was done) are checked by the services, so a page and the API
give the same message."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.core.picker import PickerField
from lianxin.demands.models import Demand
from lianxin.demands.selectors.handling import active_categories, active_units, collecting_organizations
from lianxin.organizations.models import Area

Status = Demand.Status

# What staff may say a demand they record came from (residents, Open311 and modules have their own ways in).
STAFF_SOURCES = [
    (Demand.Source.STAFF, Demand.Source.STAFF.label),
    (Demand.Source.VISIT, Demand.Source.VISIT.label),
    (Demand.Source.RESEARCH, Demand.Source.RESEARCH.label),
    (Demand.Source.FACE_TO_FACE, Demand.Source.FACE_TO_FACE.label),
    (Demand.Source.HOTLINE, Demand.Source.HOTLINE.label),
]


def _text(label: Any, *, rows: int = 3, max_length: int = 2000, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class DemandForm(forms.Form):
    source = forms.ChoiceField(label=_("Where it came from"), choices=STAFF_SOURCES)
    hotline_number = forms.CharField(label=_("12345 work order number"), max_length=40, required=False)
    organization = PickerField("collecting_organization", label=_("Collecting organization"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=active_categories())
    area = PickerField("area", label=_("Town or community"), queryset=Area.objects.filter(depth__gt=1))
    address = forms.CharField(label=_("Address or place"), max_length=200, required=False)
    title = forms.CharField(label=_("The demand in a few words"), max_length=120)
    description = _text(_("Description"), rows=4, required=True)
    submitter_name = forms.CharField(label=_("Resident (optional)"), max_length=50, required=False)
    submitter_phone = forms.CharField(
        label=_("Resident's phone (optional, never public)"), max_length=20, required=False
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = collecting_organizations(user=user)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = _text(_("Note"), rows=2)


class RejectForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Turn away as"),
        choices=[(Status.NOT_OURS, Status.NOT_OURS.label), (Status.DUPLICATE, Status.DUPLICATE.label)],
    )
    duplicate_of = BoundedIntegerField(label=_("Duplicate of demand number"), min_value=1, required=False)
    reason = _text(_("Reason"), rows=2, max_length=300)


class AssignForm(forms.Form):
    # Any active organization (selectors.active_units), found by name, pinyin initials or code.
    unit = PickerField("public_organization", label=_("Responsible unit"), queryset=active_units())
    days = BoundedIntegerField(
        label=_("Working days to handle it (empty: the category's)"), min_value=1, max_value=60, required=False
    )
    deadline = SaneDateField(
        label=_("Or a deadline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = _text(_("Note"), rows=2)


class ReassignForm(forms.Form):
    unit = PickerField("public_organization", label=_("New responsible unit"), queryset=active_units())
    days = BoundedIntegerField(
        label=_("Working days to handle it (empty: the category's)"), min_value=1, max_value=60, required=False
    )
    deadline = SaneDateField(
        label=_("Or a deadline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = _text(_("Why it goes to another unit"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reassign_%s")
        super().__init__(*args, **kwargs)


class ResolveForm(forms.Form):
    # Not "What was done" (服务内容, a volunteer's service): a demand is resolved (办理结果).
    resolution = _text(_("How it was resolved"), rows=3)


class UnresolvableForm(forms.Form):
    explanation = _text(_("Why it cannot be resolved"), rows=3)


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(
        label=_("The resident's answer"), choices=Demand.Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = _text(_("What the resident said"), rows=2, max_length=500)

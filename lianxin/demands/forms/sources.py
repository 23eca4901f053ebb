"""Forms of the pages that record where demands come from; the services check every rule again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.core.picker import PickerField
from lianxin.demands.models import ResearchTopic, Visit
from lianxin.demands.selectors.handling import active_categories
from lianxin.demands.selectors.sources import areas_within, organizations_for, topics_to_choose
from lianxin.demands.services.hotline import MAX_UPLOAD_BYTES
from lianxin.organizations.models import Organization

DATE = forms.DateInput(attrs={"type": "date"})


class _OrganizationForm(forms.Form):
    """A form whose record belongs to one of the user's organizations (fixed once created). Both the
    organization and the area are chosen with a picker (found by name, pinyin initials or code) and
    post the code; the querysets below are what may be chosen, anything else is refused."""

    def __init__(self, *args: Any, user: Viewer, fixed: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = organizations_for(user)
        if fixed is None:
            field = PickerField("managed_organization", label=_("Organization"), queryset=organizations)
            self.fields = {"organization": field, **self.fields}
        if "area" in self.fields:
            # A record's own organization keeps its areas even once it is closed.
            paths = [fixed.area.path] if fixed else list(organizations.values_list("area__path", flat=True))
            self.fields["area"].queryset = areas_within(paths)  # type: ignore[attr-defined]


class VisitForm(_OrganizationForm):
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=Visit.Kind.choices)
    visited = forms.CharField(label=_("Visited (household, enterprise or person)"), max_length=120)
    area = PickerField("source_area", label=_("Area"))
    visited_on = SaneDateField(label=_("Date"), widget=DATE)
    visitors = forms.CharField(label=_("Visitors"), max_length=200)
    findings = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    topic: forms.ModelChoiceField[ResearchTopic] = forms.ModelChoiceField(
        label=_("Research topic (optional)"), queryset=None, required=False
    )

    def __init__(self, *args: Any, user: Viewer, fixed: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, fixed=fixed, **kwargs)
        topics = topics_to_choose(user=user, keep=self.initial.get("topic"))
        self.fields["topic"].queryset = topics  # type: ignore[attr-defined]


class TopicForm(_OrganizationForm):
    title = forms.CharField(label=_("Topic"), max_length=200)
    leader = forms.CharField(label=_("Research leader"), max_length=60)
    is_key = forms.BooleanField(label=_("Key topic"), required=False)
    starts_on = SaneDateField(label=_("Research starts on"), widget=DATE)
    ends_on = SaneDateField(label=_("Research ends on"), widget=DATE)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ConcludeForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))


class FaceToFaceForm(_OrganizationForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    area = PickerField("source_area", label=_("Area"))
    held_on = SaneDateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    attendance = BoundedIntegerField(label=_("Residents attending"), min_value=0, initial=0, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class HotlineImportForm(_OrganizationForm):
    file = forms.FileField(label=_("Work orders (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file; record nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class DemandFromForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Demand category"), queryset=active_categories())
    description = forms.CharField(
        label=_("Why it becomes a demand (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

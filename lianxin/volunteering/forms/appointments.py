"""Forms of the appointment pages; the services check every rule again."""

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.core.forms import IdsChoiceField, SaneDateField
from lianxin.core.picker import PickerField
from lianxin.organizations.models import Area
from lianxin.volunteering.forms.touring import DateInput, TimeInput
from lianxin.volunteering.models import AppointmentService, ServiceCategory
from lianxin.volunteering.selectors.catalogue import menu_categories, organizations_managed_by
from lianxin.volunteering.selectors.touring import stop_areas

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
_TIME_RANGE = re.compile(r"^(\d{1,2})[:：](\d{2})\s*[-–~～至到]\s*(\d{1,2})[:：](\d{2})$")


def parse_time_ranges(text: str) -> list[tuple[time, time]]:
    """ "09:00-10:00, 14:00-15:30" (Chinese punctuation too) -> [(09:00, 10:00), (14:00, 15:30)]."""
    ranges = []
    for part in re.split(r"[,，;；、\s]+(?=\d)", text.strip()):
        match = _TIME_RANGE.match(part.strip())
        if not match:
            raise ValidationError(
                _("Write each time as 09:00-10:00, separated by commas: %(part)s is not one."),
                params={"part": part.strip() or "—"},
                code="time_format",
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            ranges.append((time(h1, m1), time(h2, m2)))
        except ValueError:
            raise ValidationError(
                _("%(part)s is not a time of day."), params={"part": part.strip()}, code="time_value"
            ) from None
    return ranges


class AppointmentServiceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    organization = PickerField("managed_organization", label=_("Unit"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=ServiceCategory.objects.none(), required=False)
    description = forms.CharField(
        label=_("What the service offers and who may book it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    areas = IdsChoiceField(
        label=_("Areas served"), queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_published = forms.BooleanField(label=_("Open for booking on the public page"), required=False, initial=True)

    def __init__(self, *args: Any, user: Viewer, service: AppointmentService | None = None, **kwargs: Any) -> None:
        if service is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": service.title,
                    "category": service.category,
                    "description": service.description,
                    "areas": list(service.areas.all()),
                    "is_published": service.is_published,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = menu_categories()  # type: ignore[attr-defined]
        if service is not None:
            del self.fields["organization"]
            self.fields["areas"].queryset = stop_areas(service.organization)  # type: ignore[attr-defined]
        else:
            organizations = organizations_managed_by(user=user)
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
            first = organizations.select_related("area").first()
            self.fields["areas"].queryset = stop_areas(first)  # type: ignore[attr-defined]


class SlotForm(forms.Form):
    date = SaneDateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)

    def datetimes(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return (
            timezone.make_aware(datetime.combine(data["date"], data["starts_at"])),
            timezone.make_aware(datetime.combine(data["date"], data["ends_at"])),
        )


class BulkSlotForm(forms.Form):
    first_day = SaneDateField(label=_("First day"), widget=DateInput())
    last_day = SaneDateField(label=_("Last day"), widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    times = forms.CharField(
        label=_("Times each day"),
        max_length=300,
        help_text=_("For example 09:00-10:00, 14:00-15:30"),
        widget=forms.TextInput(attrs={"placeholder": "09:00-10:00, 14:00-15:30"}),
    )
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)

    def clean_times(self) -> list[tuple[time, time]]:
        return parse_time_ranges(self.cleaned_data["times"])


class BookingForm(forms.Form):
    contact_name = forms.CharField(label=_("Contact name"), max_length=50)
    contact_phone = forms.CharField(
        label=_("Mobile number (only the unit sees it, masked)"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    unit_name = forms.CharField(label=_("Enterprise or unit (optional)"), max_length=120, required=False)
    note = forms.CharField(
        label=_("What you need (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

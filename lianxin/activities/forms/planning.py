"""Forms of the activity pages; the services check the rules, the forms only read the input.
The organizations and people to choose from come from the views' selectors."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Attendance, Kind
from lianxin.core.forms import BoundedIntegerField, IdsChoiceField
from lianxin.core.params import validate_date_in_range
from lianxin.core.picker import PickerField
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        validators=[validate_date_in_range],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ActivityForm(forms.Form):
    # Found by name, pinyin initials or code among the organizations the user plans for.
    organization = PickerField("roster_organization", label=_("Organization"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization] | None, **kwargs: Any) -> None:
        """`organizations` to choose from when planning; None when changing (the organization stays)."""
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class JointEventForm(forms.Form):
    organizer = PickerField("roster_organization", label=_("Organizer"))
    all_under = forms.BooleanField(label=_("Every organization under the organizer with members"), required=False)
    organizations: IdsChoiceField[Organization] = IdsChoiceField(
        label=_("Or these organizations"), queryset=None, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["organizations"].queryset = organizations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("all_under") and not data.get("organizations"):
            raise forms.ValidationError(_("Choose the organizations taking part."))
        return data


# The words the services use, so an empty field reads the same from a form as from the API.
NAME_HOST = {"required": _("Name the host and the recorder.")}
WRITE_MINUTES = {"required": _("Write the minutes of the activity.")}


class HoldForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    host = forms.CharField(label=_("Host"), max_length=60, error_messages=NAME_HOST)
    recorder = forms.CharField(label=_("Recorder"), max_length=60, error_messages=NAME_HOST)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), error_messages=WRITE_MINUTES
    )


class MinutesForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    host = forms.CharField(label=_("Host"), max_length=60)
    recorder = forms.CharField(label=_("Recorder"), max_length=60)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=200, error_messages={"required": _("Give the reason for cancelling.")}
    )


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )


class RecordForm(forms.Form):
    member = BoundedIntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Attendance"),
        # A blank first choice, so a row not yet recorded is not marked present by a stray click.
        choices=[("", "—"), *((s, label) for s, label in Attendance.Status.choices if s != Attendance.Status.UNKNOWN)],
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class BulkRecordForm(forms.Form):
    """One status for many: everyone expected not yet recorded, or the people ticked (read by the view)."""

    everyone = forms.BooleanField(required=False)
    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[(s, label) for s, label in Attendance.Status.choices if s != Attendance.Status.UNKNOWN],
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class AddAttendeeForm(forms.Form):
    # Found by name or pinyin initials; only the candidates the view gives may be chosen.
    member = PickerField(
        "member",
        label=_("Person of this organization"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Choose someone of this organization who is not on the list yet, "
                "or enter their citizen ID or mobile number."
            )
        },
    )
    number = forms.CharField(label=_("Or: citizen ID or mobile number"), max_length=30, required=False)
    role = forms.ChoiceField(
        label=_("As"),
        choices=[(r, label) for r, label in Attendance.Role.choices if r != Attendance.Role.EXPECTED],
    )

    def __init__(self, *args: Any, candidates: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("member") and not data.get("number", "").strip():
            raise forms.ValidationError(_("Choose a person or enter their citizen ID or mobile number."))
        return data

"""Forms of the session pages; the services check the rules, the forms only read the input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.core.forms import BoundedIntegerField
from lianxin.core.params import validate_date_in_range
from lianxin.core.picker import PickerField, scope_pickers
from lianxin.organizations.models import Area
from lianxin.volunteering.models import Order, ServiceItem, Session, Team
from lianxin.volunteering.selectors.sessions import session_areas, session_items, session_teams, teams_managed_by

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class LocalDateTimeField(forms.DateTimeField):
    """A `datetime-local` input, read in the formats browsers send, inside the calendar's range."""

    input_formats = DATETIME_FORMATS
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_validators = [validate_date_in_range]


class SessionForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    title = forms.CharField(label=_("Title"), max_length=120)
    item = forms.ModelChoiceField(label=_("Service (optional)"), queryset=ServiceItem.objects.none(), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_at = LocalDateTimeField(label=_("Starts at"))
    ends_at = LocalDateTimeField(label=_("Ends at"))
    slots = BoundedIntegerField(label=_("Volunteers needed"), min_value=1, max_value=10000)

    def __init__(
        self, *args: Any, user: Viewer, order: Order | None = None, session: Session | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if session is not None:
            teams = [session.team]
            del self.fields["team"]
        elif order is not None and order.team is not None:
            teams = [order.team]
            self.fields["team"].queryset = session_teams(order.team)  # type: ignore[attr-defined]
            self.fields["team"].initial = order.team.pk
        else:
            managed = teams_managed_by(user=user)
            teams = list(managed)
            self.fields["team"].queryset = managed  # type: ignore[attr-defined]
        self.fields["item"].queryset = session_items(teams)  # type: ignore[attr-defined]
        extra = order.area if order is not None else None
        self.fields["area"].queryset = session_areas(teams, extra)  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class HeldForm(forms.Form):
    beneficiaries = BoundedIntegerField(label=_("People served (person-times)"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )


class HoursForm(forms.Form):
    signup = BoundedIntegerField(widget=forms.HiddenInput)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AddVolunteerForm(forms.Form):
    # Found by name or pinyin initials among those the user may sign up (volunteering/pickers.py);
    # without JavaScript, a user name or mobile number typed whole.
    login = PickerField(
        "user",
        label=_("Volunteer"),
        error_messages={"invalid_choice": _("No user with that user name or mobile number.")},
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)

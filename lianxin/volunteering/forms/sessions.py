"""Forms of the session pages; the services check the rules, the forms only read the input."""

from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import BoundedIntegerField
from lianxin.core.params import validate_date_in_range
from lianxin.organizations.models import Area
from lianxin.volunteering.models import Order, ServiceItem, Session, Team
from lianxin.volunteering.selectors.sessions import teams_managed_by

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        validators=[validate_date_in_range],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _areas_for(teams: list[Team], extra: Area | None) -> Any:
    """The areas under the teams' organizations and the areas they serve (and the order's area)."""
    paths = {t.organization.area.path for t in teams}
    for team in teams:
        paths.update(team.areas.values_list("path", flat=True))
    q = reduce(or_, (Q(path__startswith=p) for p in sorted(paths)), Q(pk__in=[]))
    if extra is not None:
        q |= Q(pk=extra.pk)
    return Area.objects.filter(q).order_by("path")


class SessionForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    title = forms.CharField(label=_("Title"), max_length=120)
    item = forms.ModelChoiceField(label=_("Service (optional)"), queryset=ServiceItem.objects.none(), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    slots = BoundedIntegerField(label=_("Volunteers needed"), min_value=1, max_value=10000)

    def __init__(
        self, *args: Any, user: Any, order: Order | None = None, session: Session | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if session is not None:
            teams = [session.team]
            del self.fields["team"]
        elif order is not None and order.team is not None:
            teams = [order.team]
            self.fields["team"].queryset = Team.objects.filter(pk=order.team.pk)  # type: ignore[attr-defined]
            self.fields["team"].initial = order.team.pk
        else:
            managed = teams_managed_by(user=user)
            teams = list(managed)
            self.fields["team"].queryset = managed  # type: ignore[attr-defined]
        self.fields["item"].queryset = ServiceItem.objects.filter(  # type: ignore[attr-defined]
            team__in=[t.pk for t in teams], is_active=True
        ).select_related("team")
        self.fields["area"].queryset = _areas_for(teams, order.area if order is not None else None)  # type: ignore[attr-defined]


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
    login = forms.CharField(label=_("Volunteer's user name or mobile number"), max_length=150)

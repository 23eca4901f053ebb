"""Forms of the touring pages; the services check every rule again, these only offer sensible choices."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.core.forms import BoundedIntegerField, IdsChoiceField, SaneDateField
from lianxin.core.picker import PickerField
from lianxin.organizations.models import Area
from lianxin.volunteering.models import ServiceItem, Team, Tour
from lianxin.volunteering.selectors.catalogue import organizations_managed_by
from lianxin.volunteering.selectors.touring import item_choices, stop_areas, team_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class TourForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    organization = PickerField("managed_organization", label=_("Organizer"))
    starts_on = SaneDateField(label=_("First day"), widget=DateInput())
    ends_on = SaneDateField(label=_("Last day"), widget=DateInput())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user: Viewer, tour: Tour | None = None, **kwargs: Any) -> None:
        if tour is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": tour.title,
                    "organization": tour.organization,
                    "starts_on": tour.starts_on,
                    "ends_on": tour.ends_on,
                    "description": tour.description,
                },
            )
        super().__init__(*args, **kwargs)
        if tour is not None:
            # The organizer of an existing tour does not change; a new tour would be planned instead.
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations_managed_by(user=user)  # type: ignore[attr-defined]


class TeamChoiceField(IdsChoiceField[Team]):
    def label_from_instance(self, obj: Team) -> str:
        return obj.name


class ItemChoiceField(IdsChoiceField[ServiceItem]):
    def label_from_instance(self, obj: ServiceItem) -> str:
        return f"{obj.title}（{obj.team.name}）"


class TourStopForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Town"), queryset=Area.objects.none())
    date = SaneDateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput())
    teams = TeamChoiceField(
        label=_("Teams"), queryset=Team.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    items = ItemChoiceField(
        label=_("Services (offered by the teams above)"),
        queryset=ServiceItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, tour: Tour, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = stop_areas(tour.organization)  # type: ignore[attr-defined]
        self.fields["teams"].queryset = team_choices()  # type: ignore[attr-defined]
        self.fields["items"].queryset = item_choices()  # type: ignore[attr-defined]
        self.fields["date"].widget.attrs.update(min=tour.starts_on.isoformat(), max=tour.ends_on.isoformat())


class BeneficiariesForm(forms.Form):
    beneficiaries = BoundedIntegerField(label=_("People served (person-times)"), min_value=0)


class ConfirmForm(forms.Form):
    """A button with nothing to fill in (publish, remove): the CSRF token is all it carries."""

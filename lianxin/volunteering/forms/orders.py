"""Forms of the order steps; the services check the rules, these only shape the input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import ServiceItem, Team
from lianxin.volunteering.selectors.catalogue import order_areas, teams_to_dispatch_to
from lianxin.volunteering.selectors.orders import organizations_ordering_for

# A text box with the phone's number keypad: styled like the other inputs, checked as an integer.
NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "pattern": "-?[0-9]*"})


class AreaField(forms.ModelChoiceField[Area]):
    def label_from_instance(self, obj: Area) -> str:
        return f"{'· ' * (obj.depth - 1)}{obj.name}"


class OrderForm(forms.Form):
    area = AreaField(label=_("Area"), queryset=Area.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_on = SaneDateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = SaneDateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    expected_beneficiaries = BoundedIntegerField(label=_("Expected beneficiaries"), widget=NUMBER)
    note = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ordering_organization = forms.ModelChoiceField(
        label=_("Order for (leave empty to order as yourself)"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, item: ServiceItem, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = order_areas(item)  # type: ignore[attr-defined]
        organizations = organizations_ordering_for(user=user)
        if organizations.exists():
            self.fields["ordering_organization"].queryset = organizations  # type: ignore[attr-defined]
        else:
            del self.fields["ordering_organization"]


class DispatchForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    note = forms.CharField(label=_("Note to the team"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_to_dispatch_to(user=user)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why cancel (optional)"), max_length=200, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why the team declines"), max_length=200)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ServeForm(forms.Form):
    beneficiaries = BoundedIntegerField(label=_("Beneficiaries (person-times)"), widget=NUMBER)
    service_note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photos = PhotosField(label=_("Photos (optional)"), required=False)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

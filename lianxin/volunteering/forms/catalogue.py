"""Forms of teams and service items; the services check the rules, these only shape the input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import User
from lianxin.accounts.types import Viewer
from lianxin.core.forms import IdsChoiceField
from lianxin.core.picker import PickerField
from lianxin.organizations.models import Area
from lianxin.organizations.selectors import area_list
from lianxin.volunteering.models import ServiceCategory, Team
from lianxin.volunteering.selectors.catalogue import (
    account_by_login,
    corps_choices,
    menu_categories,
    organizations_managed_by,
)


class AreaChoiceField(IdsChoiceField[Area]):
    def label_from_instance(self, obj: Area) -> str:
        return f"{'· ' * (obj.depth - 1)}{obj.name}"


class CategoryChoiceField(forms.ModelChoiceField[ServiceCategory]):
    def label_from_instance(self, obj: ServiceCategory) -> str:
        return f"{obj.parent.name} · {obj.name}" if obj.parent is not None else obj.name


class UserLookupField(forms.CharField):
    """A user name or mobile number, resolved to an active account."""

    def clean(self, value: Any) -> User | None:
        value = super().clean(value)
        if not value:
            return None
        user = account_by_login(value)
        if user is None:
            raise forms.ValidationError(
                _("No active account with the user name or mobile number %(value)s."), params={"value": value}
            )
        return user


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices)
    # Found by name, pinyin initials or code among organizations_managed_by (the roster scope).
    organization = PickerField("managed_organization", label=_("Owner organization"))
    corps = forms.ModelChoiceField(
        label=_("General service corps (optional)"), queryset=Team.objects.none(), required=False
    )
    leader = UserLookupField(label=_("Leader (user name or mobile)"), max_length=50, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    areas = AreaChoiceField(
        label=_("Areas served"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    categories = IdsChoiceField(
        label=_("Categories offered"),
        queryset=ServiceCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, user: Viewer, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_managed_by(user=user)  # type: ignore[attr-defined]
        self.fields["corps"].queryset = corps_choices(user=user)  # type: ignore[attr-defined]
        self.fields["areas"].queryset = area_list()  # type: ignore[attr-defined]
        self.fields["categories"].queryset = menu_categories().filter(parent__isnull=True)  # type: ignore[attr-defined]
        if editing:
            del self.fields["organization"]
        else:
            del self.fields["is_active"]


class MemberAddForm(forms.Form):
    user = UserLookupField(label=_("Volunteer (user name or mobile)"), max_length=50)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Service"), max_length=100)
    category = CategoryChoiceField(label=_("Category"), queryset=ServiceCategory.objects.none())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    areas = AreaChoiceField(
        label=_("Areas served (leave empty: wherever the team serves)"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    is_active = forms.BooleanField(label=_("On the menu"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = menu_categories()  # type: ignore[attr-defined]
        self.fields["areas"].queryset = area_list()  # type: ignore[attr-defined]

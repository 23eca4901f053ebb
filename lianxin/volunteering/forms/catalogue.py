"""Forms of teams and service items; the services check the rules, these only shape the input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.core.crypto import lookup_hash
from lianxin.core.forms import IdsChoiceField
from lianxin.core.parsing import ParseError, normalize_mobile
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import ServiceCategory, Team


class AreaChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "· " * (obj.depth - 1) + obj.name


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


def active_categories() -> Any:
    return ServiceCategory.objects.filter(is_active=True).select_related("parent").order_by("position", "id")


def find_user(value: str) -> User | None:
    """An account by user name, or by mobile number through its lookup hash."""
    value = value.strip()
    user = User.objects.filter(username=value, is_active=True).first()
    if user is not None:
        return user
    try:
        mobile = normalize_mobile(value)
    except ParseError:
        return None
    return User.objects.filter(mobile_hash=lookup_hash(mobile), is_active=True).first() if mobile else None


class UserLookupField(forms.CharField):
    """A user name or mobile number, resolved to an active account."""

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return None
        user = find_user(value)
        if user is None:
            raise forms.ValidationError(
                _("No active account with the user name or mobile number %(value)s."), params={"value": value}
            )
        return user


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices)
    organization = forms.ModelChoiceField(label=_("Owner organization"), queryset=Organization.objects.none())
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

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = roster_scope(user)
        orgs = Organization.objects.filter(scope.q("path"), status=Organization.Status.ACTIVE).order_by("path")
        self.fields["organization"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["corps"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            scope.q("organization__path"), kind=Team.Kind.CORPS, is_active=True
        ).order_by("name")
        self.fields["areas"].queryset = Area.objects.order_by("path")  # type: ignore[attr-defined]
        self.fields["categories"].queryset = active_categories().filter(parent__isnull=True)  # type: ignore[attr-defined]
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
        self.fields["category"].queryset = active_categories()  # type: ignore[attr-defined]
        self.fields["areas"].queryset = Area.objects.order_by("path")  # type: ignore[attr-defined]

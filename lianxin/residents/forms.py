"""Input of the residents' pages: a mobile number, the code sent to it, and who the resident is."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from lianxin.organizations.models import Area
from lianxin.residents.selectors import community_areas, community_groups


class CommunityGroups(ModelChoiceIterator):
    """The communities as options grouped by district and street, read when the list is drawn."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from community_groups()


class CommunityField(forms.ModelChoiceField[Area]):
    """A community or village, chosen from a list grouped by where it lies."""

    iterator = CommunityGroups
    default_error_messages = {"invalid_choice": _("Choose the community or village you live in from the list.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=community_areas(), **kwargs)


class MobileForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


def code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code from the text message"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class CodeForm(forms.Form):
    code = code_field()


class RegisterForm(forms.Form):
    code = code_field()
    name = forms.CharField(label=_("Your name"), max_length=50)
    community = CommunityField(label=_("Community or village you live in"))
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # Checked by the service, which says why it is needed.
    consent = forms.BooleanField(label=_("I have read and agree to the privacy notice"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password_again") != cleaned["password"]:
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned

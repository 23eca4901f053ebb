"""Input of the residents' pages: a mobile number, the code sent to it, and who the resident is."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.picker import PickerField
from lianxin.residents.selectors import community_areas


def community_field() -> PickerField:
    """A community or village, typed by name or pinyin initials or browsed district › street › community."""
    return PickerField(
        "area",
        queryset=community_areas(),
        label=_("Community or village you live in"),
        error_messages={"invalid_choice": _("Choose the community or village you live in from the list.")},
    )


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
    community = community_field()
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

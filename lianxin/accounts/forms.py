from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.services import login_attempt_begin, login_attempt_succeeded
from lianxin.core.clients import client_address


class ThrottledLogin(AuthenticationForm):
    """Takes a try from the account and from the client's address before the password is checked.

    A refusal is shown as the form's error and nothing else happens."""

    def clean(self) -> dict[str, Any]:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()  # a required field is missing: no password is checked
        attempt = login_attempt_begin(username=username, ip_address=client_address(self.request))
        cleaned = super().clean()
        login_attempt_succeeded(attempt=attempt)
        return cleaned


class LoginForm(ThrottledLogin):
    """Username or mobile number and password, with throttling of repeated failures."""

    username = forms.CharField(label=_("Username or mobile number"), max_length=150)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or mobile number and password do not match."),
    }


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    """The admin site's login, counted with the pages' logins."""

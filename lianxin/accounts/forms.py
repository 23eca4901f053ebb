from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.services import login_failure_record, login_failures_clear, login_is_locked


def client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LoginForm(AuthenticationForm):
    """Username or mobile number and password, with throttling of repeated failures."""

    username = forms.CharField(label=_("Username or mobile number"), max_length=150)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or mobile number and password do not match."),
        "locked": _("Too many failed attempts. Try again in %(minutes)s minutes."),
    }

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = self.data.get("username", "")
        ip = client_ip(self.request)
        if login_is_locked(username=username, ip_address=ip):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, ip_address=ip)
            raise
        login_failures_clear(username=username)
        return cleaned

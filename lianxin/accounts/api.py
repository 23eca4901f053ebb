"""API authentication: a bearer token, or the browser session of the pages.

A token is tried first and needs no CSRF token (a browser never sends it by itself); the
session is tried after it and keeps Django's CSRF check on writes, so a page on another
site cannot write with a logged-in browser's cookie.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from lianxin.accounts.models import User
from lianxin.accounts.selectors import api_token_active
from lianxin.accounts.services import api_token_create, api_token_used
from lianxin.core.api_errors import ApiError

# api_token_create lives in services; named here too for the callers that import it from here.
__all__ = ["ApiKeyAuth", "SessionAuth", "api_token_create"]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class SessionAuth(APIKeyCookie):
    """The logged-in session of the pages; a write must carry the CSRF token (X-CSRFToken)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        user = self.authenticate(request, request.COOKIES.get(self.param_name))
        if user is None:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                _(
                    "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header, "
                    "or use an API token."
                ),
                code="csrf_failed",
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if isinstance(user, User) and user.is_active else None


class ApiKeyAuth(HttpBearer):
    """Authorization: Bearer <token>, made by a city administrator (create_api_token)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = api_token_active(token)
        if api_token is None or not api_token.user.is_active:
            return None
        api_token_used(api_token=api_token)
        request.user = api_token.user
        return api_token.user

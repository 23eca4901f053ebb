"""API authentication: the browser session, or a bearer token."""

import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from lianxin.accounts.models import ApiToken, User
from lianxin.core.crypto import lookup_hash


class SessionAuth(APIKeyCookie):
    """The logged-in session of the pages (with CSRF checks on writes)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated and request.user.is_active:
            return request.user
        return None


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = (
            ApiToken.objects.filter(key_hash=lookup_hash(token), revoked_at__isnull=True).select_related("user").first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the plain value is returned once and never stored."""
    value = "lx_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=lookup_hash(value), prefix=value[:8])
    return token, value

"""Reads of accounts."""

from lianxin.accounts.models import ApiToken
from lianxin.core.crypto import lookup_hash


def api_token_active(value: str) -> ApiToken | None:
    """The unrevoked token with this plain value (found by its hash), with its user."""
    tokens = ApiToken.objects.filter(key_hash=lookup_hash(value), revoked_at__isnull=True)
    return tokens.select_related("user").first()

"""Personal data at rest: Fernet encryption plus a keyed hash for lookup.

ID and mobile numbers are stored encrypted (not searchable), next to an HMAC of the
normalized value so that equality lookups and de-duplication stay one indexed query.
"""

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


@cache
def _hash_key(key: str) -> bytes:
    # Derived, so that the lookup hash never reveals the encryption key itself.
    return hashlib.sha256(b"lianxin-lookup:" + key.encode()).digest()


def encrypt(value: str) -> str:
    return _fernet(settings.ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must fail loudly, never show ciphertext
        raise ValueError("cannot decrypt: wrong LIANXIN_ENCRYPTION_KEY?") from exc


def lookup_hash(value: str) -> str:
    """Keyed hash of an already normalized value; "" for an empty value."""
    if not value:
        return ""
    return hmac.new(_hash_key(settings.ENCRYPTION_KEY), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; Python code sees the plain value."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt(str(value))

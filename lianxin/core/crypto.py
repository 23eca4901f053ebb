"""Personal data at rest: Fernet encryption plus a keyed hash for lookup.

ID and mobile numbers are stored encrypted (not searchable), next to an HMAC of the
normalized value so that equality lookups and de-duplication stay one indexed query.

`ENCRYPTION_KEY` holds one key, or while the key is being rotated the new key and the old
one, comma-separated (`NEW,OLD`): values are written with the first and read with any of
them, and the lookup hash is keyed by the first (see `rotate_encryption_key`).

Serialization (`dumpdata`, backups) keeps the ciphertext: `value_to_string` gives the
stored token, and `to_python` reads a token back, so a dump restores with the same key
and never holds a number in clear.
"""

import base64
import binascii
import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.expressions import Combinable

from lianxin.core.keys import key_list

FERNET_VERSION = 0x80
# version (1) + timestamp (8) + IV (16) + one AES block (16) + HMAC (32)
_SHORTEST_TOKEN = 73


class DecryptionError(ValueError):
    """Stored personal data cannot be read with the configured key: the wrong key, or a damaged value."""


class Decrypted(str):
    """A value read from the database that remembers the token it was stored as."""

    ciphertext: str = ""


@cache
def _fernet(spec: str) -> MultiFernet:
    keys = key_list(spec)
    if not keys:
        raise ImproperlyConfigured("LIANXIN_ENCRYPTION_KEY is empty.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


@cache
def _hash_key(spec: str) -> bytes:
    # Derived, so that the lookup hash never reveals the encryption key itself; the first
    # (current) key only, so that a rotation re-keys the hashes with the values.
    return hashlib.sha256(b"lianxin-lookup:" + key_list(spec)[0].encode()).digest()


def encrypt(value: str) -> str:
    return _fernet(settings.ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must fail loudly, never show ciphertext
        raise DecryptionError("cannot decrypt: wrong LIANXIN_ENCRYPTION_KEY?") from exc


def looks_encrypted(value: str) -> bool:
    """Whether `value` has the form of a Fernet token (no ID or mobile number has)."""
    if len(value) < (_SHORTEST_TOKEN * 4) // 3 or not value.startswith("gAAAAA"):
        return False
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= _SHORTEST_TOKEN and raw[0] == FERNET_VERSION


def lookup_hash(value: str) -> str:
    """Keyed hash of an already normalized value; "" for an empty value."""
    if not value:
        return ""
    return hmac.new(_hash_key(settings.ENCRYPTION_KEY), value.encode(), hashlib.sha256).hexdigest()


def _decrypted(token: str) -> Decrypted:
    value = Decrypted(decrypt(token))
    value.ciphertext = token
    return value


class EncryptedTextField(models.TextField[str | Combinable, str]):
    """A text field stored as a Fernet token; Python code sees the plain value."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return _decrypted(value)

    def to_python(self, value: Any) -> Any:
        # A serialized value (loaddata) is the stored token: read it back to the plain value.
        value = super().to_python(value)
        if isinstance(value, str) and not isinstance(value, Decrypted) and looks_encrypted(value):
            return _decrypted(value)
        return value

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt(str(value))

    def value_to_string(self, obj: models.Model) -> str:
        """The stored token, never the plain value: dumps and backups stay encrypted."""
        value = self.value_from_object(obj)
        if not value:
            return ""
        return getattr(value, "ciphertext", "") or encrypt(str(value))

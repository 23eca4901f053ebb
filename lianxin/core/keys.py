"""Secrets from the environment, or a key file generated once for the embedded default.

The encryption key is read from `LIANXIN_ENCRYPTION_KEY`, else from `var/encryption.key`
(created on first use, readable by its owner only). Back it up apart from the database:
docs/operations.md says how, and how to rotate it.
"""

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


def key_list(value: str) -> list[str]:
    """The keys in a setting that holds one key, or several comma-separated (newest first)."""
    return [key.strip() for key in value.split(",") if key.strip()]


def load_or_create_key(env_name: str, path: Path, *, fernet: bool = False) -> str:
    """Return the key in `env_name`, else the one stored at `path`, creating it on first use.

    A laptop running `make run` gets working keys without configuration; a server sets the
    environment variables and never writes key files.
    """
    value = os.environ.get(env_name)
    if value:
        return value
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = Fernet.generate_key().decode() if fernet else secrets.token_urlsafe(50)
    # Exclusive create: two processes starting together must not write different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value

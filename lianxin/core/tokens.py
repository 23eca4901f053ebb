"""Codes and tokens handed to people: a check-in code read off a venue screen, an unguessable
token in a private URL (calendar feeds)."""

import secrets


def new_checkin_code() -> str:
    """Six digits read off a screen at the venue, or carried in its QR code."""
    return f"{secrets.randbelow(10**6):06d}"


def new_token() -> str:
    """An unguessable URL token."""
    return secrets.token_urlsafe(24)

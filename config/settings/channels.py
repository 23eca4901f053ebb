"""Where mail and text messages go, read from the environment in one place for every settings module.

``LIANXIN_EMAIL_URL`` names the SMTP server:

- ``smtp://user:password@host:587?starttls=1`` plain SMTP upgraded with STARTTLS (port 25 by default);
- ``smtps://user:password@host:465`` SMTP over implicit TLS (port 465 by default);
- ``smtp://host:25`` plain SMTP without login (a relay on the local network);
- optional ``timeout=<seconds>`` (10 by default). A user name or password with ``@``, ``:`` or
  ``/`` in it is percent-encoded (``%40``, ``%3A``, ``%2F``).

Unset, mail is printed to the console (development, ``make run``, a trial server); the tests keep
Django's in-memory outbox. ``LIANXIN_SMS_URL`` names the SMS gateway (lianxin/core/sms.py,
docs/notifications.md); unset, texts are printed to the console too.
"""

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
SMTP_EMAIL = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_SMS = "lianxin.core.sms.ConsoleBackend"
GATEWAY_SMS = "lianxin.core.sms.GatewayBackend"
DEFAULT_TIMEOUT = 10
_YES = {"1", "true", "yes", "on"}


def email_settings(url: str) -> dict[str, Any]:
    """Django's EMAIL_* settings for `url` (the console backend when it is empty)."""
    if not url:
        return {"EMAIL_BACKEND": CONSOLE_EMAIL}
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(f"LIANXIN_EMAIL_URL must start with smtp:// or smtps://, not {parts.scheme}://")
    if not parts.hostname:
        raise ImproperlyConfigured("LIANXIN_EMAIL_URL names no mail server: smtp://user:password@host:port")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    implicit = parts.scheme == "smtps"
    starttls = (query.get("starttls") or query.get("tls") or "").lower() in _YES
    if implicit and starttls:
        raise ImproperlyConfigured("LIANXIN_EMAIL_URL: smtps:// is already TLS; drop starttls=1")
    try:
        port = parts.port or (465 if implicit else 25)
        timeout = int(query.get("timeout") or DEFAULT_TIMEOUT)
    except ValueError as error:
        raise ImproperlyConfigured(f"LIANXIN_EMAIL_URL: {error}") from error
    return {
        "EMAIL_BACKEND": SMTP_EMAIL,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": implicit,
        "EMAIL_USE_TLS": starttls,
        "EMAIL_TIMEOUT": timeout,
    }


def sms_settings(url: str, secret: str, backend: str = "", timeout: str = "") -> dict[str, Any]:
    """SMS_BACKEND and the gateway's address, secret and timeout: the gateway when `url` is set."""
    if not url:
        return {"SMS_BACKEND": backend or CONSOLE_SMS, "SMS_GATEWAY_URL": "", "SMS_GATEWAY_SECRET": ""}
    if urlsplit(url).scheme not in ("http", "https"):
        raise ImproperlyConfigured("LIANXIN_SMS_URL must be an http:// or https:// address")
    if not secret:
        raise ImproperlyConfigured("LIANXIN_SMS_URL is set but LIANXIN_SMS_SECRET is not: the gateway checks it")
    return {
        "SMS_BACKEND": GATEWAY_SMS,
        "SMS_GATEWAY_URL": url,
        "SMS_GATEWAY_SECRET": secret,
        "SMS_GATEWAY_TIMEOUT": int(timeout or DEFAULT_TIMEOUT),
    }

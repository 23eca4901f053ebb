"""Text messages (短信) to a mobile number: the one seam every app sends them through.

`send_sms(mobile=..., text=..., template=..., params=...)` hands the message to the backend named
in ``settings.SMS_BACKEND`` (a dotted path to a class with ``send(message)``), the way Django
sends mail, and returns what the backend answered. Three backends ship with the kernel:

- ``ConsoleBackend`` (development): writes the text to standard output and to the
  ``lianxin.sms`` log, so a one-time code can be read where ``make run`` prints.
- ``LocmemBackend`` (tests): keeps each message in ``outbox``, like Django's mail outbox.
- ``GatewayBackend`` (production, chosen when ``LIANXIN_SMS_URL`` is set): a signed JSON POST to
  the city's SMS gateway, which sends the template registered with the carrier
  (docs/notifications.md gives the request, the answer and how to check the signature).

Chinese carriers only send registered templates, so a message names its ``template`` code and
the ``params`` that fill it; ``text`` is the same message rendered, for gateways and logs that
take it whole. Texts carry what the recipient needs (a code, a date), never another person's
name or number.
"""

import hashlib
import hmac
import json
import logging
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from lianxin.core.parsing import mask_phone

logger = logging.getLogger("lianxin.sms")

DEFAULT_BACKEND = "lianxin.core.sms.ConsoleBackend"
SIGNATURE_HEADER = "X-Lianxin-Signature"
DEFAULT_TIMEOUT = 10
# The most of a gateway's answer kept (on a delivery's attempt, in an error).
ANSWER_CHARS = 200


@dataclass(frozen=True)
class Message:
    mobile: str
    text: str
    template: str = ""  # the code the gateway registered for this message, e.g. "LX_MOBILE_CODE"
    params: Mapping[str, str] = field(default_factory=dict)
    id: str = ""  # the same id for a retry of the same message: a gateway may drop a repeat


class SMSError(Exception):
    """The message was not accepted; the text says why (kept on a delivery's attempt)."""


class Backend(Protocol):
    def send(self, message: Message) -> str: ...


class ConsoleBackend:
    """Development: the text is printed and logged (the number masked), nothing is sent. The log line is
    at INFO, so a console that shows warnings does not print the text twice."""

    def send(self, message: Message) -> str:
        line = f"[SMS to {mask_phone(message.mobile)}] {message.text}"
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        logger.info(line)
        return "printed to the console"


# The messages LocmemBackend has sent in this process, oldest first; tests clear it.
outbox: list[Message] = []


class LocmemBackend:
    """Tests: each message is appended to `outbox`."""

    def send(self, message: Message) -> str:
        outbox.append(message)
        return "kept in the test outbox"


def signature(secret: str, body: bytes) -> str:
    """The value of the signature header: HMAC-SHA256 of the exact body bytes, keyed by the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def gateway_body(message: Message, now: float | None = None) -> bytes:
    """The JSON the gateway receives, as UTF-8 bytes (the signature covers exactly these)."""
    payload = {
        "mobile": message.mobile,
        "template": message.template,
        "params": dict(message.params),
        "text": message.text,
        "id": message.id or uuid.uuid4().hex,
        "timestamp": int(time.time() if now is None else now),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _refusal(answer: str) -> str:
    """Why a 2xx answer refuses the message ("" when it accepts it): a JSON object saying not ok."""
    try:
        data: Any = json.loads(answer) if answer.strip() else {}
    except ValueError:
        return ""
    if not isinstance(data, dict) or data.get("ok", True) is not False:
        return ""
    return str(data.get("error") or data.get("message") or "no reason given")


class GatewayBackend:
    """Production: POST the message as signed JSON to ``SMS_GATEWAY_URL``; returns the gateway's answer.

    Raises SMSError when the gateway cannot be reached, answers other than 2xx, or answers
    ``{"ok": false, "error": "..."}``."""

    def __init__(self) -> None:
        self.url: str = getattr(settings, "SMS_GATEWAY_URL", "")
        self.secret: str = getattr(settings, "SMS_GATEWAY_SECRET", "")
        self.timeout: float = getattr(settings, "SMS_GATEWAY_TIMEOUT", DEFAULT_TIMEOUT)
        if not self.url or not self.secret:
            raise SMSError("the SMS gateway is not configured (LIANXIN_SMS_URL, LIANXIN_SMS_SECRET)")

    def send(self, message: Message) -> str:
        try:
            return self._post(gateway_body(message))
        except SMSError as error:
            logger.warning("text to %s not sent: %s", mask_phone(message.mobile), error)
            raise

    def _post(self, body: bytes) -> str:
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", SIGNATURE_HEADER: signature(self.secret, body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer: str = response.read(4096).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            detail = error.read(ANSWER_CHARS).decode("utf-8", "replace").strip()
            raise SMSError(f"SMS gateway answered HTTP {error.code}: {detail or error.reason}") from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SMSError(f"SMS gateway unreachable: {reason}") from error
        refused = _refusal(answer)
        if refused:
            raise SMSError(f"SMS gateway refused the message: {refused}"[:ANSWER_CHARS])
        return answer.strip()[:ANSWER_CHARS] or "accepted"


def sms_backend() -> Backend:
    backend: Backend = import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()
    return backend


def send_sms(
    *, mobile: str, text: str, template: str = "", params: Mapping[str, str] | None = None, message_id: str = ""
) -> str:
    """Send `text` (the `template` filled with `params`) to the 11-digit `mobile`; returns the backend's answer."""
    message = Message(mobile=mobile, text=text, template=template, params=dict(params or {}), id=message_id)
    return sms_backend().send(message)

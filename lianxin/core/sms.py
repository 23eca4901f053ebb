"""Text messages (短信) to a mobile number: the one seam every app sends them through.

`send_sms(mobile=..., text=...)` hands the message to the backend named in
``settings.SMS_BACKEND`` (a dotted path to a class with ``send(message)``), the way Django
sends mail. Two backends ship with the kernel:

- ``ConsoleBackend`` (development): writes the text to standard output and to the
  ``lianxin.sms`` log, so a one-time code can be read where ``make run`` prints.
- ``LocmemBackend`` (tests): keeps each message in ``outbox``, like Django's mail outbox.

A real channel (an SMS gateway, the notifications app) is another class with the same
``send``; a slow one should queue a task rather than wait. Texts carry what the recipient
needs (a code, a date), never another person's name or number.
"""

import logging
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from lianxin.core.parsing import mask_phone

logger = logging.getLogger("lianxin.sms")

DEFAULT_BACKEND = "lianxin.core.sms.ConsoleBackend"


@dataclass(frozen=True)
class Message:
    mobile: str
    text: str


class Backend(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleBackend:
    """Development: the text is printed and logged (the number masked), nothing is sent."""

    def send(self, message: Message) -> None:
        line = f"[SMS to {mask_phone(message.mobile)}] {message.text}"
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        logger.warning(line)


# The messages LocmemBackend has sent in this process, oldest first; tests clear it.
outbox: list[Message] = []


class LocmemBackend:
    """Tests: each message is appended to `outbox`."""

    def send(self, message: Message) -> None:
        outbox.append(message)


def sms_backend() -> Backend:
    backend: Backend = import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()
    return backend


def send_sms(*, mobile: str, text: str) -> None:
    """Send `text` to the 11-digit `mobile` through the configured backend."""
    sms_backend().send(Message(mobile=mobile, text=text))

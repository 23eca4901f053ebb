"""The kinds of notification: each app declares what it tells people, in its own `notices` module.

A kind names one step that waits on someone ("an order waits to be dispatched"). It carries the
text in the recipient's words (a format string over the notification's parameters, which never
hold an ID number, a full mobile number or a resident's name), the template code an SMS gateway
has registered for it (Chinese gateways only send registered templates), who it is for, and the
channels a person gets until they choose otherwise. Apps register kinds with `kind_register` in
their `notices.py`; the registry finds those modules the way the admin finds `admin.py`.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Whom a kind is for: it decides the defaults and who may have it by text message."""

    STAFF = "staff", _("staff: secretaries, dispatchers, handlers, team leaders")
    MEMBER = "member", _("Party members")
    RESIDENT = "resident", _("residents")


@dataclass(frozen=True)
class Kind:
    code: str  # "<app>.<step>", stored on each notification
    label: Promise  # what the person chooses channels for, on their settings page
    text: Promise  # the message: a %-format over the notification's params
    sms_template: str  # the template code registered with the SMS gateway
    audience: Audience
    email: bool = False  # channels by default, before the person chooses
    sms: bool = False
    robot: bool = False  # posted to the organization's group robots too
    urgent: bool = False  # sent at once: no quiet hours, no digest

    def render(self, params: dict[str, str]) -> str:
        return str(self.text) % params


_KINDS: dict[str, Kind] = {}
_discovered = False


def kind_register(kind: Kind) -> Kind:
    """Declare a kind (at import of an app's notices module); the same code twice is an error."""
    known = _KINDS.get(kind.code)
    if known is not None and known != kind:
        raise ValueError(f"notification kind {kind.code!r} registered twice")
    _KINDS[kind.code] = kind
    return kind


def _registry() -> dict[str, Kind]:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("notices")
    return _KINDS


def kind_of(code: str) -> Kind | None:
    return _registry().get(code)


def kinds() -> list[Kind]:
    """Every registered kind, by code (apps' order)."""
    return sorted(_registry().values(), key=lambda kind: kind.code)


# The kernel's own kind: a test message through every channel (send_test_notification).
TEST = kind_register(
    Kind(
        code="notifications.test",
        label=_("Test message"),
        text=_("Test message from Lianxin: this channel works."),
        sms_template="LX_TEST",
        audience=Audience.STAFF,
        email=True,
        sms=True,
        robot=True,
        urgent=True,
    )
)

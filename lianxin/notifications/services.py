"""Raising notifications: the one call every app makes when a step starts to wait on someone.

`notify(kind=..., recipients=..., event=..., params=..., url=...)` is called by a service inside its
transaction; nothing happens unless that transaction commits. Then a task (`tasks.py`) writes one
`Notification` per recipient and plans its deliveries from the person's preferences: e-mail and
SMS when chosen and the person has an address, held until the end of quiet hours (SMS only), or
kept for the daily digest; urgent kinds go at once. The organization's group robots get one
delivery per event. Unique constraints make a second raise of the same event a no-op.
"""

import contextlib
import contextvars
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from lianxin.accounts.models import User
from lianxin.notifications.kinds import Audience, Kind, kind_of
from lianxin.notifications.models import (
    Channel,
    Delivery,
    GroupRobot,
    Notification,
    NotificationSettings,
    Preference,
)
from lianxin.organizations.models import Organization

# A mobile number or an ID number that slipped into a parameter is masked before anything is kept.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")

_inline: contextvars.ContextVar[bool] = contextvars.ContextVar("notifications_inline", default=False)


@contextlib.contextmanager
def notifications_inline() -> Iterator[None]:
    """Raise notifications in the committing process instead of a task (the demo's bulk build)."""
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def scrub(text: str) -> str:
    """`text` with any mobile or ID number masked (a guard: params should never hold one)."""
    return _ID_NUMBER.sub(r"\1********\2", _MOBILE.sub(r"\1****\2", text))


def _user_id(user: User | int) -> int:
    return user if isinstance(user, int) else user.pk


def notify(
    *,
    kind: Kind,
    recipients: Iterable[User | int],
    event: str,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    organization: Organization | None = None,
    urgent: bool | None = None,
) -> None:
    """After the current transaction commits, tell each of `recipients` that `event` waits on them.

    `event` names the occurrence (e.g. ``f"order:{order.pk}:dispatched"``): the same kind and event
    reach a person once however often it is raised. `url` is the page where it waits (scope still
    applies there). `organization` is the one whose group robots post it, when the kind has robots.
    """
    payload: dict[str, Any] = {
        "kind": kind.code,
        "recipients": sorted({_user_id(user) for user in recipients}),
        "event": event[:120],
        "params": {key: str(value) for key, value in (params or {}).items()},
        "url": url[:300],
        "organization": organization.pk if organization is not None else None,
        "urgent": kind.urgent if urgent is None else urgent,
    }
    if not payload["recipients"] and not (kind.robot and organization is not None):
        return
    inline = _inline.get()

    def raise_after_commit() -> None:
        if inline:
            notification_raise(**payload)
        else:
            from lianxin.notifications.tasks import notification_raise_task

            notification_raise_task.enqueue(payload)

    transaction.on_commit(raise_after_commit)


@dataclass(frozen=True)
class Raised:
    notifications: int
    deliveries: list[int]  # the deliveries due now, to be sent by the caller's task


def _next_time(moment: datetime, at: time) -> datetime:
    """The first local moment at or after `moment` whose clock reads `at`."""
    local = timezone.localtime(moment)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate >= local else candidate + timedelta(days=1)


def in_quiet_hours(moment: datetime, start: time, end: time) -> bool:
    clock = timezone.localtime(moment).time()
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


def _channels_for(user: User, kind: Kind, preference: Preference | None) -> list[str]:
    email = preference.email if preference is not None else kind.email
    sms = preference.sms if preference is not None else kind.sms
    is_resident = hasattr(user, "resident")
    if is_resident and kind.audience != Audience.RESIDENT:
        sms = False  # residents get texts only about their own demands, wishes and orders
    channels: list[str] = []
    if email and user.email:
        channels.append(Channel.EMAIL)
    if sms and user.mobile:
        channels.append(Channel.SMS)
    return channels


def _plan(channel: str, urgent: bool, chosen: NotificationSettings | None, now: datetime) -> tuple[str, datetime]:
    """A new delivery's status and when it is due: now, after quiet hours, or with the digest."""
    if urgent:
        return Delivery.Status.PENDING, now
    if chosen is not None and chosen.digest:
        return Delivery.Status.DIGEST, _next_time(now, chosen.digest_at)
    start = chosen.quiet_start if chosen is not None else NotificationSettings.quiet_start.field.default
    end = chosen.quiet_end if chosen is not None else NotificationSettings.quiet_end.field.default
    if channel == Channel.SMS and in_quiet_hours(now, start, end):
        return Delivery.Status.HELD, _next_time(now, end)
    return Delivery.Status.PENDING, now


def _personal_deliveries(new: list[Notification], found: Kind, now: datetime) -> list[Delivery]:
    """E-mail and SMS deliveries of newly written notifications, each planned by its person's choices."""
    users = [n.recipient_id for n in new]
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=users, kind=found.code)}
    chosen = {s.user_id: s for s in NotificationSettings.objects.filter(user__in=users)}
    deliveries = []
    for notification in new:
        user = notification.recipient
        for channel in _channels_for(user, found, preferences.get(user.pk)):
            status, due = _plan(channel, notification.urgent, chosen.get(user.pk), now)
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel=channel,
                    kind=found.code,
                    event_key=notification.event_key,
                    text=notification.text,
                    params=notification.params,
                    url=notification.url,
                    urgent=notification.urgent,
                    status=status,
                    next_attempt_at=due,
                    created_at=now,
                )
            )
    return deliveries


def _robot_deliveries(found: Kind, organization: int | None, message: dict[str, Any], now: datetime) -> list[Delivery]:
    """One delivery per active group robot of `organization` that posts this kind."""
    if not found.robot or organization is None:
        return []
    return [
        Delivery(
            robot=robot,
            channel=Channel.ROBOT,
            kind=found.code,
            status=Delivery.Status.PENDING,
            next_attempt_at=now,
            created_at=now,
            **message,
        )
        for robot in GroupRobot.objects.filter(organization_id=organization, active=True)
        if not robot.kinds or found.code in robot.kinds
    ]


@transaction.atomic
def notification_raise(
    *,
    kind: str,
    recipients: list[int],
    event: str,
    params: dict[str, str],
    url: str,
    organization: int | None,
    urgent: bool,
) -> Raised:
    """Write the notifications of one event and plan their deliveries; idempotent."""
    found = kind_of(kind)
    if found is None:
        raise ValueError(f"unknown notification kind {kind!r}")
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        text = scrub(found.render(params))[:300]
    message = {"event_key": event, "text": text, "params": params, "url": url, "urgent": urgent}
    users = list(User.objects.filter(pk__in=recipients, is_active=True))
    Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind, organization_id=organization, created_at=now, **message)
            for user in users
        ],
        ignore_conflicts=True,
    )
    new = list(
        Notification.objects.filter(kind=kind, event_key=event, recipient__in=users, deliveries__isnull=True)
        .select_related("recipient__resident")
        .distinct()
    )
    deliveries = _personal_deliveries(new, found, now) + _robot_deliveries(found, organization, message, now)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    due_now = list(
        Delivery.objects.filter(
            kind=kind, event_key=event, status=Delivery.Status.PENDING, attempts=0, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    return Raised(notifications=len(new), deliveries=due_now)

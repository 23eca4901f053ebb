"""Raising one event: a notification per person, and its deliveries planned from their choices.

Run by the task `notification_raise_task` after the step's transaction committed (services.notify),
or at once in the demo's build. E-mail and SMS go where the person chose and has an address; a text
falling in quiet hours is held until they end, a person who takes the digest has theirs kept for it,
and urgent kinds go at once. The organization's group robots get one delivery per event. Unique
constraints make a second raise of the same event a no-op.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from lianxin.accounts.models import User
from lianxin.notifications.kinds import Audience, Kind, kind_of
from lianxin.notifications.models import (
    QUIET_END,
    QUIET_START,
    Channel,
    Delivery,
    GroupRobot,
    Notification,
    NotificationSettings,
    Preference,
)
from lianxin.notifications.selectors import is_resident
from lianxin.notifications.texts import scrub


@dataclass(frozen=True)
class Raised:
    notifications: int
    deliveries: list[int]  # the deliveries due now, to be sent by the caller's task


def next_clock_time(moment: datetime, at: time) -> datetime:
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
    if is_resident(user) and kind.audience != Audience.RESIDENT:
        sms = False  # residents get texts only about their own demands, wishes and orders
    channels: list[str] = []
    if email and user.email:
        channels.append(Channel.EMAIL)
    if sms and user.mobile:
        channels.append(Channel.SMS)
    return channels


def delivery_planned(
    channel: str, urgent: bool, chosen: NotificationSettings | None, now: datetime
) -> tuple[str, datetime]:
    """A new delivery's status and when it is due: now, after quiet hours, or with the digest."""
    if urgent:
        return Delivery.Status.PENDING, now
    if chosen is not None and chosen.digest:
        return Delivery.Status.DIGEST, next_clock_time(now, chosen.digest_at)
    start = chosen.quiet_start if chosen is not None else QUIET_START
    end = chosen.quiet_end if chosen is not None else QUIET_END
    if channel == Channel.SMS and in_quiet_hours(now, start, end):
        return Delivery.Status.HELD, next_clock_time(now, end)
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
            status, due = delivery_planned(channel, notification.urgent, chosen.get(user.pk), now)
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


# ------------------------------------------------------------------ reading

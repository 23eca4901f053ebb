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
from collections.abc import Iterable, Iterator, Mapping
from datetime import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.crypto import lookup_hash
from lianxin.core.services import audit_record
from lianxin.core.types import Person
from lianxin.notifications.channels import robot_test
from lianxin.notifications.kinds import Audience, Kind
from lianxin.notifications.models import (
    Channel,
    Delivery,
    GroupRobot,
    Notification,
    NotificationSettings,
    Preference,
)
from lianxin.notifications.raising import delivery_planned, notification_raise
from lianxin.notifications.robots import secret_checked, webhook_checked
from lianxin.notifications.selectors import kinds_for, robot_kinds
from lianxin.notifications.tasks import delivery_send_task, notification_raise_task
from lianxin.notifications.texts import scrub
from lianxin.organizations.models import Organization

_inline: contextvars.ContextVar[bool] = contextvars.ContextVar("notifications_inline", default=False)


@contextlib.contextmanager
def notifications_inline() -> Iterator[None]:
    """Raise notifications at once, in the caller's transaction and on its clock, instead of by a task
    after commit: the demo city is built in one transaction on a clock set back to each record's day."""
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def except_actor(users: Iterable[int], actor: Person) -> list[int]:
    """Nobody is told of their own step."""
    actor_pk = getattr(actor, "pk", None)
    return [user for user in users if user != actor_pk]


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
    if _inline.get():
        notification_raise(**payload)
        return

    def raise_after_commit() -> None:
        notification_raise_task.enqueue(payload)

    transaction.on_commit(raise_after_commit)


def notify_by_text(*, kind: Kind, mobile: str, event: str, params: Mapping[str, Any], url: str = "") -> None:
    """Text `mobile`, a resident without an account who gave it with their own demand, wish or order.

    Only for residents' kinds (their own business). The number is kept encrypted on the delivery,
    written now in the caller's transaction; the text is sent after commit, or after quiet hours.
    """
    if kind.audience != Audience.RESIDENT or not mobile:
        raise ValueError(f"{kind.code} is not for residents' texts, or no number was given")
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        text = scrub(kind.render({key: str(value) for key, value in params.items()}))[:300]
    status, due = delivery_planned(Channel.SMS, kind.urgent, None, now)
    delivery = Delivery(
        mobile=mobile,
        mobile_hash=lookup_hash(mobile),
        channel=Channel.SMS,
        kind=kind.code,
        event_key=event[:120],
        text=text,
        params={key: str(value) for key, value in params.items()},
        url=url[:300],
        urgent=kind.urgent,
        status=status,
        next_attempt_at=due,
        created_at=now,
    )
    Delivery.objects.bulk_create([delivery], ignore_conflicts=True)
    if status != Delivery.Status.PENDING or _inline.get():
        return

    def send_after_commit() -> None:
        pk = Delivery.objects.filter(mobile_hash=delivery.mobile_hash, kind=kind.code, event_key=delivery.event_key)
        for delivery_id in pk.values_list("pk", flat=True):
            delivery_send_task.enqueue(delivery_id)

    transaction.on_commit(send_after_commit)


@transaction.atomic
def notification_read(*, actor: Actor, notification: Notification) -> bool:
    """Mark the actor's own notification read; idempotent (the first reading's time is kept)."""
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("This notification is not yours."), code="not_yours")
    done = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    return bool(done)


@transaction.atomic
def notifications_read_all(*, actor: Actor) -> int:
    """Mark every unread notification of the actor read; how many were."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())


# ------------------------------------------------------------------ a person's choices

MAX_CHOICES = 500  # no person has this many kinds; a longer list is not a form


def _unknown(codes: set[str], allowed: set[str]) -> None:
    unknown = sorted(codes - allowed)
    if unknown:
        shown = ", ".join(code[:60] for code in unknown[:3])
        raise ValidationError(
            _("Not a kind of notification you can choose: %(codes)s.") % {"codes": shown}, code="unknown_kind"
        )


@transaction.atomic
def notification_preferences_save(
    *,
    actor: Actor,
    user: User,
    email: Iterable[str],
    sms: Iterable[str],
    quiet_start: time,
    quiet_end: time,
    digest: bool,
    digest_at: time,
) -> NotificationSettings:
    """Keep a person's channels per kind (a row only where they differ from the kind's defaults),
    their quiet hours and their digest. Everything is checked before anything is written."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise ValidationError(_("You can change only your own notification settings."), code="not_yours")
    email, sms = set(email), set(sms)
    if len(email) + len(sms) > MAX_CHOICES:
        raise ValidationError(_("Too many choices in one form."), code="too_many")
    for moment in (quiet_start, quiet_end, digest_at):
        if not isinstance(moment, time):
            raise ValidationError(_("Enter a time as HH:MM, e.g. 22:00."), code="time")
    kind_list = {kind.code: kind for kind in kinds_for(user=user)}
    _unknown(email | sms, set(kind_list))
    keep: list[tuple[str, tuple[bool, bool]]] = []
    drop: list[tuple[str, tuple[bool, bool]]] = []
    for code, kind in kind_list.items():
        wants = (code in email, code in sms)
        (drop if wants == (kind.email, kind.sms) else keep).append((code, wants))
    Preference.objects.filter(user=user, kind__in=[code for code, _wants in drop]).delete()
    for code, (by_email, by_sms) in keep:
        Preference.objects.update_or_create(user=user, kind=code, defaults={"email": by_email, "sms": by_sms})
    chosen, _created = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "quiet_start": quiet_start.replace(second=0, microsecond=0),
            "quiet_end": quiet_end.replace(second=0, microsecond=0),
            "digest": bool(digest),
            "digest_at": digest_at.replace(second=0, microsecond=0),
        },
    )
    return chosen


# ------------------------------------------------------------------ an organization's group robots


def _robot_kinds_checked(codes: Iterable[str]) -> list[str]:
    chosen = set(codes)
    if len(chosen) > MAX_CHOICES:
        raise ValidationError(_("Too many choices in one form."), code="too_many")
    _unknown(chosen, {kind.code for kind in robot_kinds()})
    return sorted(chosen)


def _robot_audited(actor: Actor, robot: GroupRobot, action: str, changed: list[str]) -> None:
    # Where staff messages leave the platform is a security fact: who pointed a robot where is kept
    # (the host only: the address holds the robot's token).
    audit_record(
        actor=actor,
        action=action,
        target=f"notifications.grouprobot:{robot.pk}",
        detail={
            "organization": robot.organization.code,
            "platform": robot.platform,
            "host": urlsplit(robot.webhook_url).hostname or "",
            "changed": changed,
        },
    )


def _may_manage(actor: Actor, organization: Organization) -> None:
    if not roster_scope(actor).contains(organization.path):
        raise ValidationError(_("You do not manage this organization."), code="scope")


@transaction.atomic
def group_robot_create(
    *,
    actor: Actor,
    organization: Organization,
    platform: str,
    name: str,
    webhook_url: str,
    secret: str = "",
    kinds: Iterable[str] = (),
) -> GroupRobot:
    _may_manage(actor, organization)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationError(_("Give the robot a name of at most 60 characters."), code="name")
    robot = GroupRobot.objects.create(
        organization=organization,
        platform=platform,
        name=name,
        webhook_url=webhook_checked(platform, webhook_url),
        secret=secret_checked(platform, secret),
        kinds=_robot_kinds_checked(kinds),
    )
    _robot_audited(actor, robot, "robot_added", [])
    return robot


@transaction.atomic
def group_robot_update(
    *,
    actor: Actor,
    robot: GroupRobot,
    name: str,
    webhook_url: str = "",
    secret: str = "",
    clear_secret: bool = False,
    kinds: Iterable[str] = (),
    active: bool = True,
) -> GroupRobot:
    """Change a robot; an empty address or secret keeps the one kept (they are never shown again)."""
    _may_manage(actor, robot.organization)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationError(_("Give the robot a name of at most 60 characters."), code="name")
    values: dict[str, Any] = {"name": name, "kinds": _robot_kinds_checked(kinds), "active": bool(active)}
    if webhook_url.strip():
        values["webhook_url"] = webhook_checked(robot.platform, webhook_url)
    if clear_secret:
        values["secret"] = ""
    elif secret.strip():
        values["secret"] = secret_checked(robot.platform, secret)
    changed = sorted(field for field, value in values.items() if getattr(robot, field) != value)
    for field, value in values.items():
        setattr(robot, field, value)
    robot.save(update_fields=list(values))
    if changed:
        _robot_audited(actor, robot, "robot_changed", changed)
    return robot


@transaction.atomic
def group_robot_deactivate(*, actor: Actor, robot: GroupRobot) -> GroupRobot:
    _may_manage(actor, robot.organization)
    if robot.active:
        robot.active = False
        robot.save(update_fields=["active"])
        _robot_audited(actor, robot, "robot_deactivated", ["active"])
    return robot


def group_robot_test(*, actor: Actor, robot: GroupRobot) -> tuple[bool, str]:
    """Post a test message through the robot; whether it arrived and what the platform answered."""
    _may_manage(actor, robot.organization)
    return robot_test(robot)

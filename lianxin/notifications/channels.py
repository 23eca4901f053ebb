"""Sending a delivery on its channel, with every try logged and failures retried with back-off.

A delivery is claimed by a conditional UPDATE (pending and due → sending), so two workers never
send it twice; the claim stamps `next_attempt_at` with the moment the try began, which is how the
upkeep (upkeep.py) tells a worker killed mid-send from one still sending. The channel's sender
returns what the far end answered, or raises with the reason; a failure is tried again after
BACKOFF[attempt] (tasks.py defers the task when the backend can, else the upkeep sends it when
due), and after the last one it stays failed, shown to admins.

A retried e-mail keeps its Message-ID and a retried text its gateway id, so a far end that did
take the first try (and only its answer was lost) can drop the repeat.
"""

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone, translation

from lianxin.core.sms import send_sms
from lianxin.notifications.kinds import TEST, kind_of
from lianxin.notifications.models import (
    QUIET_END,
    QUIET_START,
    Channel,
    Delivery,
    DeliveryAttempt,
    GroupRobot,
    NotificationSettings,
)
from lianxin.notifications.raising import in_quiet_hours, next_clock_time
from lianxin.notifications.robots import dingtalk_send, wecom_send

# Waits before the 2nd, 3rd, ... try; after the last, the delivery has failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
DETAIL_CHARS = 300


class DeliveryError(Exception):
    """A channel could not deliver; the message says why (kept on the attempt)."""


def absolute(url: str) -> str:
    """`url` as a link that works outside the site: a path gets LIANXIN_SITE_URL in front."""
    base = getattr(settings, "LIANXIN_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def title_of(kind: str) -> str:
    """The kind's label in the site's language: an e-mail's subject, a group message's title."""
    found = kind_of(kind)
    with translation.override(settings.LANGUAGE_CODE):
        return str(found.label) if found is not None else kind


def mail_answer() -> str:
    """What the mail backend did with an accepted message, said the same way for every message."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "smtp":
        return f"accepted by the mail server {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return {"console": "printed to the console", "locmem": "kept in the test outbox"}.get(backend, f"{backend}: sent")


def email_send(*, to: str, subject: str, body: str, message_id: str, connection: BaseEmailBackend | None = None) -> str:
    """Send one e-mail from DEFAULT_FROM_EMAIL; `message_id` stays the same for every retry."""
    domain = urlsplit(getattr(settings, "LIANXIN_SITE_URL", "")).hostname or "lianxin.localhost"
    message = EmailMessage(
        subject=subject.replace("\n", " ")[:120],
        body=body,
        to=[to],
        connection=connection,
        headers={"Message-ID": f"<{message_id}@{domain}>"},
    )
    if not message.send():
        raise DeliveryError("the mail backend sent nothing")
    return mail_answer()


def send_email(delivery: Delivery, connection: BaseEmailBackend | None = None) -> str:
    assert delivery.notification is not None
    recipient = delivery.notification.recipient
    if not recipient.email:
        raise DeliveryError("the person has no e-mail address any more")
    body = delivery.text + ("\n\n" + absolute(delivery.url) if delivery.url else "")
    return email_send(
        to=recipient.email,
        subject=title_of(delivery.kind),
        body=body,
        message_id=f"lianxin.delivery.{delivery.pk}",
        connection=connection,
    )


def send_text(delivery: Delivery, connection: BaseEmailBackend | None = None) -> str:
    mobile = delivery.mobile or (delivery.notification.recipient.mobile if delivery.notification is not None else "")
    if not mobile:
        raise DeliveryError("the person has no mobile number any more")
    found = kind_of(delivery.kind)
    return send_sms(
        mobile=mobile,
        text=delivery.text,
        template=found.sms_template if found is not None else "",
        params=delivery.params,
        message_id=f"delivery-{delivery.pk}",
    )


def send_robot(delivery: Delivery, connection: BaseEmailBackend | None = None) -> str:
    robot = delivery.robot
    if robot is None or not robot.active:
        raise DeliveryError("the group robot was switched off")
    title, link = title_of(delivery.kind), absolute(delivery.url)
    if robot.platform == GroupRobot.Platform.DINGTALK:
        return dingtalk_send(webhook=robot.webhook_url, secret=robot.secret, title=title, text=delivery.text, link=link)
    return wecom_send(webhook=robot.webhook_url, title=title, text=delivery.text, link=link)


SENDERS: dict[str, Callable[[Delivery, BaseEmailBackend | None], str]] = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_text,
    Channel.ROBOT: send_robot,
}


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now).update(
        status=Delivery.Status.SENDING, next_attempt_at=now
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("notification__recipient", "robot").get(pk=delivery_id)


def reason_of(error: BaseException) -> str:
    return (str(error) or type(error).__name__)[:DETAIL_CHARS]


def record_failure(delivery: Delivery, now: datetime, reason: str, back_to: str = Delivery.Status.PENDING) -> str:
    """Log a failed try and schedule the next (as `back_to`, after BACKOFF), or give up after the last."""
    attempts = delivery.attempts + 1
    give_up = attempts > len(BACKOFF)
    status = Delivery.Status.FAILED if give_up else back_to
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, at=now, ok=False, detail=reason[:DETAIL_CHARS])
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status,
            attempts=attempts,
            last_error=reason[:DETAIL_CHARS],
            next_attempt_at=now if give_up else now + BACKOFF[attempts - 1],
        )
    return status


def record_success(delivery: Delivery, now: datetime, answer: str) -> str:
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, at=now, ok=True, detail=answer[:DETAIL_CHARS])
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENT, attempts=delivery.attempts + 1, answer=answer[:DETAIL_CHARS], sent_at=now
        )
    return Delivery.Status.SENT


def _held_for_quiet_hours(delivery: Delivery, now: datetime) -> bool:
    """A text retried into the person's quiet hours waits for their end, like a new one (services._plan)."""
    if delivery.channel != Channel.SMS or delivery.urgent or delivery.attempts == 0:
        return False
    chosen = (
        NotificationSettings.objects.filter(user_id=delivery.notification.recipient_id).first()
        if delivery.notification is not None
        else None  # a text to a number: the default quiet hours
    )
    start, end = (chosen.quiet_start, chosen.quiet_end) if chosen is not None else (QUIET_START, QUIET_END)
    if not in_quiet_hours(now, start, end):
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.HELD, next_attempt_at=next_clock_time(now, end)
    )
    return True


def delivery_send(delivery_id: int, *, connection: BaseEmailBackend | None = None) -> str:
    """Send one due delivery; returns its status afterwards ("" when another worker has it or it is not due).

    `connection` is an open mail connection to reuse (deliveries_send); otherwise each e-mail opens one."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return ""
    if _held_for_quiet_hours(delivery, now):
        return Delivery.Status.HELD
    try:
        answer = SENDERS[delivery.channel](delivery, connection)
    except Exception as error:  # a channel's failure of any kind is logged, never lost
        return record_failure(delivery, now, reason_of(error))
    return record_success(delivery, now, answer)


def delivery_try_once(delivery: Delivery) -> Delivery:
    """Save an unsaved delivery, send it now and leave it sent or failed (a test: no retries later)."""
    now = timezone.now()
    delivery.status, delivery.next_attempt_at, delivery.created_at = Delivery.Status.PENDING, now, now
    delivery.save()
    delivery_send(delivery.pk)
    delivery.refresh_from_db()
    if delivery.status != Delivery.Status.SENT:
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED)
        delivery.status = Delivery.Status.FAILED
    return delivery


def robot_test(robot: GroupRobot) -> tuple[bool, str]:
    """Post the test message to one group robot now: whether it arrived, and what the platform answered."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(TEST.text)
    delivery = delivery_try_once(
        Delivery(
            robot=robot,
            channel=Channel.ROBOT,
            kind=TEST.code,
            event_key=f"test:{uuid.uuid4().hex}",
            text=text,
            urgent=True,
        )
    )
    sent = delivery.status == Delivery.Status.SENT
    return sent, delivery.answer if sent else delivery.last_error


def _reopen(connection: Any) -> None:
    """(Re)open a shared mail connection; a server that is down fails each e-mail on its own instead."""
    connection.close()
    try:
        connection.open()
    except Exception:  # each e-mail then opens its own connection and logs why it failed
        connection.close()


def deliveries_send(delivery_ids: Iterable[int]) -> Counter[str]:
    """Send many due deliveries in turn over one mail connection; how many ended in each status."""
    outcome: Counter[str] = Counter()
    ids = list(delivery_ids)
    connection: Any = get_connection()
    mail = Delivery.objects.filter(pk__in=ids, channel=Channel.EMAIL).exists()
    if mail:  # opened here, it stays open across sends (a send that opens it also closes it)
        _reopen(connection)
    try:
        for delivery_id in ids:
            status = delivery_send(delivery_id, connection=connection)
            outcome[status or "taken"] += 1
            if mail and status in (Delivery.Status.PENDING, Delivery.Status.FAILED):
                _reopen(connection)  # a dropped connection must not fail the rest
    finally:
        connection.close()
    return outcome

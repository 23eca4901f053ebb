"""Sending a delivery on its channel, with every try logged and failures retried with back-off.

A delivery is claimed by a conditional UPDATE (pending and due → sending), so two workers never
send it twice. The channel's sender returns what the far end answered, or raises
`DeliveryError` with the reason; a failure is tried again after BACKOFF[attempt], and after the
last one it stays failed, shown to admins.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from lianxin.core.sms import send_sms
from lianxin.notifications.models import Channel, Delivery, DeliveryAttempt

# Waits before the 2nd, 3rd, ... try; after the last, the delivery has failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


class DeliveryError(Exception):
    """A channel could not deliver; the message says why (kept on the attempt)."""


def _absolute(url: str) -> str:
    base = getattr(settings, "LIANXIN_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def send_email(delivery: Delivery) -> str:
    assert delivery.notification is not None
    recipient = delivery.notification.recipient
    body = delivery.text + ("\n\n" + _absolute(delivery.url) if delivery.url else "")
    send_mail(delivery.text[:78], body, None, [recipient.email])
    return "accepted by the mail server"


def send_text(delivery: Delivery) -> str:
    assert delivery.notification is not None
    send_sms(mobile=delivery.notification.recipient.mobile, text=delivery.text)
    return "accepted by the SMS backend"


def send_robot(delivery: Delivery) -> str:
    raise DeliveryError("group robots are not configured")


SENDERS: dict[str, Callable[[Delivery], str]] = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_text,
    Channel.ROBOT: send_robot,
}


def _claim(delivery_id: int) -> Delivery | None:
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now).update(
        status=Delivery.Status.SENDING
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("notification__recipient", "robot").get(pk=delivery_id)


def delivery_send(delivery_id: int) -> str:
    """Send one due delivery; returns its status afterwards ("" when another worker has it)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return ""
    now = timezone.now()
    try:
        answer = SENDERS[delivery.channel](delivery)
    except Exception as error:  # a channel's failure of any kind is logged, never lost
        reason = (str(error) or type(error).__name__)[:300]
        attempts = delivery.attempts + 1
        give_up = attempts > len(BACKOFF)
        with transaction.atomic():
            DeliveryAttempt.objects.create(delivery=delivery, at=now, ok=False, detail=reason)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED if give_up else Delivery.Status.PENDING,
                attempts=attempts,
                last_error=reason,
                next_attempt_at=now if give_up else now + BACKOFF[attempts - 1],
            )
        return Delivery.Status.FAILED if give_up else Delivery.Status.PENDING
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, at=now, ok=True, detail=answer[:300])
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENT, attempts=delivery.attempts + 1, answer=answer[:300], sent_at=now
        )
    return Delivery.Status.SENT

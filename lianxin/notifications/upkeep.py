"""The notifications' upkeep, run every minute or five (cron: manage.py notifications_upkeep).

It sends what no task is going to send: deliveries whose back-off has passed (or whose task was
lost), texts held for quiet hours once the morning comes, and the daily digest of each person
who takes one; and it gives a delivery back to the queue when its worker was killed mid-send.
Every send goes through the same claim as a worker's (channels.py), so an upkeep that overlaps
a worker, or another upkeep, never sends a delivery twice.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from lianxin.core.sms import send_sms
from lianxin.notifications.channels import (
    absolute,
    deliveries_send,
    email_send,
    reason_of,
    record_failure,
    record_success,
)
from lianxin.notifications.models import Channel, Delivery

# A delivery still "being sent" this long after its try began lost its worker (a send times out in seconds).
STUCK_AFTER = timedelta(minutes=10)
# When tasks are deferred to their next try, the upkeep leaves them this long to the workers first.
WORKERS_FIRST = timedelta(minutes=2)
# The most deliveries one run sends; the next run goes on.
BATCH = 2000
DIGEST_TEMPLATE = "LX_DIGEST"


@dataclass
class Upkept:
    requeued: int = 0  # stuck mid-send, given back to the queue
    released: int = 0  # held for quiet hours, now due
    sent: int = 0
    retrying: int = 0  # failed this time, tried again later
    failed: int = 0  # failed for good
    digests: int = 0  # digest messages sent (one per person and channel)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _requeue_stuck(now: datetime) -> int:
    """Give a delivery whose worker died mid-send back to the queue; the lost try counts as one."""
    requeued = 0
    stuck = Delivery.objects.filter(status=Delivery.Status.SENDING, next_attempt_at__lt=now - STUCK_AFTER)
    for delivery in stuck:
        with transaction.atomic():
            if not Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.PENDING
            ):
                continue  # it finished meanwhile
            record_failure(delivery, now, "the worker stopped while sending; tried again")
            Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(next_attempt_at=now)
        requeued += 1
    return requeued


def _release_held(now: datetime) -> int:
    """Texts held for quiet hours become due once the hours are over (their next_attempt_at)."""
    return Delivery.objects.filter(status=Delivery.Status.HELD, next_attempt_at__lte=now).update(
        status=Delivery.Status.PENDING
    )


def _send_due(now: datetime, upkept: Upkept) -> None:
    grace = WORKERS_FIRST if default_task_backend.supports_defer else timedelta(0)
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now - grace)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    outcome = deliveries_send(due)
    upkept.sent += outcome[Delivery.Status.SENT]
    upkept.retrying += outcome[Delivery.Status.PENDING]
    upkept.failed += outcome[Delivery.Status.FAILED]


def _list_link() -> str:
    try:
        return absolute(reverse("notifications:list"))
    except NoReverseMatch:  # the site without the notifications pages: its home
        return absolute("/")


def _digest_send(channel: str, deliveries: list[Delivery]) -> str:
    """Send one person's digest on one channel; returns the channel's answer or raises."""
    assert deliveries[0].notification is not None
    person, count, link = deliveries[0].notification.recipient, len(deliveries), _list_link()
    with translation.override(settings.LANGUAGE_CODE):
        if channel == Channel.SMS:
            text = _("Lianxin: waiting on you today: %(count)s. The list: %(link)s") % {"count": count, "link": link}
            params = {"count": str(count), "link": link}
            return send_sms(
                mobile=person.mobile,
                text=text,
                template=DIGEST_TEMPLATE,
                params=params,
                message_id=_digest_id(deliveries),
            )
        lines = [f"{n}. {d.text}" + (f"\n   {absolute(d.url)}" if d.url else "") for n, d in enumerate(deliveries, 1)]
        subject = _("Waiting on you in Lianxin: %(count)s") % {"count": count}
        body = "\n\n".join([_("What waits on you in Lianxin:"), *lines, link])
    return email_send(to=person.email, subject=subject, body=body, message_id=_digest_id(deliveries))


def _digest_id(deliveries: list[Delivery]) -> str:
    return f"lianxin.digest.{deliveries[0].pk}.{len(deliveries)}"


def _claim_digest(ids: list[int], now: datetime) -> list[Delivery]:
    claimed = [
        pk
        for pk in ids
        if Delivery.objects.filter(pk=pk, status=Delivery.Status.DIGEST).update(
            status=Delivery.Status.SENDING, next_attempt_at=now
        )
    ]
    return list(
        Delivery.objects.filter(pk__in=claimed).select_related("notification__recipient").order_by("created_at", "pk")
    )


def _send_digests(now: datetime, upkept: Upkept) -> None:
    """One message per person and channel for every delivery kept for their digest that is due."""
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, person, channel in Delivery.objects.filter(
        status=Delivery.Status.DIGEST, next_attempt_at__lte=now
    ).values_list("pk", "notification__recipient_id", "channel"):
        groups[(person, channel)].append(pk)
    for (_person, channel), ids in sorted(groups.items()):
        deliveries = _claim_digest(ids, now)
        if not deliveries:
            continue  # another upkeep took them
        try:
            answer = _digest_send(channel, deliveries)
        except Exception as error:  # logged on each delivery it carried, tried again later
            for delivery in deliveries:
                status = record_failure(delivery, now, reason_of(error), back_to=Delivery.Status.DIGEST)
                upkept.failed += status == Delivery.Status.FAILED
            continue
        for delivery in deliveries:
            record_success(delivery, now, f"in the daily digest ({len(deliveries)}): {answer}")
        upkept.digests += 1


def notifications_upkeep(*, now: datetime | None = None) -> Upkept:
    """One run of the upkeep; each part stands on its own, so a run can be stopped and started any time."""
    now = now or timezone.now()
    upkept = Upkept(requeued=_requeue_stuck(now), released=_release_held(now))
    _send_due(now, upkept)
    _send_digests(now, upkept)
    return upkept

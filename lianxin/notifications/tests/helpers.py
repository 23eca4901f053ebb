"""What the notification page tests share: a notification written as the raise would write it."""

from datetime import timedelta

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import Delivery, Notification


def given_notification(
    user: User, *, text: str = "一条待办", url: str = "/", minutes_ago: int = 0, read: bool = False
) -> Notification:
    now = timezone.now()
    return Notification.objects.create(
        recipient=user,
        kind=TEST.code,
        event_key=f"test:{Notification.objects.count() + 1}",
        text=text,
        url=url,
        created_at=now - timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )


def told(user: User, kind: str = "") -> list[Notification]:
    """What `user` was told (of `kind`), oldest first."""
    found = Notification.objects.filter(recipient=user).order_by("pk")
    return list(found.filter(kind=kind) if kind else found)


def channels_of(notification: Notification) -> set[str]:
    """The channels a notification went out on besides the app."""
    return set(Delivery.objects.filter(notification=notification).values_list("channel", flat=True))

"""A test message through every channel a person has: what `send_test_notification` and the admin send.

In the app always; by e-mail when the person has an address, by text when a mobile number, and
to the group robots of each organization they administer. It is sent at once, tried once, and
each channel's answer is reported, so a wrong SMTP password or robot secret shows at set-up.
A single robot is tried with `channels.robot_test` (the robot pages and the admin).
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from lianxin.accounts.models import RoleAssignment, User
from lianxin.core.parsing import mask_phone
from lianxin.notifications.channels import delivery_try_once
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import Channel, Delivery, GroupRobot, Notification


@dataclass(frozen=True)
class Tried:
    channel: str  # where it went, e.g. "e-mail to wang@example.cn"
    ok: bool
    answer: str  # what the channel answered, or why it failed


def _where(delivery: Delivery, user: User | None) -> str:
    if user is not None and delivery.channel == Channel.EMAIL:
        return f"e-mail to {user.email}"
    if user is not None and delivery.channel == Channel.SMS:
        return f"SMS to {mask_phone(user.mobile)}"
    assert delivery.robot is not None
    return f"{delivery.robot.get_platform_display()} “{delivery.robot.name}”"


def test_message_send(*, user: User) -> list[Tried]:
    """Send the test message to `user` on each of their channels now; one line per channel."""
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        text = str(TEST.text)
    notification = Notification.objects.create(
        recipient=user, kind=TEST.code, event_key=f"test:{uuid.uuid4().hex}", text=text, urgent=True, created_at=now
    )
    common = {"kind": TEST.code, "event_key": notification.event_key, "text": text, "urgent": True}
    planned = []
    if user.email:
        planned.append(Delivery(notification=notification, channel=Channel.EMAIL, **common))
    if user.mobile:
        planned.append(Delivery(notification=notification, channel=Channel.SMS, **common))
    administered = RoleAssignment.objects.filter(user=user, role=RoleAssignment.Role.ORG_ADMIN).values("organization")
    for robot in GroupRobot.objects.filter(Q(organization__in=administered), active=True).order_by("pk"):
        planned.append(Delivery(robot=robot, channel=Channel.ROBOT, **common))
    return [Tried("in the app", True, "kept in the app"), *(_try(delivery, user) for delivery in planned)]


def _try(delivery: Delivery, user: User | None) -> Tried:
    delivery = delivery_try_once(delivery)
    ok = delivery.status == Delivery.Status.SENT
    return Tried(_where(delivery, user), ok, delivery.answer if ok else delivery.last_error)

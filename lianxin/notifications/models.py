"""What a person is told, and how it reached them.

A `Notification` is one thing that waits on one person (an order to dispatch, a demand due
tomorrow), kept in the app whatever else happens: the bell counts the unread ones. Each other
channel the person has for its kind (e-mail, SMS) gets a `Delivery`, and an organization's group
robots (DingTalk, WeCom) get one per event; every try of a delivery is a `DeliveryAttempt`.
`Notification.event_key` with the recipient and kind is unique, so the same event never reaches
the same person twice (kinds.py, services.py).
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.crypto import EncryptedTextField
from lianxin.organizations.models import Organization


class Channel(models.TextChoices):
    """Where a notification goes. The app (the bell) always keeps it; the others are chosen."""

    APP = "app", _("in the app")
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("text message")
    ROBOT = "robot", _("group robot")


# The channels a person chooses per kind; the app is always kept, robots are the organization's.
PERSONAL_CHANNELS = (Channel.EMAIL, Channel.SMS)


class Notification(models.Model):
    """One thing that waits on one person, with the link to the page where it waits."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    event_key = models.CharField(_("event"), max_length=120)
    text = models.CharField(_("text"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "event_key"], name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.text


class GroupRobot(models.Model):
    """An organization's group chat robot: a DingTalk custom robot or a WeCom group robot.

    The webhook address carries the robot's token and the DingTalk signing secret is the
    robot's own, so both are encrypted at rest. `kinds` lists the notification kinds it posts
    (empty: every kind meant for staff of the organization).
    """

    class Platform(models.TextChoices):
        DINGTALK = "dingtalk", _("DingTalk custom robot")
        WECOM = "wecom", _("WeCom group robot")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="group_robots", verbose_name=_("organization")
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=60)
    webhook_url = EncryptedTextField(_("webhook address"))
    secret = EncryptedTextField(_("signing secret"), blank=True)
    kinds = models.JSONField(_("kinds posted"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One notification on one channel (e-mail, SMS), one event to one group robot, or one text to
    a resident who has no account but gave their number with a demand (`mobile`, encrypted)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        HELD = "held", _("held for quiet hours")
        DIGEST = "digest", _("kept for the daily digest")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent")

    notification = models.ForeignKey(
        Notification,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    robot = models.ForeignKey(
        GroupRobot,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("group robot"),
    )
    mobile = EncryptedTextField(_("mobile phone"), blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # A robot's delivery has no notification: the event it posts is named here.
    kind = models.CharField(_("kind"), max_length=60)
    event_key = models.CharField(_("event"), max_length=120)
    text = models.CharField(_("text"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    answer = models.CharField(_("answer"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=models.Q(notification__isnull=False),
                name="delivery_once_per_channel",
            ),
            models.UniqueConstraint(
                fields=["robot", "kind", "event_key"],
                condition=models.Q(robot__isnull=False),
                name="delivery_once_per_robot_event",
            ),
            models.UniqueConstraint(
                fields=["mobile_hash", "kind", "event_key"],
                condition=~models.Q(mobile_hash=""),
                name="delivery_once_per_number_event",
            ),
            models.CheckConstraint(
                condition=models.Q(notification__isnull=False)
                | models.Q(robot__isnull=False)
                | ~models.Q(mobile_hash=""),
                name="delivery_has_a_recipient",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.text}"


class DeliveryAttempt(models.Model):
    """One try of a delivery: what the channel answered, or why it failed."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    at = models.DateTimeField(_("at"))
    ok = models.BooleanField(_("delivered"))
    detail = models.CharField(_("answer or reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.detail


# Quiet hours by default: no text message between these (China Standard Time), unless urgent.
QUIET_START = time(22, 0)
QUIET_END = time(7, 0)
DIGEST_HOUR = time(8, 0)


# Defaults as callables: Django's check warns of a fixed time default within seconds of the present.
def default_quiet_start() -> time:
    return QUIET_START


def default_quiet_end() -> time:
    return QUIET_END


def default_digest_at() -> time:
    return DIGEST_HOUR


class NotificationSettings(models.Model):
    """A person's quiet hours and whether they take e-mail and text messages as one daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    quiet_start = models.TimeField(_("quiet hours from"), default=default_quiet_start)
    quiet_end = models.TimeField(_("quiet hours until"), default=default_quiet_end)
    digest = models.BooleanField(_("one daily digest instead of single messages"), default=False)
    digest_at = models.TimeField(_("digest sent at"), default=default_digest_at)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)


class Preference(models.Model):
    """A person's choice of channels for one kind; a kind without a row takes its defaults."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    email = models.BooleanField(_("e-mail"), default=False)
    sms = models.BooleanField(_("text message"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"

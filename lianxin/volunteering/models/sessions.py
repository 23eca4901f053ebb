"""Sessions (服务活动): time, place, slots; sign-ups, check-in and check-out, hours."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.core.tokens import new_checkin_code, new_token
from lianxin.organizations.models import Area
from lianxin.volunteering.models.catalogue import ServiceItem, Team
from lianxin.volunteering.models.orders import Order


class SessionVerb(models.TextChoices):
    """What a session's timeline says happened; sign-ups and check-ins are on the session's timeline."""

    SCHEDULED = "scheduled", _("session scheduled")
    CHANGED = "changed", _("changed")
    CANCELLED = "cancelled", _("cancelled")
    HELD = "held", _("marked as held")
    SIGNED_UP = "signed_up", _("signed up")
    SIGNUP_LEFT = "signup_left", _("left the session")
    CHECKED_IN = "checked_in", _("checked in")
    CHECKED_OUT = "checked_out", _("checked out")
    HOURS_RECORDED = "hours_recorded", _("hours recorded")


class CalendarFeedVerb(models.TextChoices):
    FEED_RESET = "feed_reset", _("calendar link reset")


class Session(models.Model):
    timeline_verbs = SessionVerb

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PLANNED: (Status.HELD, Status.CANCELLED),
        Status.HELD: (),
        Status.CANCELLED: (),
    }

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("team"))
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("order")
    )
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("service")
    )
    title = models.CharField(_("title"), max_length=120)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="volunteer_sessions", verbose_name=_("area"))
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    slots = models.PositiveIntegerField(_("volunteers needed"))
    signed_up_count = models.PositiveIntegerField(_("signed up"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    checkin_code = models.CharField(_("check-in code"), max_length=6, default=new_checkin_code)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries (person-times)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("volunteer session")
        verbose_name_plural = _("volunteer sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["team", "starts_at"]), models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"),
            models.CheckConstraint(
                condition=models.Q(signed_up_count__lte=models.F("slots")), name="session_signups_within_slots"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteering:session_detail", args=[self.pk])


class SignUp(models.Model):
    """One volunteer on one session; leaving keeps the row (left_at) for the record."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="signups", verbose_name=_("session"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signups", verbose_name=_("volunteer")
    )
    # Copied from the session so overlap checks and a person's record read one table.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    signed_up_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=Decimal("0"))
    # Set when the leader records or confirms the hours (absent: 0 hours); "all present" skips these rows.
    hours_confirmed_at = models.DateTimeField(_("hours confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["user", "starts_at"]), models.Index(fields=["session", "left_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=models.Q(left_at__isnull=True), name="signup_one_active"
            ),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="signup_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session}"


class CalendarFeed(models.Model):
    """A person's private iCal feed of the sessions they signed up for: /volunteering/feeds/<token>.ics"""

    timeline_verbs = CalendarFeedVerb

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

"""Organizational life (三会一课, 主题党日, 组织生活会...): activities, attendance, joint events and
the calendar feed of an organization's activities, with the words of their timelines."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.core.tokens import new_checkin_code, new_token
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


class Kind(models.TextChoices):
    BRANCH_CONGRESS = "branch_congress", _("branch congress")
    COMMITTEE_MEETING = "committee_meeting", _("branch committee meeting")
    GROUP_MEETING = "group_meeting", _("Party group meeting")
    PARTY_LECTURE = "party_lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("theme Party day")
    LIFE_MEETING = "life_meeting", _("organizational life meeting")
    APPRAISAL = "appraisal", _("democratic appraisal of members")
    STUDY = "study", _("collective study")
    OATH = "oath", _("oath-taking")
    POLITICAL_BIRTHDAY = "political_birthday", _("collective political birthday")
    OTHER = "other", _("other")


class ActivityVerb(models.TextChoices):
    """What an activity's timeline records (services/planning.py)."""

    SCHEDULED = "scheduled", _("activity planned")
    CHANGED = "changed", _("changed")
    ATTENDEE_ADDED = "attendee_added", _("attendee added")
    ATTENDEE_REMOVED = "attendee_removed", _("taken off the list")
    ATTENDANCE_RECORDED = "attendance_recorded", _("attendance recorded")
    ATTENDANCE_RECORDED_IN_BULK = "attendance_bulk", _("attendance recorded for several people")
    CHECKED_IN = "checked_in", _("checked in")
    HELD = "held", _("marked as held")
    CANCELLED = "cancelled", _("cancelled")


class JointEventVerb(models.TextChoices):
    CREATED = "created", _("created")


class JointEvent(models.Model):
    """One event held by many organizations at once (seed 002: a collective political birthday
    with 15,000 members online and offline); each organization's part is an Activity."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organizer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="joint_events", verbose_name=_("organizer")
    )
    starts_at = models.DateTimeField(_("starts at"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    timeline_verbs = JointEventVerb

    class Meta:
        verbose_name = _("joint event")
        verbose_name_plural = _("joint events")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PLANNED: (Status.HELD, Status.CANCELLED),
        Status.HELD: (),
        Status.CANCELLED: (),
    }
    # Kinds whose decisions need more than half of those entitled present (支部工作条例).
    QUORUM_KINDS = (Kind.BRANCH_CONGRESS, Kind.COMMITTEE_MEETING)
    timeline_verbs = ActivityVerb

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="activities", verbose_name=_("organization")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    host = models.CharField(_("host"), max_length=60, blank=True)
    recorder = models.CharField(_("recorder"), max_length=60, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    checkin_code = models.CharField(_("check-in code"), max_length=6, default=new_checkin_code)
    joint_event = models.ForeignKey(
        JointEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("joint event"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "kind", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after"),
            models.UniqueConstraint(
                fields=["joint_event", "organization"],
                condition=models.Q(joint_event__isnull=False),
                name="activity_one_part_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    @property
    def needs_quorum(self) -> bool:
        return self.kind in self.QUORUM_KINDS


class Attendance(models.Model):
    """One member at one activity: expected (default: the organization's members), invited, or an observer (列席)."""

    class Role(models.TextChoices):
        EXPECTED = "expected", _("expected")
        INVITED = "invited", _("invited")
        OBSERVER = "observer", _("observer")

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("not recorded")
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("activity")
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("member"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EXPECTED)
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices, default=Status.UNKNOWN)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # Copied from the activity so coverage and compliance read one table.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["activity", "member"]
        indexes = [
            models.Index(
                fields=["organization", "starts_at", "kind"], include=["member_id", "status"], name="att_org_time_kind"
            ),
            models.Index(fields=["member", "starts_at"]),
        ]
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="attendance_once_per_activity")]

    def __str__(self) -> str:
        return f"{self.member} @ {self.activity}"


class OrganizationFeed(models.Model):
    """The stable iCal URL of an organization's activities: /activities/feeds/<token>.ics"""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="activity_feed", verbose_name=_("organization")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity calendar feed")
        verbose_name_plural = _("activity calendar feeds")

    def __str__(self) -> str:
        return str(self.organization)

"""Residents' demands (问题诉求) followed to resolution, and where they come from.

A demand is collected (a visit, a research topic, a 民生面对面 session, the 12345 hotline, a
resident's own submission, another module), accepted or turned away (not ours, duplicate),
assigned to a responsible unit with a deadline in working days, handled, resolved or closed as
unresolvable, and followed up with the resident (回访). "Closed" is never "resolved".
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.crypto import EncryptedTextField
from lianxin.core.parsing import mask_phone
from lianxin.organizations.models import Area, Organization

# Lookup codes avoid letters and digits that read alike (0/O, 1/I/L).
LOOKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_lookup_code() -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(8))


class DemandCategory(models.Model):
    """A configurable category; its default deadline is in working days (commonly 2–7)."""

    name = models.CharField(_("name"), max_length=40)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("deadline (working days)"), default=5)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("demand category")
        verbose_name_plural = _("demand categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """走访: to a household, an enterprise or a member; who went, when, what was found."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("household")
        ENTERPRISE = "enterprise", _("enterprise")
        MEMBER = "member", _("Party member")
        FISHERY = "fishery", _("fishing or farming household")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="demand_visits", verbose_name=_("visiting organization")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="demand_visits", verbose_name=_("area"))
    visited = models.CharField(_("visited (household, enterprise or person)"), max_length=120)
    visitors = models.CharField(_("visitors"), max_length=200)
    visited_on = models.DateField(_("date"))
    findings = models.TextField(_("what was found"), blank=True)
    topic = models.ForeignKey(
        "ResearchTopic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("research topic"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["organization", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.visited}"


class ResearchTopic(models.Model):
    """调研课题 (seed 001 counts 636 topics, 140 of them key topics)."""

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("ongoing")
        CONCLUDED = "concluded", _("concluded")

    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.ONGOING: (Status.CONCLUDED,), Status.CONCLUDED: ()}

    title = models.CharField(_("topic"), max_length=200)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="research_topics", verbose_name=_("organization")
    )
    leader = models.CharField(_("leader"), max_length=60)
    is_key = models.BooleanField(_("key topic"), default=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    findings = models.TextField(_("findings"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ONGOING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="topic_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title


class FaceToFace(models.Model):
    """民生面对面: a session where residents raise problems with cadres face to face."""

    title = models.CharField(_("title"), max_length=120)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="face_to_face_sessions", verbose_name=_("organizer")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="face_to_face_sessions", verbose_name=_("area")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    attendance = models.PositiveIntegerField(_("residents attending"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("face-to-face session")
        verbose_name_plural = _("face-to-face sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class HotSpot(models.Model):
    """Repeated complaints about one thing (seed 003: square-dance noise), grouped."""

    title = models.CharField(_("title"), max_length=120)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="demand_hot_spots", verbose_name=_("area"))
    category = models.ForeignKey(
        DemandCategory, on_delete=models.PROTECT, related_name="hot_spots", verbose_name=_("category")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hot spot")
        verbose_name_plural = _("hot spots")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Demand(models.Model):
    class Source(models.TextChoices):
        VISIT = "visit", _("visit")
        RESEARCH = "research", _("research topic")
        FACE_TO_FACE = "face_to_face", _("face-to-face session")
        HOTLINE = "hotline", _("12345 hotline")
        PUBLIC = "public", _("submitted by a resident")
        OPEN311 = "open311", _("Open311 client")
        MODULE = "module", _("another module")
        STAFF = "staff", _("entered by staff")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting acceptance")
        ACCEPTED = "accepted", _("accepted")
        ASSIGNED = "assigned", _("being handled")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("resolved and followed up")
        UNRESOLVABLE = "unresolvable", _("closed, cannot be resolved")
        NOT_OURS = "not_ours", _("not ours")
        DUPLICATE = "duplicate", _("duplicate")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")

    # Reassigning keeps ASSIGNED (an event, not a state); an unsatisfied follow-up sends a
    # resolved demand back to ASSIGNED for re-handling.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.SUBMITTED: (Status.ACCEPTED, Status.NOT_OURS, Status.DUPLICATE),
        Status.ACCEPTED: (Status.ASSIGNED, Status.NOT_OURS, Status.DUPLICATE),
        Status.ASSIGNED: (Status.RESOLVED, Status.UNRESOLVABLE, Status.DUPLICATE),
        Status.RESOLVED: (Status.CLOSED, Status.ASSIGNED),
        Status.CLOSED: (),
        Status.UNRESOLVABLE: (),
        Status.NOT_OURS: (),
        Status.DUPLICATE: (),
    }
    OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED)
    # The resolution rate: RESOLVED_STATUSES / (collected − duplicates − not ours).
    RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)
    LEFT_OUT_STATUSES = (Status.NOT_OURS, Status.DUPLICATE)

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        DemandCategory, on_delete=models.PROTECT, related_name="demands", verbose_name=_("category")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="demands", verbose_name=_("area"))
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    source = models.CharField(_("source"), max_length=14, choices=Source.choices)
    # The record it came from (a Visit, ResearchTopic, FaceToFace, Wish...), when there is one.
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    hotline_number = models.CharField(_("12345 work order number"), max_length=40, blank=True)
    # The organization that collected it and owns its acceptance; scoping starts here.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="collected_demands",
        verbose_name=_("collecting organization"),
    )
    submitter_name = models.CharField(_("resident"), max_length=50, blank=True)
    submitter_phone = EncryptedTextField(_("resident's phone"), blank=True)
    submitter_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_demands",
        verbose_name=_("entered by"),
    )
    lookup_code = models.CharField(_("lookup code"), max_length=8, unique=True, default=new_lookup_code)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    hot_spot = models.ForeignKey(
        HotSpot, null=True, blank=True, on_delete=models.SET_NULL, related_name="demands", verbose_name=_("hot spot")
    )
    responsible_unit = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_demands",
        verbose_name=_("responsible unit"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)
    rework_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)
    satisfaction = models.CharField(
        _("follow-up"), max_length=12, choices=Satisfaction.choices, blank=True, help_text=_("the latest follow-up")
    )
    escalated_to = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("escalated to")
    )
    # What the public board may show, written or cleared of personal data by a reviewer.
    public_summary = models.TextField(_("public summary"), blank=True)
    summary_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary_reviewed_at = models.DateTimeField(_("summary reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("collected at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["responsible_unit", "status", "deadline"]),
            models.Index(fields=["organization", "created_at"]),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["area", "status"]),
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["created_at"]),
            # The public board lists resolved demands whose summary a reviewer cleared.
            models.Index(
                fields=["resolved_at"], condition=models.Q(summary_reviewed_at__isnull=False), name="demand_board_items"
            ),
        ]
        constraints = [
            # A 12345 work order is recorded once; the import and demand_create check it first.
            models.UniqueConstraint(
                fields=["hotline_number"], condition=~models.Q(hotline_number=""), name="demand_hotline_number_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="duplicate") | models.Q(duplicate_of__isnull=False),
                name="demand_duplicate_names_original",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="assigned")
                | models.Q(responsible_unit__isnull=False, deadline__isnull=False),
                name="demand_assigned_has_unit_and_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def submitter_phone_masked(self) -> str:
        return mask_phone(self.submitter_phone)


class FollowUp(models.Model):
    """回访: the resident's answer after a resolution, once per round of handling."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("demand"))
    round = models.PositiveSmallIntegerField(_("round"))
    result = models.CharField(_("result"), max_length=12, choices=Demand.Satisfaction.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    # The resident through the lookup page, or the collector answering on their behalf.
    by_resident = models.BooleanField(_("answered by the resident"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["demand", "round"]
        constraints = [models.UniqueConstraint(fields=["demand", "round"], name="follow_up_once_per_round")]

    def __str__(self) -> str:
        return f"{self.demand} #{self.round}: {self.result}"


class PublicNotice(models.Model):
    """整改通报 / 集中晾晒: a period's counts, rates and reviewed items for an organization's area."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.DRAFT: (Status.PUBLISHED,), Status.PUBLISHED: ()}

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="public_notices", verbose_name=_("organization")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=120)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The figures as they stood when the notice was published, so a later change does not rewrite it.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    demands = models.ManyToManyField(Demand, blank=True, related_name="notices", verbose_name=_("items shown"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-ends_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="notice_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title

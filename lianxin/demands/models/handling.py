"""The handling part: a demand (问题诉求) followed to resolution, its category and its follow-ups.

A demand is collected (a visit, a research topic, a 民生面对面 session, the 12345 hotline, a
resident's own submission, another module), accepted or turned away (not ours, duplicate),
assigned to a responsible unit with a deadline in working days, handled, resolved or closed as
unresolvable, and followed up with the resident (回访). "Closed" is never "resolved".
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
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


class DemandVerb(models.TextChoices):
    """What a demand's timeline records (services/handling.py, followup.py, public.py, board.py, duplicates.py)."""

    COLLECTED = "collected", _("collected")
    SUBMITTED_ONLINE = "submitted_online", _("submitted online")
    ACCEPTED = "accepted", _("accepted")
    NOT_OURS = "not_ours", _("turned away: not ours")
    DUPLICATE = "duplicate", _("marked as a duplicate")
    ASSIGNED = "assigned", _("assigned")
    REASSIGNED = "reassigned", _("reassigned")
    STEP = "step", _("handling step")
    RESOLVED = "resolved", _("resolved")
    UNRESOLVABLE = "unresolvable", _("closed as unresolvable")
    FOLLOWED_UP = "followed_up", _("followed up")
    SENT_BACK = "sent_back", _("sent back for re-handling")
    ESCALATED = "escalated", _("escalated")
    REMINDED = "reminded", _("handler reminded")
    SUMMARY_REVIEWED = "summary_reviewed", _("public summary reviewed")
    MERGED_IN = "merged_in", _("a duplicate merged in")
    HOT_SPOT_ADDED = "hot_spot_added", _("added to a hot spot")
    HOT_SPOT_REMOVED = "hot_spot_removed", _("removed from a hot spot")
    CLAIMED = "claimed", _("added to the resident's account")


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
    timeline_verbs = DemandVerb

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
    # The resident's own account: set when they submit signed in, or claim the demand later
    # with its lookup code (services/mine.py); their "my demands" lists it.
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_demands",
        verbose_name=_("resident's account"),
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
        "HotSpot", null=True, blank=True, on_delete=models.SET_NULL, related_name="demands", verbose_name=_("hot spot")
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
            # The figures of a subtree read each of its organizations' demands of the period from
            # the index alone (an index-only scan per organization), whatever the rest holds:
            # it carries every column the figures count, the key they count included.
            models.Index(
                fields=["organization", "created_at"],
                include=[
                    "id",
                    "status",
                    "deadline",
                    "resolved_at",
                    "satisfaction",
                    "rework_count",
                    "responsible_unit",
                    "category",
                    "source",
                    "area",
                ],
                name="demand_org_time_figures",
            ),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["area", "status"]),
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["created_at"]),
            models.Index(
                fields=["resident", "created_at"],
                condition=models.Q(resident__isnull=False),
                name="demand_resident_own",
            ),
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

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])

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

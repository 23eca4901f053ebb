"""In-service members reporting to their residential community (在职党员进社区报到).

A member reports to a community's Party organization, which approves; the community
publishes service posts (岗位); members claim posts and record what they did (服务纪实).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.members.models import Member
from lianxin.organizations.models import Organization


class ReportVerb(models.TextChoices):
    """What happens to a report on its timeline; the decisions and the end are its states' names."""

    REPORTED = "reported", _("reported to the community")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    ENDED = "ended", _("ended")


class PostVerb(models.TextChoices):
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


class ClaimVerb(models.TextChoices):
    CLAIMED = "claimed", _("claimed")
    WITHDRAWN = "withdrawn", _("claim withdrawn")


class RecordVerb(models.TextChoices):
    # Not volunteering's "served" (已登记服务): a member writes their own 服务纪实.
    RECORDED = "recorded", _("service record written")


class CommunityReport(models.Model):
    timeline_verbs = ReportVerb

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("reported")
        REJECTED = "rejected", _("rejected")
        ENDED = "ended", _("ended")

    # A pending report may also be ended: the member withdraws it before the community decides.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PENDING: (Status.APPROVED, Status.REJECTED, Status.ENDED),
        Status.APPROVED: (Status.ENDED,),
        Status.REJECTED: (),
        Status.ENDED: (),
    }
    ACTIVE_STATUSES = (Status.PENDING, Status.APPROVED)
    # Community organizations a member can report to.
    COMMUNITY_SECTORS = (Organization.Sector.COMMUNITY, Organization.Sector.VILLAGE)

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="community_reports", verbose_name=_("member")
    )
    community = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="community_reports", verbose_name=_("community")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # The member's own organization when they reported: feedback goes there even after a transfer.
    home_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("member's organization")
    )
    reported_on = models.DateField(_("reported on"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reject_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("community report")
        verbose_name_plural = _("community reports")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["home_organization", "status"]),
            # The service figures of a subtree read each of its organizations' reports by date, both ways.
            models.Index(fields=["community", "reported_on"]),
            models.Index(fields=["home_organization", "reported_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="community_report_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.community}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class ServicePost(models.Model):
    timeline_verbs = PostVerb

    class Category(models.TextChoices):
        GOVERNANCE = "governance", _("community governance")
        ENVIRONMENT = "environment", _("environment and sanitation")
        SAFETY = "safety", _("safety patrol")
        CIVILITY = "civility", _("civility promotion")
        CARE = "care", _("care for the elderly and young")
        POLICY = "policy", _("policy explanation")
        SKILLS = "skills", _("professional skills")
        OTHER = "other", _("other")

    community = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="service_posts", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=100)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("members needed"), default=1)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community service post")
        verbose_name_plural = _("community service posts")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="post_capacity_positive")]

    def __str__(self) -> str:
        return self.title


class PostClaim(models.Model):
    timeline_verbs = ClaimVerb

    post = models.ForeignKey(
        ServicePost, on_delete=models.PROTECT, related_name="claims", verbose_name=_("service position")
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="post_claims", verbose_name=_("member"))
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("post claim")
        verbose_name_plural = _("post claims")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member"], condition=models.Q(withdrawn_at__isnull=True), name="post_claim_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.post}"


class ServiceRecord(models.Model):
    """服务纪实: what a member did in the community, on a date, for how long; a photo is optional."""

    timeline_verbs = RecordVerb

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="service_records", verbose_name=_("member")
    )
    community = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="service_records", verbose_name=_("community")
    )
    claim = models.ForeignKey(
        PostClaim,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("service position"),
    )
    served_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=Decimal("0"))
    description = models.TextField(_("what was done"))
    photo = models.FileField(_("photo"), upload_to="community/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-id"]
        indexes = [models.Index(fields=["member", "served_on"]), models.Index(fields=["community", "served_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gte=0), name="service_record_hours_ok")]

    def __str__(self) -> str:
        return f"{self.member} {self.served_on}"

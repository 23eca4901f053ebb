"""两优一先 rounds: a round per year and owner, quotas handed down the tree, nominations with
their review up the tree, the publicity notice (公示) and its objections, approval."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.members.models import Member
from lianxin.organizations.models import Organization


class AwardKind(models.TextChoices):
    OUTSTANDING_MEMBER = "outstanding_member", _("outstanding Communist Party member")
    OUTSTANDING_WORKER = "outstanding_worker", _("outstanding Party worker")
    ADVANCED_ORGANIZATION = "advanced_organization", _("advanced primary Party organization")


# The kinds awarded to a member (the third goes to an organization).
MEMBER_KINDS = (AwardKind.OUTSTANDING_MEMBER, AwardKind.OUTSTANDING_WORKER)


class RoundVerb(models.TextChoices):
    OPENED = "opened", _("round opened")
    QUOTA_SET = "quota_set", _("quota set")
    PUBLICITY_STARTED = "publicity_started", _("publicity started")
    APPROVED = "approved", _("commendation approved")
    CEREMONY = "ceremony", _("ceremony recorded")
    PUBLISHED = "published", _("list published")


class HonourRound(models.Model):
    """One 两优一先 round of an organization (the city, a district) for a year."""

    timeline_verbs = RoundVerb

    class Status(models.TextChoices):
        NOMINATING = "nominating", _("nominating and reviewing")
        PUBLICITY = "publicity", _("in publicity")
        APPROVED = "approved", _("commendation approved")
        PUBLISHED = "published", _("list published")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.NOMINATING: (Status.PUBLICITY,),
        Status.PUBLICITY: (Status.APPROVED,),
        Status.APPROVED: (Status.PUBLISHED,),
        Status.PUBLISHED: (),
    }
    PUBLIC_STATUSES = (Status.PUBLICITY, Status.PUBLISHED)  # the notice, then the published list

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="honour_rounds", verbose_name=_("organizing organization")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOMINATING)
    publicity_starts_on = models.DateField(_("publicity starts on"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("publicity ends on"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    ceremony_on = models.DateField(_("ceremony held on"), null=True, blank=True)
    ceremony_place = models.CharField(_("ceremony place"), max_length=120, blank=True)
    ceremony_note = models.CharField(_("ceremony note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("honours round")
        verbose_name_plural = _("honours rounds")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "year"], name="honour_round_one_per_owner_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("honours:round", args=[self.pk])


class Quota(models.Model):
    """How many of a kind an organization may nominate (and hand down to its children) in a round."""

    round = models.ForeignKey(HonourRound, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("round"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="honour_quotas", verbose_name=_("organization")
    )
    kind = models.CharField(_("award kind"), max_length=24, choices=AwardKind.choices)
    count = models.PositiveIntegerField(_("quota"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["organization__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organization", "kind"], name="honour_quota_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()} {self.count}"


class NominationVerb(models.TextChoices):
    NOMINATED = "nominated", _("nominated")
    RECOMMENDED = "recommended", _("recommended")
    NOT_RECOMMENDED = "not_recommended", _("not recommended")
    OBJECTION = "objection", _("objection recorded")
    OBJECTION_DECIDED = "objection_decided", _("objection decided")
    WITHDRAWN = "withdrawn", _("withdrawn after an objection")
    APPROVED = "approved", _("commended")


class Nomination(models.Model):
    """A member or an organization put forward by an organization within its quota."""

    timeline_verbs = NominationVerb

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("in review")
        RECOMMENDED = "recommended", _("recommended")
        NOT_RECOMMENDED = "not_recommended", _("not recommended")
        WITHDRAWN = "withdrawn", _("withdrawn")
        APPROVED = "approved", _("commended")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.IN_REVIEW: (Status.RECOMMENDED, Status.NOT_RECOMMENDED),
        Status.RECOMMENDED: (Status.APPROVED, Status.WITHDRAWN),
        Status.NOT_RECOMMENDED: (),
        Status.WITHDRAWN: (),
        Status.APPROVED: (),
    }
    # Nominations that hold a place of the quota.
    HOLDING_STATUSES = (Status.IN_REVIEW, Status.RECOMMENDED, Status.APPROVED)

    round = models.ForeignKey(
        HonourRound, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("round")
    )
    kind = models.CharField(_("award kind"), max_length=24, choices=AwardKind.choices)
    nominated_by = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="honour_nominations_made", verbose_name=_("nominated by")
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="honour_nominations"
    )
    nominee_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="honour_nominations"
    )
    # What the publicity notice shows: the name and unit as they stood when nominated.
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=200)
    deeds = models.TextField(_("deeds"), max_length=600)
    no_discipline_confirmed = models.BooleanField(_("no disciplinary action in force (confirmed)"), default=False)
    # The eligibility warnings found when nominated: a list of codes (rules.eligibility.WARNINGS).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # The organization whose review it waits for (the round's owner reviews last).
    review_at = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_REVIEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round", "kind", "id"]
        indexes = [
            models.Index(fields=["round", "status"]),
            models.Index(fields=["member", "status"]),
            models.Index(fields=["nominee_organization", "status"]),
            models.Index(fields=["nominated_by", "round"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=True) ^ models.Q(nominee_organization__isnull=True),
                name="honour_nomination_one_nominee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class NominationReview(models.Model):
    """One organization's word on a nomination on its way up the tree."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="reviews")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    recommend = models.BooleanField(_("recommend"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.recommend}"


class Objection(models.Model):
    """An objection raised during the publicity, with its outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("being looked into")
        DISMISSED = "dismissed", _("dismissed: the nomination stands")
        UPHELD = "upheld", _("upheld: the nomination is withdrawn")

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField(_("received on"))
    content = models.CharField(_("objection"), max_length=500)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.content[:20]}"

"""Micro-wishes (微心愿) and warm-heart tasks (暖心一件事): posted, reviewed, claimed, fulfilled."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.core.crypto import EncryptedTextField
from lianxin.core.parsing import mask_phone
from lianxin.organizations.models import Organization

DEFAULT_AMOUNT_CAP = Decimal("500")


def amount_cap() -> Decimal:
    """The most a single wish may ask for, in yuan (settings.LIANXIN_WISH_AMOUNT_CAP)."""
    return Decimal(str(getattr(settings, "LIANXIN_WISH_AMOUNT_CAP", DEFAULT_AMOUNT_CAP)))


def mask_name(name: str) -> str:
    """Keep the surname only: "王小明" -> "王**", "欧阳娜娜" -> "欧***"."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


class WishVerb(models.TextChoices):
    """What happens to a wish on its timeline; the states shown are the wish's own (Wish.Status)."""

    POSTED = "posted", _("posted")
    REVIEWED = "reviewed", _("reviewed and published")
    REJECTED = "rejected", _("rejected")
    CLAIMED = "claimed", _("claimed")
    JOINED = "joined", _("joined")
    WITHDRAWN = "withdrawn", _("claim withdrawn")
    FULFILLED = "fulfilled", _("fulfilled")
    CONFIRMED = "confirmed", _("confirmed")


class Wish(models.Model):
    timeline_verbs = WishVerb

    class Kind(models.TextChoices):
        WISH = "wish", _("micro-wish")
        WARM_TASK = "warm_task", _("warm-heart task")

    class Category(models.TextChoices):
        DAILY_NEEDS = "daily_needs", _("daily necessities")
        STUDY = "study", _("study support")
        MEDICAL = "medical", _("medical care")
        COMPANY = "company", _("companionship")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting review")
        PUBLISHED = "published", _("on the wall")
        REJECTED = "rejected", _("rejected")
        CLAIMED = "claimed", _("claimed")
        FULFILLED = "fulfilled", _("fulfilled")
        CONFIRMED = "confirmed", _("confirmed")

    # The only moves a wish can make; wish_transition refuses every other.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.SUBMITTED: (Status.PUBLISHED, Status.REJECTED),
        Status.PUBLISHED: (Status.CLAIMED,),
        Status.CLAIMED: (Status.FULFILLED, Status.PUBLISHED),
        Status.FULFILLED: (Status.CONFIRMED,),
        Status.REJECTED: (),
        Status.CONFIRMED: (),
    }
    # Statuses the public may see: everything that passed review.
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CLAIMED, Status.FULFILLED, Status.CONFIRMED)
    CLAIMED_STATUSES = (Status.CLAIMED, Status.FULFILLED, Status.CONFIRMED)
    # A wish counts as fulfilled once the claimer says so; confirmation does not change the figure.
    FULFILLED_STATUSES = (Status.FULFILLED, Status.CONFIRMED)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WISH)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    beneficiary_name = models.CharField(_("beneficiary"), max_length=50)
    beneficiary_phone = EncryptedTextField(_("beneficiary phone"), blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="wishes", verbose_name=_("community organization")
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="posted_wishes",
        verbose_name=_("posted by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reject_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    # Participants needed: 1 for a wish, several for a warm-heart task.
    capacity = models.PositiveIntegerField(_("participants needed"), default=1)
    # Active (not withdrawn) claims; raised and lowered only by conditional UPDATEs.
    claimed_count = models.PositiveIntegerField(_("participants"), default=0)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["organization", "status"]),
            # The service figures of a subtree read each of its communities' wishes by date.
            models.Index(fields=["organization", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="wish_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(claimed_count__lte=models.F("capacity")), name="wish_claims_within_capacity"
            ),
            models.CheckConstraint(condition=~models.Q(kind="wish") | models.Q(capacity=1), name="wish_single_claimer"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="wish_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wishes:detail", args=[self.pk])

    @property
    def beneficiary_masked(self) -> str:
        return mask_name(self.beneficiary_name)

    @property
    def beneficiary_phone_masked(self) -> str:
        return mask_phone(self.beneficiary_phone)

    @property
    def is_warm_task(self) -> bool:
        return self.kind == self.Kind.WARM_TASK

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.claimed_count, 0)


class WishClaim(models.Model):
    """One claimer of a wish, or one participant of a warm-heart task; withdrawn claims are kept."""

    wish = models.ForeignKey(Wish, on_delete=models.PROTECT, related_name="claims", verbose_name=_("wish"))
    claimer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wish_claims", verbose_name=_("claimer")
    )
    # Set when an organization admin claims for a unit or team rather than as a person.
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wish_claims",
        verbose_name=_("claiming organization"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wish claim")
        verbose_name_plural = _("wish claims")
        ordering = ["claimed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wish", "claimer"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="wish_claim_one_active_per_claimer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claimer} → {self.wish}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

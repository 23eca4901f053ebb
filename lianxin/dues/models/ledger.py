"""The dues ledger: each member's yearly assessment, payments with their receipts, and 交至年月."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.dues.rules.standard import Basis
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


class DuesVerb(models.TextChoices):
    """What a member's dues timeline says."""

    ASSESSED = "assessed", _("dues assessed")
    PAID = "paid", _("dues paid")
    VOIDED = "voided", _("payment voided")
    HANDED_OVER = "handed_over", _("dues handed over")


class DuesAccount(models.Model):
    """A member's standing: 交至年月 (paid up to and including `paid_through`'s month).

    Opened by the member's first assessment with `paid_through` the month before dues start;
    moved only by the payment services, so it always agrees with the valid payments."""

    timeline_verbs = DuesVerb

    member = models.OneToOneField(
        Member, primary_key=True, on_delete=models.CASCADE, related_name="dues_account", verbose_name=_("member")
    )
    starts_on = models.DateField(_("dues start"))  # first day of the first month owed
    paid_through = models.DateField(_("paid up to"))  # first day of the last month paid
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dues account")
        verbose_name_plural = _("dues accounts")
        indexes = [models.Index(fields=["paid_through"], name="dues_account_paid_through")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.paid_through:%Y-%m}"


class Assessment(models.Model):
    """The monthly amount a member pays in one year, from a band of the standard."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dues_assessments", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    monthly_amount = models.DecimalField(_("monthly amount (yuan)"), max_digits=7, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assessed by")
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now=True)

    class Meta:
        verbose_name = _("dues assessment")
        verbose_name_plural = _("dues assessments")
        ordering = ["-year", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="dues_assessment_one_per_year"),
            models.CheckConstraint(condition=models.Q(monthly_amount__gt=0), name="dues_assessment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}: {self.monthly_amount}"


class Payment(models.Model):
    """One payment of dues, with its receipt number (sequential per organization and year)."""

    timeline_verbs = DuesVerb

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        TRANSFER = "transfer", _("transfer")
        STATEMENT = "statement", _("bank statement import")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular")
        BACK = "back", _("back payment (补缴)")
        DONATION = "donation", _("special donation")

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        VOIDED = "voided", _("voided")

    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.VALID: (Status.VOIDED,), Status.VOIDED: ()}
    # Kinds that cover months and move 交至年月; a donation covers none.
    MONTHLY_KINDS = (Kind.REGULAR, Kind.BACK)

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments", verbose_name=_("member"))
    # The branch that collected it: its receipts, its hand-over.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="dues_payments", verbose_name=_("Party organization")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    months_from = models.DateField(_("from month"), null=True, blank=True)
    months_to = models.DateField(_("to month"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    receipt_year = models.PositiveSmallIntegerField(_("receipt year"))
    receipt_number = models.PositiveIntegerField(_("receipt number"))
    for_centre = models.BooleanField(_("for the Centre"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.VALID)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-id"]
        indexes = [
            models.Index(fields=["member", "status", "months_to"], name="dues_payment_member"),
            models.Index(fields=["organization", "paid_on"], name="dues_payment_org_paid_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "receipt_year", "receipt_number"], name="dues_payment_receipt_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_payment_positive"),
            models.CheckConstraint(
                condition=models.Q(kind="donation", months_from__isnull=True, months_to__isnull=True, months=0)
                | (
                    ~models.Q(kind="donation")
                    & models.Q(months_from__isnull=False, months_to__gte=models.F("months_from"), months__gte=1)
                ),
                name="dues_payment_months_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    @property
    def receipt(self) -> str:
        """The receipt number as printed: year and sequence within the organization."""
        return f"{self.receipt_year}-{self.receipt_number:05d}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


class Handover(models.Model):
    """What a branch handed up to its Party committee for one month's dues (上缴)."""

    timeline_verbs = DuesVerb

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="dues_handovers", verbose_name=_("Party organization")
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="dues_received", verbose_name=_("handed to")
    )
    month = models.DateField(_("month"))  # first day of the month collected
    amount = models.DecimalField(_("amount (yuan)"), max_digits=11, decimal_places=2)
    handed_on = models.DateField(_("handed over on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues hand-over")
        verbose_name_plural = _("dues hand-overs")
        ordering = ["-month", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="dues_handover_one_per_month"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="dues_handover_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m}: {self.amount}"

"""Assessments, payments with their receipts, voiding, and 交至年月 kept with the payments.

Every write checks all it needs first and raises a ValidationError with a clear message
before anything is written; the account's 交至年月 moves only by a conditional UPDATE from
the value read, so two clerks recording the same months at once cannot both succeed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.dues.models import Assessment, DuesAccount, DuesVerb, Payment
from lianxin.dues.rules.months import month_add, month_index, month_of, months_between, year_month
from lianxin.dues.rules.standard import CENT, amount_problem, is_for_centre
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

# The largest single payment the ledger takes (yuan): above it, a typing slip is likelier than dues.
PAYMENT_CAP = Decimal("100000.00")
# How far ahead of the month of payment dues may be paid.
MONTHS_AHEAD_MAX = 12
EARLIEST_YEAR = 2008  # the standard in force


def _check_manages(actor: Actor | None, member: Member) -> None:
    """The actor keeps the member's roster (None: the system, e.g. the demo)."""
    if actor is not None and not roster_scope(actor).contains(member.organization.path):
        raise ValidationError(_("You may not record dues for this member."), code="forbidden")


def _check_party_member(member: Member) -> None:
    if member.category not in Member.PARTY_MEMBER_CATEGORIES:
        raise ValidationError(
            _("%(name)s is not a Party member on the roster; only Party members pay dues.") % {"name": member.name},
            code="not_party_member",
        )


def _check_year(year: int, today: date) -> None:
    if not EARLIEST_YEAR <= year <= today.year + 1:
        raise ValidationError(
            _("The year must be between %(first)d and %(last)d.") % {"first": EARLIEST_YEAR, "last": today.year + 1},
            code="bad_year",
        )


@transaction.atomic
def assessment_set(
    *,
    actor: Actor | None,
    member: Member,
    year: int,
    basis: str,
    monthly_amount: Decimal,
    note: str = "",
    today: date | None = None,
) -> Assessment:
    """Set the member's monthly amount for `year` (a first one opens their dues account)."""
    today = today or timezone.localdate()
    _check_manages(actor, member)
    _check_party_member(member)
    _check_year(year, today)
    problem = amount_problem(basis, monthly_amount)
    if problem:
        raise ValidationError(str(problem), code="amount_out_of_band")
    if len(note) > 200:
        raise ValidationError(_("The note is at most 200 characters."), code="too_long")
    assessment, created = Assessment.objects.update_or_create(
        member=member,
        year=year,
        defaults={"basis": basis, "monthly_amount": monthly_amount, "note": note, "assessed_by": actor},
    )
    account = DuesAccount.objects.filter(member=member).first()
    if account is None:
        starts = date(year, 1, 1)
        if member.joined_on and member.joined_on > starts:
            starts = month_of(member.joined_on)
        account = DuesAccount.objects.create(member=member, starts_on=starts, paid_through=month_add(starts, -1))
    event_record(
        subject=account,
        actor=actor,
        verb=DuesVerb.ASSESSED,
        data={"year": year, "basis": basis, "monthly_amount": str(monthly_amount), "new": created},
    )
    return assessment


@dataclass(frozen=True)
class PaymentInput:
    """One payment as entered or read from a statement row."""

    member: Member
    kind: str
    method: str
    amount: Decimal
    paid_on: date
    months_to: date | None = None  # the last month covered; None for a donation
    months_from: date | None = None  # None: the month after 交至年月
    note: str = ""


def _check_amount(amount: Decimal) -> None:
    if amount <= 0:
        raise ValidationError(_("The amount must be more than 0 yuan."), code="bad_amount")
    if amount != amount.quantize(CENT):
        raise ValidationError(_("The amount has at most two decimals."), code="bad_amount")
    if amount > PAYMENT_CAP:
        raise ValidationError(
            _("The amount is over %(cap)s yuan for one payment; check it.") % {"cap": PAYMENT_CAP}, code="bad_amount"
        )


def _check_paid_on(paid_on: date, today: date) -> None:
    if paid_on > today:
        raise ValidationError(_("The payment date %(date)s is in the future.") % {"date": paid_on}, code="bad_date")
    if paid_on.year < EARLIEST_YEAR:
        raise ValidationError(_("The payment date %(date)s is too early.") % {"date": paid_on}, code="bad_date")


def regular_amount(member: Member, first: date, last: date) -> Decimal:
    """The dues of the months first..last at each year's assessment; refused for a year not assessed."""
    assessed = dict(
        Assessment.objects.filter(member=member, year__gte=first.year, year__lte=last.year).values_list(
            "year", "monthly_amount"
        )
    )
    total = Decimal("0.00")
    for index in range(month_index(first), month_index(last) + 1):
        year = index // 12
        if year not in assessed:
            raise ValidationError(
                _("%(name)s has no dues assessment for %(year)d; assess the year first.")
                % {"name": member.name, "year": year},
                code="not_assessed",
            )
        total += assessed[year]
    return total


def _covered_months(entry: PaymentInput, account: DuesAccount) -> tuple[date, date]:
    """The months a regular payment or 补缴 covers, checked against 交至年月 and the payment date."""
    next_month = month_add(account.paid_through, 1)
    first = month_of(entry.months_from) if entry.months_from else next_month
    if entry.months_to is None:
        raise ValidationError(_("Enter the last month the payment covers."), code="no_months")
    last = month_of(entry.months_to)
    if first <= account.paid_through or last <= account.paid_through:
        raise ValidationError(
            _("%(name)s has already paid up to %(paid)s; the payment must start at %(next)s.")
            % {"name": entry.member.name, "paid": year_month(account.paid_through), "next": year_month(next_month)},
            code="already_paid",
        )
    if first > next_month:
        raise ValidationError(
            _("%(name)s has paid up to %(paid)s; the payment must start at %(next)s, leaving no month unpaid.")
            % {"name": entry.member.name, "paid": year_month(account.paid_through), "next": year_month(next_month)},
            code="gap",
        )
    if last < first:
        raise ValidationError(
            _("The last month %(last)s is before the first month %(first)s.")
            % {"last": year_month(last), "first": year_month(first)},
            code="bad_months",
        )
    if month_index(last) > month_index(month_of(entry.paid_on)) + MONTHS_AHEAD_MAX:
        raise ValidationError(
            _("Dues may be paid at most %(n)d months ahead of the payment date.") % {"n": MONTHS_AHEAD_MAX},
            code="too_far_ahead",
        )
    if entry.kind == Payment.Kind.BACK and first >= month_of(entry.paid_on):
        raise ValidationError(
            _("A back payment (补缴) covers months before the month it is paid in."), code="back_not_past"
        )
    return first, last


def _next_receipt(organization: Organization, year: int) -> int:
    """The next receipt number of the organization in `year`; the organization row is locked meanwhile."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    last = Payment.objects.filter(organization=organization, receipt_year=year).aggregate(n=Max("receipt_number"))["n"]
    return (last or 0) + 1


def payment_check(
    entry: PaymentInput, *, today: date, account: DuesAccount | None = None
) -> tuple[date | None, date | None]:
    """Every check of one payment, nothing written: the months it covers (None for a donation).

    `account` stands for the member's stored account (a statement checks its rows in order)."""
    member = entry.member
    _check_party_member(member)
    _check_amount(entry.amount)
    _check_paid_on(entry.paid_on, today)
    if entry.method not in Payment.Method.values:
        raise ValidationError(_("Choose a method of payment from the list."), code="bad_method")
    if len(entry.note) > 200:
        raise ValidationError(_("The note is at most 200 characters."), code="too_long")
    if entry.kind == Payment.Kind.DONATION:
        return None, None
    if entry.kind not in Payment.MONTHLY_KINDS:
        raise ValidationError(_("Choose a kind of payment from the list."), code="bad_kind")
    account = account or DuesAccount.objects.filter(member=member).first()
    if account is None:
        raise ValidationError(
            _("%(name)s has no dues assessment yet; assess them first.") % {"name": member.name}, code="not_assessed"
        )
    first, last = _covered_months(entry, account)
    expected = regular_amount(member, first, last)
    if entry.kind == Payment.Kind.REGULAR and entry.amount != expected:
        raise ValidationError(
            _(
                "%(months)d months of dues from %(first)s to %(last)s come to %(expected)s yuan, not %(amount)s; "
                "record a different amount as a back payment (补缴) or a special donation."
            )
            % {
                "months": months_between(first, last),
                "first": year_month(first),
                "last": year_month(last),
                "expected": expected,
                "amount": entry.amount,
            },
            code="amount_mismatch",
        )
    return first, last


def payment_write(actor: Actor | None, entry: PaymentInput, first: date | None, last: date | None) -> Payment:
    member = entry.member
    if first is not None and last is not None:
        moved = DuesAccount.objects.filter(member=member, paid_through=month_add(first, -1)).update(
            paid_through=last, updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError(
                _("%(name)s's dues have just been changed by someone else; reload the page.") % {"name": member.name},
                code="conflict",
            )
    payment = Payment.objects.create(
        member=member,
        organization=member.organization,
        kind=entry.kind,
        method=entry.method,
        months_from=first,
        months_to=last,
        months=months_between(first, last) if first and last else 0,
        amount=entry.amount,
        paid_on=entry.paid_on,
        receipt_year=entry.paid_on.year,
        receipt_number=_next_receipt(member.organization, entry.paid_on.year),
        for_centre=is_for_centre(entry.amount),
        note=entry.note,
        recorded_by=actor,
    )
    account = DuesAccount.objects.filter(member=member).first()
    event_record(
        subject=account or payment,
        actor=actor,
        verb=DuesVerb.PAID,
        to_state=year_month(last) if last else "",
        data={
            "payment": payment.pk,
            "receipt": payment.receipt,
            "amount": str(payment.amount),
            "kind": payment.kind,
            "for_centre": payment.for_centre,
        },
    )
    return payment


@transaction.atomic
def payment_record(*, actor: Actor | None, entry: PaymentInput, today: date | None = None) -> Payment:
    """Record one payment with its receipt; regular payments and 补缴 move 交至年月 to their last month."""
    today = today or timezone.localdate()
    _check_manages(actor, entry.member)
    first, last = payment_check(entry, today=today)
    return payment_write(actor, entry, first, last)


@transaction.atomic
def payment_void(*, actor: Actor | None, payment: Payment, reason: str) -> Payment:
    """Void a payment with a reason; a payment of months gives them back (only the latest one may be voided)."""
    _check_manages(actor, payment.member)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for voiding the payment."), code="no_reason")
    if len(reason) > 200:
        raise ValidationError(_("The reason is at most 200 characters."), code="too_long")
    if payment.months_from is not None and payment.months_to is not None and payment.is_valid:
        moved = DuesAccount.objects.filter(member_id=payment.member_id, paid_through=payment.months_to).update(
            paid_through=month_add(payment.months_from, -1), updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError(
                _("Only the latest payment of months can be voided; void the later payments first."),
                code="not_latest",
            )
    voided = state_transition(
        obj=payment,
        to=Payment.Status.VOIDED,
        actor=actor,
        changes={"void_reason": reason},
        note=reason,
        verb=DuesVerb.VOIDED,
        conflict=_("This payment has just been changed by someone else; reload the page."),
    )
    account = DuesAccount.objects.filter(member_id=payment.member_id).first()
    if account is not None:
        event_record(subject=account, actor=actor, verb=DuesVerb.VOIDED, note=reason, data={"receipt": payment.receipt})
    return voided

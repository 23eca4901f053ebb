"""Reads of the dues ledger, always scoped by the viewer: org admins see their subtree, a member
only their own dues, residents and the public nothing (arrears are never public)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.periods import Period
from lianxin.dues.models import Assessment, DuesAccount, Handover, Payment
from lianxin.dues.rules.months import month_add, month_of, months_behind_on
from lianxin.dues.rules.standard import ARREARS_WARNING_MONTHS
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import Subtree, in_subtree


def party_members_of(subtree: Subtree) -> QuerySet[Member]:
    """The Party members (probationary and full) on the roster of a subtree."""
    return Member.objects.filter(in_subtree("organization", subtree), category__in=Member.PARTY_MEMBER_CATEGORIES)


def ledger_of(*, organization: Subtree, year: int) -> QuerySet[Member]:
    """A subtree's Party members with their monthly amount for `year` (`dues_monthly`, None when not
    assessed) and 交至年月 (`dues_paid_through`, None without an account), by organization and name."""
    assessed = Assessment.objects.filter(member=OuterRef("pk"), year=year)
    return (
        party_members_of(organization)
        .annotate(
            dues_monthly=Subquery(assessed.values("monthly_amount")[:1]),
            dues_basis=Subquery(assessed.values("basis")[:1]),
            dues_paid_through=F("dues_account__paid_through"),
        )
        .select_related("organization")
        .order_by("organization__path", "pinyin", "name", "pk")
    )


def behind_of(paid_through: date | None, on: date) -> int:
    """Months behind for a ledger row (0 without an account: nothing is owed before an assessment)."""
    return months_behind_on(paid_through, on) if paid_through else 0


def arrears_of(*, organization: Subtree, on: date, at_least: int = 1) -> QuerySet[Member]:
    """Members of a subtree behind by `at_least` months or more as of `on`, longest behind first."""
    latest_paid = month_add(month_of(on), -(at_least + 1))
    return (
        party_members_of(organization)
        .filter(dues_account__paid_through__lte=latest_paid)
        .annotate(dues_paid_through=F("dues_account__paid_through"))
        .select_related("organization")
        .order_by("dues_account__paid_through", "organization__path", "name", "pk")
    )


def six_month_arrears_of(*, organization: Subtree, on: date) -> QuerySet[Member]:
    return arrears_of(organization=organization, on=on, at_least=ARREARS_WARNING_MONTHS)


def not_assessed_of(*, organization: Subtree, year: int) -> QuerySet[Member]:
    """Party members of a subtree with no assessment for `year` yet (the yearly re-assessment's list)."""
    return (
        party_members_of(organization)
        .exclude(pk__in=Assessment.objects.filter(year=year).values("member_id"))
        .select_related("organization")
        .order_by("organization__path", "name", "pk")
    )


def payments_of(*, organization: Subtree, period: Period | None = None) -> QuerySet[Payment]:
    """Payments collected by the organizations of a subtree, latest first."""
    qs = Payment.objects.filter(in_subtree("organization", organization))
    if period is not None:
        qs = qs.filter(paid_on__gte=period.start, paid_on__lte=period.end)
    return qs.select_related("member", "organization").order_by("-paid_on", "-id")


@dataclass(frozen=True)
class CollectionRow:
    """One branch's month: what its members paid (valid payments, by date paid) and what it handed up."""

    organization: Organization
    month: date
    paid: Decimal
    handed: Decimal | None  # None: no hand-over recorded
    for_centre: Decimal

    @property
    def difference(self) -> Decimal:
        return (self.handed or Decimal("0.00")) - self.paid


def collection_of(*, organization: Subtree, year: int) -> list[CollectionRow]:
    """Per branch and month of `year`: paid by members against handed over, the difference shown."""
    period = Period.year(year)
    paid: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    centre: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    rows = (
        payments_of(organization=organization, period=period)
        .filter(status=Payment.Status.VALID)
        .values_list("organization_id", "paid_on", "amount", "for_centre")
    )
    for org_id, paid_on, amount, for_centre in rows.order_by():
        paid[(org_id, month_of(paid_on))] += amount
        if for_centre:
            centre[(org_id, month_of(paid_on))] += amount
    handed = {
        (h.organization_id, h.month): h.amount
        for h in Handover.objects.filter(in_subtree("organization", organization), month__year=year)
    }
    keys = sorted(set(paid) | set(handed), key=lambda k: (k[1], k[0]))
    organizations = Organization.objects.in_bulk({k[0] for k in keys})
    return [
        CollectionRow(
            organization=organizations[org_id],
            month=month,
            paid=paid.get((org_id, month), Decimal("0.00")),
            handed=handed.get((org_id, month)),
            for_centre=centre.get((org_id, month), Decimal("0.00")),
        )
        for org_id, month in keys
    ]


def access_payment(user: Viewer, pk: int) -> Payment:
    """A payment the viewer may see: collected in their roster scope, or their own; 404 otherwise."""
    own = Q(member__user_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    payment = (
        Payment.objects.filter(Q(pk=pk) & (roster_scope(user).q("organization__path") | own))
        .select_related("member", "organization", "recorded_by")
        .first()
    )
    if payment is None:
        raise Http404
    return payment


@dataclass(frozen=True)
class MyDues:
    member: Member
    account: DuesAccount | None
    assessments: list[Assessment]
    payments: list[Payment]
    behind: int


def my_dues(*, user: Viewer, on: date) -> MyDues | None:
    """The viewer's own dues, when they are on the roster; None otherwise."""
    if not user.is_authenticated:
        return None
    member = Member.objects.filter(user_id=user.pk).select_related("organization").first()
    if member is None:
        return None
    account = DuesAccount.objects.filter(member=member).first()
    return MyDues(
        member=member,
        account=account,
        assessments=list(Assessment.objects.filter(member=member).order_by("-year")[:10]),
        payments=list(Payment.objects.filter(member=member).select_related("organization")[:100]),
        behind=behind_of(account.paid_through if account else None, on),
    )

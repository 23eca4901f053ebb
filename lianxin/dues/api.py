"""Dues through the API: a subtree's ledger, arrears and payments, scoped like the pages.

`org` names the subtree (default: the caller's own top organization); outside the caller's
roster scope, or for a caller without one, every endpoint answers 404 (never public).
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import MAX_DATE, MIN_DATE
from lianxin.dues.models import Payment
from lianxin.dues.rules.months import year_month
from lianxin.dues.rules.standard import CENT, is_warned
from lianxin.dues.selectors.ledger import arrears_of, behind_of, ledger_of, payments_of
from lianxin.members.models import Member
from lianxin.organizations.selectors import access_subtree

router = Router(tags=["dues"])


class SubtreeQuery(Schema):
    org: str | None = Field(None, max_length=40, description="organization code: it and its subtree")


class LedgerQuery(SubtreeQuery):
    year: int | None = Field(None, ge=2008, le=2100, description="the assessment year (default: this year)")


class PaymentsQuery(SubtreeQuery):
    paid_from: date | None = Field(None, ge=MIN_DATE, le=MAX_DATE, description="paid on or after")
    paid_to: date | None = Field(None, ge=MIN_DATE, le=MAX_DATE, description="paid on or before")


class LedgerRowOut(Schema):
    member_id: int = Field(..., alias="pk")
    name: str
    organization_code: str = Field(..., alias="organization.code")
    basis: str | None = Field(None, description="the band of this year's assessment (ledger only)")
    monthly_amount: Decimal | None = Field(None, description="yuan a month this year (ledger only)")
    paid_through: str = Field("", description="交至年月, YYYY-MM; empty when never assessed")
    months_behind: int = 0
    six_month_warning: bool = False

    @staticmethod
    def resolve_basis(obj: Member) -> str | None:
        basis: str | None = getattr(obj, "dues_basis", None)
        return basis

    @staticmethod
    def resolve_monthly_amount(obj: Member) -> Decimal | None:
        amount: Decimal | None = getattr(obj, "dues_monthly", None)
        return None if amount is None else Decimal(amount).quantize(CENT)

    @staticmethod
    def resolve_paid_through(obj: Member) -> str:
        return year_month(getattr(obj, "dues_paid_through", None))

    @staticmethod
    def resolve_months_behind(obj: Member) -> int:
        return behind_of(getattr(obj, "dues_paid_through", None), timezone.localdate())

    @staticmethod
    def resolve_six_month_warning(obj: Member) -> bool:
        return is_warned(behind_of(getattr(obj, "dues_paid_through", None), timezone.localdate()))


class PaymentOut(Schema):
    id: int
    receipt: str
    member_id: int
    member_name: str = Field(..., alias="member.name")
    organization_code: str = Field(..., alias="organization.code")
    kind: str
    method: str
    months_from: str = ""
    months_to: str = ""
    months: int
    amount: Decimal
    paid_on: date
    for_centre: bool
    status: str

    @staticmethod
    def resolve_months_from(obj: Payment) -> str:
        return year_month(obj.months_from)

    @staticmethod
    def resolve_months_to(obj: Payment) -> str:
        return year_month(obj.months_to)


@router.get("/ledger", response=list[LedgerRowOut])
@paginate(PageNumberPagination, page_size=50)
def dues_ledger(request: AuthenticatedHttpRequest, query: Query[LedgerQuery]) -> object:
    organization = access_subtree(request.user, query.org)
    return ledger_of(organization=organization, year=query.year or timezone.localdate().year)


@router.get("/arrears", response=list[LedgerRowOut])
@paginate(PageNumberPagination, page_size=50)
def dues_arrears(request: AuthenticatedHttpRequest, query: Query[SubtreeQuery]) -> object:
    organization = access_subtree(request.user, query.org)
    return arrears_of(organization=organization, on=timezone.localdate())


@router.get("/payments", response=list[PaymentOut])
@paginate(PageNumberPagination, page_size=50)
def dues_payments(request: AuthenticatedHttpRequest, query: Query[PaymentsQuery]) -> object:
    organization = access_subtree(request.user, query.org)
    qs = payments_of(organization=organization)
    if query.paid_from:
        qs = qs.filter(paid_on__gte=query.paid_from)
    if query.paid_to:
        qs = qs.filter(paid_on__lte=query.paid_to)
    return qs

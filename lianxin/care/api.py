"""Care through the API, read-only and scoped like the pages: the rounds an admin works on (with
their totals), a round's visits and recipients in the admin's subtree, and the hardship records of
the members below them. Anyone else reads empty lists and finds no round (404)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.care.models import CareRound, HardshipRecord
from lianxin.care.selectors.hardship import hardship_list_visible_to
from lianxin.care.selectors.rounds import (
    access_round,
    recipients_visible,
    round_totals,
    rounds_visible_to,
    visits_visible,
)
from lianxin.core.api_pagination import PageNumberPagination

router = Router(tags=["care"])


class RoundOut(Schema):
    id: int
    title: str
    occasion: str
    year: int
    on: date
    status: str
    target_groups: list[str]
    organization_code: str = Field(..., alias="organization.code")
    organization_name: str = Field(..., alias="organization.name")


class TotalsOut(Schema):
    recipients: int
    people: int = Field(..., description="distinct people visited")
    units: int = Field(..., description="organizations that visited")
    visits: int
    repeats: int = Field(..., description="visits to someone already visited in the round")
    money: Decimal
    goods: Decimal
    yuan: Decimal = Field(..., description="money and the value of goods")


class RoundDetailOut(RoundOut):
    totals: TotalsOut


class RecipientOut(Schema):
    id: int
    name: str
    group: str
    on_roster: bool
    organization_code: str = Field(..., alias="organization.code")
    visit_count: int


class VisitOut(Schema):
    id: int
    recipient_id: int
    recipient_name: str = Field(..., alias="recipient.name")
    organization_code: str = Field(..., alias="organization.code")
    visitors: str
    visited_on: date
    money: Decimal
    goods: str
    goods_value: Decimal
    repeat: bool
    note: str


class HardshipOut(Schema):
    id: int
    member_id: int
    member_name: str = Field(..., alias="member.name")
    organization_code: str = Field(..., alias="member.organization.code")
    level: str
    reason: str
    note: str
    since: date
    reviewed_on: date | None
    status: str
    ended_on: date | None


@router.get("/rounds", response=list[RoundOut])
@paginate(PageNumberPagination, page_size=50)
def list_rounds(request: AuthenticatedHttpRequest) -> object:
    return rounds_visible_to(user=request.user)


@router.get("/rounds/{int:pk}", response=RoundDetailOut)
def get_round(request: AuthenticatedHttpRequest, pk: int) -> CareRound:
    round_ = access_round(request.user, pk)
    round_.totals = round_totals(user=request.user, round_=round_)  # type: ignore[attr-defined]
    return round_


@router.get("/rounds/{int:pk}/recipients", response=list[RecipientOut])
@paginate(PageNumberPagination, page_size=100)
def list_recipients(request: AuthenticatedHttpRequest, pk: int) -> object:
    qs: object = recipients_visible(user=request.user, round_=access_round(request.user, pk))
    return qs


@router.get("/rounds/{int:pk}/visits", response=list[VisitOut])
@paginate(PageNumberPagination, page_size=100)
def list_visits(request: AuthenticatedHttpRequest, pk: int) -> object:
    return visits_visible(user=request.user, round_=access_round(request.user, pk))


@router.get("/hardship", response=list[HardshipOut])
@paginate(PageNumberPagination, page_size=100)
def list_hardship(request: AuthenticatedHttpRequest, status: str = HardshipRecord.Status.ACTIVE) -> object:
    return hardship_list_visible_to(user=request.user, status=status)

"""Honours through the API, scoped like the pages: rounds and their nominations (admins of the
subtree), the 50-year medal list of a subtree for a year, and the public notice (no login)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.honours.models import HonourRound, Nomination
from lianxin.honours.rules.eligibility import warning_labels
from lianxin.honours.selectors.medals import medal_list
from lianxin.honours.selectors.rounds import (
    access_round,
    nominations_visible_to,
    public_entries,
    public_round,
    round_list_visible_to,
)
from lianxin.members.models import Member
from lianxin.organizations.selectors import access_subtree

router = Router(tags=["honours"])


class RoundOut(Schema):
    id: int
    year: int
    title: str
    status: str
    owner_code: str = Field(..., alias="owner.code")
    owner_name: str = Field(..., alias="owner.name")
    publicity_starts_on: date | None
    publicity_ends_on: date | None
    ceremony_on: date | None


class NominationOut(Schema):
    id: int
    kind: str
    name: str
    unit: str
    deeds: str
    status: str
    nominated_by_code: str = Field(..., alias="nominated_by.code")
    warnings: list[str] = Field(..., description="eligibility warnings, with their reasons")

    @staticmethod
    def resolve_warnings(obj: Nomination) -> list[str]:
        return warning_labels(obj.warnings)


class PublicEntryOut(Schema):
    kind: str
    name: str
    unit: str
    deeds: str


class MedalMemberOut(Schema):
    id: int
    name: str
    organization_code: str
    organization_name: str
    full_on: date | None
    state: str = Field(..., description="issued, not_issued, needs_checking or died")


class MedalListQuery(Schema):
    org: str | None = Field(None, description="organization code: it and its subtree (default: your own)")
    year: int | None = Field(None, ge=2000, le=2100, description="default: this year")


def _medal_rows(members: list[Member], state: str) -> list[MedalMemberOut]:
    return [
        MedalMemberOut(
            id=m.pk,
            name=m.name,
            organization_code=m.organization.code,
            organization_name=m.organization.name,
            full_on=m.full_on,
            state=state,
        )
        for m in members
    ]


@router.get("/rounds", response=list[RoundOut])
@paginate(PageNumberPagination, page_size=50)
def list_rounds(request: AuthenticatedHttpRequest) -> object:
    return round_list_visible_to(user=request.user)


@router.get("/rounds/{int:pk}/nominations", response=list[NominationOut])
@paginate(PageNumberPagination, page_size=100)
def list_nominations(request: AuthenticatedHttpRequest, pk: int) -> object:
    """The round's nominations made in your subtree (all of them for its organizer)."""
    return nominations_visible_to(user=request.user, round=access_round(request.user, pk))


@router.get("/medals", response=list[MedalMemberOut])
def list_medals(request: AuthenticatedHttpRequest, query: Query[MedalListQuery]) -> list[MedalMemberOut]:
    """The 50 years in the Party list of a subtree for a year, in its parts."""
    org = access_subtree(request.user, query.org)
    found = medal_list(org, query.year or timezone.localdate().year)
    return [
        *_medal_rows(found.issued, "issued"),
        *_medal_rows(found.not_issued, "not_issued"),
        *_medal_rows(found.needs_checking, "needs_checking"),
        *_medal_rows(found.died, "died"),
    ]


@router.get("/public/{int:pk}", response=list[PublicEntryOut], auth=None)
def public_notice(request: HttpRequest, pk: int) -> list[PublicEntryOut]:
    """A round's publicity notice, or its published list: names, units and deeds only."""
    round_: HonourRound = public_round(pk)
    return [PublicEntryOut(kind=e.kind, name=e.name, unit=e.unit, deeds=e.deeds) for e in public_entries(round_)]

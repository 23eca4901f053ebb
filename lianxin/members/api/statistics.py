"""The yearly Party statistics through the API: every table and the checks of a subtree and a year,
scoped like the page (404 outside the caller's roster scope); a year that is not one is a 400 whose
detail says so in the request's language, and nothing is computed."""

from datetime import date

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.errors import HttpError

from lianxin.accounts.permissions import can_manage_roster
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.params import ParamError
from lianxin.core.replica import replica_reads
from lianxin.members.api.router import router
from lianxin.members.selectors.statistics import Statistics, party_statistics, statistics_year
from lianxin.organizations.selectors import access_subtree


class StatisticsQuery(Schema):
    org: str | None = Field(
        None, description="organization code: it and everything under it; default the top of your scope"
    )
    year: str | None = Field(None, description="a year from 1921 to this year; default this year")


class StatisticsColumnOut(Schema):
    key: str = Field(..., description='a category\'s code ("" not recorded), a band, or an ethnicity as recorded')
    label: str
    of_which: bool = Field(..., description="其中: a part of a column before it, not of the line's total")


class StatisticsLineOut(Schema):
    key: str = Field(..., description="total, full or probationary; or an organization's kind")
    label: str
    total: int
    cells: list[int] = Field(..., description="one number per column, in the columns' order")


class StatisticsGridOut(Schema):
    key: str
    label: str
    columns: list[StatisticsColumnOut]
    lines: list[StatisticsLineOut] = Field(..., description="the total line first, then the lines that divide it")


class StatisticsMemberTableOut(Schema):
    key: str
    title: str
    on: date = Field(..., description="the date the breakdowns are read at (age, party age, full or probationary)")
    total: int
    grids: list[StatisticsGridOut]


class StatisticsChangesOut(Schema):
    start: int = Field(..., description="members at the close of 31 December of the year before")
    joined: int
    transferred_in: int
    transferred_out: int = Field(..., description="by a transfer out of the subtree")
    relationship_out: int = Field(..., description="by leaving with the reason 'relationship transferred out'")
    died: int
    expelled: int = Field(..., description="left the Party")
    left_unrecorded: int = Field(..., description="left without a reason recorded")
    end: int = Field(..., description="members at the year's end, as the first table counts them")
    reached: int = Field(..., description="start + joined + transferred in − everything out: the end when they balance")


class StatisticsCheckedMemberOut(Schema):
    id: int = Field(..., alias="pk")
    name: str
    organization: str
    note: str


class StatisticsCheckOut(Schema):
    key: str
    label: str
    passed: bool
    detail: str
    members: list[StatisticsCheckedMemberOut] = Field(..., description="the members that break it (at most 100)")
    more: int = Field(..., description="members beyond those listed")


class StatisticsOut(Schema):
    organization_code: str = Field(..., alias="organization.code")
    organization_name: str = Field(..., alias="organization.name")
    year: int
    start: date = Field(..., description="1 January")
    end: date = Field(..., description="31 December, or today in the current year")
    members: StatisticsMemberTableOut
    developed: StatisticsMemberTableOut
    organizations: StatisticsGridOut
    changes: StatisticsChangesOut
    checks: list[StatisticsCheckOut]
    passed: bool = Field(..., description="every check passed")


@router.get("/statistics", response=StatisticsOut)
def get_statistics(request: AuthenticatedHttpRequest, query: Query[StatisticsQuery]) -> Statistics:
    """党内统计: members at the year's end and developed in it by every breakdown, organizations by
    kind and unit, the changes in the year, and the checks between them."""
    if not can_manage_roster(request.user):
        raise Http404
    with replica_reads():
        org = access_subtree(request.user, query.org)
        today = timezone.localdate()
        try:
            year = statistics_year(query.year, today=today)
        except ParamError as error:
            raise HttpError(400, error.message) from None
        return party_statistics(organization=org, year=year, today=today)

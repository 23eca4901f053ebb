"""The compliance board and coverage through the API, scoped and computed as on their pages.

Registered by importing this module in lianxin/activities/api/__init__.py. A bad period is
refused by the API's one error handler (422, with its message and code).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Schema

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.activities.api.router import router
from lianxin.activities.selectors.snapshots import board_page, coverage_read
from lianxin.core.periods import period_from
from lianxin.organizations.selectors import access_subtree

ORGANIZATIONS_PER_PAGE = 100


class PeriodQuery(Schema):
    org: str | None = Field(None, description="organization code: it and everything under it")
    date_from: str | None = Field(None, alias="from", description="YYYY-MM-DD, included; default 1 January")
    date_to: str | None = Field(None, alias="to", description="YYYY-MM-DD, included; default today")


class BoardQuery(PeriodQuery):
    page: int = Field(1, ge=1, description=f"{ORGANIZATIONS_PER_PAGE} organizations a page, by code path")


class CellOut(Schema):
    kind: str
    period: str
    window_start: date
    window_end: date
    state: str = Field(..., description="held, missed, due (open, not yet held), upcoming or exempt")
    held: int
    frequency: str
    source: str = Field(..., description="the rule applied and where it comes from")


class BoardOrganizationOut(Schema):
    code: str
    name: str
    cells: list[CellOut]
    reminded: int = Field(..., description="reminders recorded for the secretary since the period started")


class BoardOut(Schema):
    organization_code: str
    date_from: date = Field(..., serialization_alias="from")
    date_to: date = Field(..., serialization_alias="to")
    totals: dict[str, dict[str, int]] = Field(..., description="kind → state → windows")
    as_of: datetime | None = Field(
        None,
        description="when the totals and the list of organizations were computed, for a subtree large enough to "
        "have them computed in the background; null: just now. The organizations' cells are always current.",
    )
    count: int
    page: int
    pages: int
    organizations: list[BoardOrganizationOut]


class KindLineOut(Schema):
    kind: str
    activities: int
    members: int
    share: Decimal | None


class CoverageOut(Schema):
    organization_code: str
    date_from: date = Field(..., serialization_alias="from")
    date_to: date = Field(..., serialization_alias="to")
    party_members: int = Field(..., description="current full and probationary members of the subtree")
    activities: int = Field(..., description="held activities of the subtree in the period")
    members: int = Field(..., description="distinct members marked present at them")
    share: Decimal | None = Field(..., description="members as a percentage of party_members; null when none")
    by_kind: list[KindLineOut]
    as_of: datetime | None = Field(
        None,
        description="when these figures were computed, for a subtree large enough to have them computed in the "
        "background; null: just now",
    )


@router.get("/compliance", response=BoardOut, by_alias=True)
def get_compliance(request: AuthenticatedHttpRequest, query: Query[BoardQuery]) -> dict[str, Any]:
    org = access_subtree(request.user, query.org)
    period = period_from(query.date_from, query.date_to)
    found = board_page(organization=org, period=period, number=query.page, per_page=ORGANIZATIONS_PER_PAGE)
    board, page = found.board, found.page
    return {
        "organization_code": org.code,
        "date_from": period.start,
        "date_to": period.end,
        "totals": {kind: dict(counts) for kind, counts in board.totals.items()},
        "as_of": found.as_of,
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "organizations": [
            {
                "code": row.organization.code,
                "name": row.organization.name,
                "reminded": len(row.reminders),
                "cells": [
                    {
                        "kind": c.kind,
                        "period": c.label,
                        "window_start": c.window.start,
                        "window_end": c.window.end,
                        "state": c.state,
                        "held": c.held,
                        "frequency": c.rule.frequency,
                        "source": c.rule.source,
                    }
                    for cells in row.cells.values()
                    for c in cells
                ],
            }
            for row in page.object_list
        ],
    }


@router.get("/coverage", response=CoverageOut, by_alias=True)
def get_coverage(request: AuthenticatedHttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    org = access_subtree(request.user, query.org)
    period = period_from(query.date_from, query.date_to)
    figures, as_of = coverage_read(organization=org, period=period)
    return {
        "organization_code": org.code,
        "date_from": period.start,
        "date_to": period.end,
        "party_members": figures.party_members,
        "activities": figures.activities,
        "members": figures.members,
        "share": figures.share,
        "as_of": as_of,
        "by_kind": [
            {"kind": line.kind, "activities": line.activities, "members": line.members, "share": line.share}
            for line in figures.lines
        ],
    }

"""Figures through the API, scoped like the pages: every registered figure of a subtree and period with
its definition (lianxin.core.figures), the rows behind one, and the service figures.

A bad period is refused by the API's one error handler (422, with its message and code); a figure
that is not registered is a 404, as is an organization outside the caller's scope."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.figures import figures_of, measure_named
from lianxin.core.params import Page
from lianxin.core.periods import period_from
from lianxin.core.replica import replica_reads
from lianxin.core.selectors import page_of
from lianxin.dashboards.figures import service_figures
from lianxin.organizations.selectors import AreaSubtree, Subtree, access_area_subtree, access_subtree

router = Router(tags=["figures"])


class FiguresQuery(Schema):
    org: str | None = Field(None, description="organization code: it and everything under it")
    date_from: str | None = Field(None, alias="from", description="YYYY-MM-DD, included; default 1 January")
    date_to: str | None = Field(None, alias="to", description="YYYY-MM-DD, included; default today")


class FiguresOut(Schema):
    organization_code: str
    organization_name: str
    date_from: date = Field(..., serialization_alias="from")
    date_to: date = Field(..., serialization_alias="to")
    sessions_held: int
    participations: int = Field(
        ..., description="attended (checked in or hours recorded), not withdrawn sign-ups of held sessions"
    )
    volunteers: int = Field(..., description="distinct people among the participations")
    hours: Decimal
    signup_hours: Decimal
    record_hours: Decimal
    service_records: int
    beneficiaries: int = Field(..., description="order_beneficiaries + session_beneficiaries + tour_beneficiaries")
    orders_served: int
    order_beneficiaries: int
    session_beneficiaries: int = Field(..., description="held sessions that belong to no order")
    tour_stops: int
    tour_beneficiaries: int
    orders_placed: int
    orders_by_state: dict[str, int]
    rated_orders: int
    average_rating: Decimal | None = Field(..., description="over rated orders only; null when none")
    wishes_posted: int
    wishes_claimed: int
    wishes_fulfilled: int
    reports_by_community: int = Field(..., description="approved reports received by communities of the subtree")
    reports_by_home: int = Field(..., description="approved reports by members whose organization is in the subtree")
    post_claims: int


@router.get("/service-figures", response=FiguresOut, by_alias=True)
def get_service_figures(request: AuthenticatedHttpRequest, query: Query[FiguresQuery]) -> dict[str, object]:
    with replica_reads():
        org = access_subtree(request.user, query.org)
        period = period_from(query.date_from, query.date_to)
        figures = service_figures(organization=org, period=period)
    return {
        "organization_code": org.code,
        "organization_name": org.name,
        "date_from": period.start,
        "date_to": period.end,
        "sessions_held": figures.sessions_held,
        "participations": figures.participations,
        "volunteers": figures.volunteers,
        "hours": figures.hours,
        "signup_hours": figures.signup_hours,
        "record_hours": figures.record_hours,
        "service_records": figures.service_records,
        "beneficiaries": figures.beneficiaries,
        "orders_served": figures.orders_served,
        "order_beneficiaries": figures.order_beneficiaries,
        "session_beneficiaries": figures.session_beneficiaries,
        "tour_stops": figures.tour_stops,
        "tour_beneficiaries": figures.tour_beneficiaries,
        "orders_placed": figures.orders_placed,
        "orders_by_state": figures.orders_by_state,
        "rated_orders": figures.rated_orders,
        "average_rating": figures.average_rating,
        "wishes_posted": figures.wishes_posted,
        "wishes_claimed": figures.wishes_claimed,
        "wishes_fulfilled": figures.wishes_fulfilled,
        "reports_by_community": figures.reports_by_community,
        "reports_by_home": figures.reports_by_home,
        "post_claims": figures.post_claims,
    }


ROWS_PAGE_SIZE = 50


class SubtreeOut(Schema):
    organization_code: str = Field(..., description="the organization counted, or the area when `area` is given")
    organization_name: str
    area: bool = Field(False, description="true: the code is an area's, counted by its organizations")
    date_from: date = Field(..., serialization_alias="from")
    date_to: date = Field(..., serialization_alias="to")


class FigureOut(Schema):
    name: str
    group: str
    group_label: str
    label: str
    unit: str
    definition: str = Field(..., description="how the figure is counted")
    value: Decimal | int | None = Field(..., description="null: a share of nothing")
    counts_rows: bool = Field(..., description="true: the value is the number of its rows")
    headline: bool


class RegisteredFiguresOut(SubtreeOut):
    figures: list[FigureOut]


class ColumnOut(Schema):
    key: str
    heading: str


class FigureRowsOut(SubtreeOut):
    name: str
    label: str
    definition: str
    count: int = Field(..., description="the rows behind the figure")
    page: int
    pages: int
    columns: list[ColumnOut]
    items: list[dict[str, Any]]


class RegisteredFiguresQuery(FiguresQuery):
    area: str | None = Field(
        None,
        description="area code, instead of org: the Party organizations seated in the area and the areas "
        "under it, within the caller's scope",
    )


class RowsQuery(RegisteredFiguresQuery):
    page: Page = 1


def _subtree(request: AuthenticatedHttpRequest, query: RegisteredFiguresQuery) -> tuple[Subtree, Any, dict[str, Any]]:
    org: Subtree = (
        access_area_subtree(request.user, query.area) if query.area else access_subtree(request.user, query.org)
    )
    period = period_from(query.date_from, query.date_to)
    head = {
        "organization_code": org.code,
        "organization_name": org.name,
        "area": isinstance(org, AreaSubtree),
        "date_from": period.start,
        "date_to": period.end,
    }
    return org, period, head


@router.get("/figures", response=RegisteredFiguresOut, by_alias=True)
def get_figures(request: AuthenticatedHttpRequest, query: Query[RegisteredFiguresQuery]) -> dict[str, object]:
    """Every registered figure of the subtree and period, with how it is counted."""
    with replica_reads():
        org, period, head = _subtree(request, query)
        found = figures_of(org, period)
    figures = [
        {
            "name": measure.name,
            "group": group.group.key,
            "group_label": str(group.group.label),
            "label": str(measure.label),
            "unit": str(measure.unit),
            "definition": str(measure.definition),
            "value": number,
            "counts_rows": measure.counts_rows,
            "headline": measure.headline,
        }
        for group in found
        for measure, number in group.items()
    ]
    return {**head, "figures": figures}


@router.get("/figures/{name}/rows", response=FigureRowsOut, by_alias=True)
def get_figure_rows(request: AuthenticatedHttpRequest, name: str, query: Query[RowsQuery]) -> dict[str, object]:
    """The rows behind one figure, 50 a page, each as its columns read."""
    found = measure_named(name)
    if found is None:
        raise Http404
    _group, measure = found
    with replica_reads():
        org, period, head = _subtree(request, query)
        page = page_of(measure.rows(org, period), query.page, ROWS_PAGE_SIZE)
        items = [measure.row(row) for row in page.object_list]
    return {
        **head,
        "name": measure.name,
        "label": str(measure.label),
        "definition": str(measure.definition),
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "columns": [{"key": key, "heading": str(heading)} for key, heading in measure.columns],
        "items": items,
    }

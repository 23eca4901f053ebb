"""Service figures through the API: the same numbers as the figures page, scoped the same way.

A bad period is refused by the API's one error handler (422, with its message and code)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.periods import period_from
from lianxin.core.replica import replica_reads
from lianxin.dashboards.figures import service_figures
from lianxin.organizations.selectors import access_subtree

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

"""Service figures for a subtree and a period, and the rows behind each figure.

Every figure is defined once, by the app that owns its rows, as a queryset of the rows it counts
(volunteering.selectors.figures, community.selectors.figures, wishes.selectors.wishes_posted);
`service_figures` computes all of them with one conditional aggregate per table, and the drill-down
pages list exactly the rows of the same querysets. Wishes belong to the wish's community organization.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import router
from django.db.models import Avg, Count, DecimalField, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from lianxin.community.selectors.figures import (
    post_claims,
    reports_by_community,
    reports_by_home,
    reports_counted,
    service_records,
)
from lianxin.core.periods import Period
from lianxin.core.statements import statement_memory
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import in_subtree
from lianxin.volunteering.models import Order, SignUp
from lianxin.volunteering.selectors.figures import (
    orders_placed,
    orders_served,
    participations,
    rated_orders,
    session_beneficiary_rows,
    sessions_held,
    tour_stops,
    volunteers,
)
from lianxin.wishes.models import Wish
from lianxin.wishes.selectors import wishes_posted

# ------------------------------------------------------------------ the rows behind each figure


# Every figure's rows, by the key its drill-down page uses.
ROWS: dict[str, Callable[[Organization, Period], QuerySet[Any]]] = {
    "sessions": sessions_held,
    "participations": participations,
    "volunteers": volunteers,
    "session-beneficiaries": session_beneficiary_rows,
    "served-orders": orders_served,
    "tour-stops": tour_stops,
    "service-records": service_records,
    "orders": orders_placed,
    "rated-orders": rated_orders,
    "wishes-posted": wishes_posted,
    "wishes-claimed": lambda org, period: wishes_posted(org, period, Wish.CLAIMED_STATUSES),
    "wishes-fulfilled": lambda org, period: wishes_posted(org, period, Wish.FULFILLED_STATUSES),
    "reports-by-community": reports_by_community,
    "reports-by-home": reports_by_home,
    "post-claims": post_claims,
}


def _orders_in(status: str) -> Callable[[Organization, Period], QuerySet[Order]]:
    def rows(org: Organization, period: Period) -> QuerySet[Order]:
        return orders_placed(org, period, status)

    return rows


for _status in Order.Status.values:
    ROWS[f"orders-{_status}"] = _orders_in(_status)


# ------------------------------------------------------------------ all figures at once

ZERO_HOURS = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=1))
ZERO = Value(0, output_field=IntegerField())


@dataclass(frozen=True)
class ServiceFigures:
    organization: Organization
    period: Period
    sessions_held: int
    participations: int
    volunteers: int
    signup_hours: Decimal
    record_hours: Decimal
    service_records: int
    orders_served: int
    order_beneficiaries: int
    session_beneficiaries: int
    tour_stops: int
    tour_beneficiaries: int
    orders_by_state: dict[str, int] = field(default_factory=dict)
    rated_orders: int = 0
    average_rating: Decimal | None = None
    wishes_posted: int = 0
    wishes_claimed: int = 0
    wishes_fulfilled: int = 0
    reports_by_community: int = 0
    reports_by_home: int = 0
    post_claims: int = 0

    @property
    def hours(self) -> Decimal:
        return self.signup_hours + self.record_hours

    @property
    def beneficiaries(self) -> int:
        return self.order_beneficiaries + self.session_beneficiaries + self.tour_beneficiaries

    @property
    def orders_placed(self) -> int:
        return sum(self.orders_by_state.values())


Row = dict[str, Any]


def _session_figures(org: Organization, period: Period) -> tuple[Row, Row]:
    """Held sessions with their beneficiaries (outside orders), and the attended sign-ups with their hours."""
    sessions = (
        sessions_held(org, period)
        .order_by()
        .aggregate(
            held=Count("pk"),
            beneficiaries=Coalesce(Sum("beneficiaries", filter=Q(order__isnull=True)), ZERO),
        )
    )
    signups = (
        participations(org, period)
        .order_by()
        .aggregate(count=Count("pk"), people=Count("user_id", distinct=True), hours=Coalesce(Sum("hours"), ZERO_HOURS))
    )
    return sessions, signups


def _order_figures(org: Organization, period: Period) -> Row:
    """Orders placed (by state, rated) and orders served, in one pass over the subtree's orders."""
    start, end = period.bounds
    placed = Q(created_at__gte=start, created_at__lt=end)
    served = Q(status__in=Order.DONE_STATUSES, served_at__gte=start, served_at__lt=end)
    by_state = {s: Count("pk", filter=placed & Q(status=s)) for s in Order.Status.values}
    rated = placed & Q(status=Order.Status.RATED, rating__isnull=False)
    return (
        Order.objects.filter(in_subtree("owner", org))
        .filter(placed | served)
        .aggregate(
            served=Count("pk", filter=served),
            beneficiaries=Coalesce(Sum("beneficiaries", filter=served), ZERO),
            rated=Count("pk", filter=rated),
            rating=Avg("rating", filter=rated),
            **{f"state_{s}": c for s, c in by_state.items()},
        )
    )


def _community_figures(org: Organization, period: Period) -> tuple[Row, Row, Row]:
    """Wishes by what became of them, community reports both ways, post claims."""
    wish_row = (
        wishes_posted(org, period)
        .order_by()
        .aggregate(
            posted=Count("pk"),
            claimed=Count("pk", filter=Q(status__in=Wish.CLAIMED_STATUSES)),
            fulfilled=Count("pk", filter=Q(status__in=Wish.FULFILLED_STATUSES)),
        )
    )
    reports = (
        reports_counted(period)
        .filter(in_subtree("community", org) | in_subtree("home_organization", org))
        .order_by()
        .aggregate(
            by_community=Count("pk", filter=in_subtree("community", org)),
            by_home=Count("pk", filter=in_subtree("home_organization", org)),
        )
    )
    claims = post_claims(org, period).order_by().aggregate(count=Count("pk"))
    return wish_row, reports, claims


def service_figures(*, organization: Organization, period: Period) -> ServiceFigures:
    """All the figures of a subtree and period: one aggregate query per table (eight in all)."""
    org = organization
    with statement_memory(using=router.db_for_read(SignUp)):
        sessions, signups = _session_figures(org, period)
        orders = _order_figures(org, period)
        stops = (
            tour_stops(org, period)
            .order_by()
            .aggregate(count=Count("pk"), beneficiaries=Coalesce(Sum("beneficiaries"), ZERO))
        )
        records = (
            service_records(org, period)
            .order_by()
            .aggregate(count=Count("pk"), hours=Coalesce(Sum("hours"), ZERO_HOURS))
        )
        wish_row, reports, claims = _community_figures(org, period)
    rating = orders["rating"]
    return ServiceFigures(
        organization=org,
        period=period,
        sessions_held=sessions["held"],
        participations=signups["count"],
        volunteers=signups["people"],
        signup_hours=Decimal(signups["hours"]),
        record_hours=Decimal(records["hours"]),
        service_records=records["count"],
        orders_served=orders["served"],
        order_beneficiaries=orders["beneficiaries"],
        session_beneficiaries=sessions["beneficiaries"],
        tour_stops=stops["count"],
        tour_beneficiaries=stops["beneficiaries"],
        orders_by_state={s: orders[f"state_{s}"] for s in Order.Status.values},
        rated_orders=orders["rated"],
        average_rating=None if rating is None else Decimal(str(rating)).quantize(Decimal("0.01")),
        wishes_posted=wish_row["posted"],
        wishes_claimed=wish_row["claimed"],
        wishes_fulfilled=wish_row["fulfilled"],
        reports_by_community=reports["by_community"],
        reports_by_home=reports["by_home"],
        post_claims=claims["count"],
    )

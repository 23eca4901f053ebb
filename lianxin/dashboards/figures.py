"""Service figures for a subtree and a period, and the rows behind each figure.

Every figure is defined once, as a queryset of the rows it counts; `service_figures`
computes all of them with one conditional aggregate per table, and the drill-down pages
list exactly the rows of the same querysets. Which organization a row belongs to:

- sessions and sign-ups: the session's team's owner organization (team.organization);
- orders: their dispatching organization (owner); tours: their organizer;
- wishes: the wish's community organization;
- community reports: counted twice, once under the receiving community and once under the
  member's own organization (home_organization), as two separate figures;
- post claims and service records: the community.

The period is a pair of dates, both included, in the site's time zone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import router
from django.db.models import Avg, Count, DecimalField, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from lianxin.accounts.models import User
from lianxin.community.models import CommunityReport, PostClaim, ServiceRecord
from lianxin.core.periods import Period
from lianxin.core.statements import statement_memory
from lianxin.organizations.models import Organization
from lianxin.volunteering.models import Order, Session, SignUp, TourStop
from lianxin.wishes.models import Wish

# A community report counts once the community approved it, even if it has ended since; a
# pending report the member withdrew also ends, but was never decided.
COUNTED_REPORTS = Q(status=CommunityReport.Status.APPROVED) | Q(
    status=CommunityReport.Status.ENDED, decided_at__isnull=False
)
# Attended: checked in, or hours recorded by the team leader for someone who could not check in.
ATTENDED = Q(checked_in_at__isnull=False) | Q(hours__gt=0)
# ------------------------------------------------------------------ the rows behind each figure


def _under(field_path: str, org: Organization) -> Q:
    """Rows whose organization at `field_path` is in the subtree, as a list of the subtree's ids:
    each table reads only its rows of those organizations (by an index led by the organization)."""
    subtree = Organization.objects.filter(path__startswith=org.path).values("pk")
    return Q(**{f"{field_path}__in": subtree})


def sessions_held(org: Organization, period: Period) -> QuerySet[Session]:
    """Sessions held in the period by teams of the subtree."""
    start, end = period.bounds
    return (
        Session.objects.filter(_under("team__organization", org), status=Session.Status.HELD)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("team", "area", "order")
        .order_by("starts_at", "id")
    )


def participations(org: Organization, period: Period) -> QuerySet[SignUp]:
    """人次: sign-ups of those sessions, not withdrawn, attended (checked in or hours recorded)."""
    start, end = period.bounds
    return (
        SignUp.objects.filter(
            _under("session__team__organization", org),
            session__status=Session.Status.HELD,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            left_at__isnull=True,
            # The sign-up's copy of the session's time (kept in step by session_update): the
            # same rows, but it lets PostgreSQL filter sign-ups before the join (about 2x faster).
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .filter(ATTENDED)
        .select_related("user", "session", "session__team")
        .order_by("starts_at", "id")
    )


def volunteers(org: Organization, period: Period) -> QuerySet[User]:
    """Distinct people behind the participations."""
    return User.objects.filter(pk__in=participations(org, period).values("user_id")).order_by("display_name", "id")


def session_beneficiary_rows(org: Organization, period: Period) -> QuerySet[Session]:
    """Held sessions that belong to no order: an order's sessions count under the order."""
    return sessions_held(org, period).filter(order__isnull=True)


def orders_served(org: Organization, period: Period) -> QuerySet[Order]:
    """Orders of the subtree served in the period (served, rated or closed unrated)."""
    start, end = period.bounds
    return (
        Order.objects.filter(_under("owner", org), status__in=Order.DONE_STATUSES)
        .filter(served_at__gte=start, served_at__lt=end)
        .select_related("item", "team", "area", "owner")
        .order_by("served_at", "id")
    )


def tour_stops(org: Organization, period: Period) -> QuerySet[TourStop]:
    return (
        TourStop.objects.filter(_under("tour__organization", org), date__gte=period.start, date__lte=period.end)
        .select_related("tour", "area")
        .order_by("date", "id")
    )


def service_records(org: Organization, period: Period) -> QuerySet[ServiceRecord]:
    return (
        ServiceRecord.objects.filter(_under("community", org), served_on__gte=period.start, served_on__lte=period.end)
        .select_related("member", "community")
        .order_by("served_on", "id")
    )


def orders_placed(org: Organization, period: Period, status: str | None = None) -> QuerySet[Order]:
    """Orders of the subtree placed in the period, in the state they are in now."""
    start, end = period.bounds
    qs = Order.objects.filter(_under("owner", org), created_at__gte=start, created_at__lt=end)
    if status is not None:
        qs = qs.filter(status=status)
    return qs.select_related("item", "team", "area", "owner").order_by("created_at", "id")


def rated_orders(org: Organization, period: Period) -> QuerySet[Order]:
    """The orders behind the average rating: rated ones only; an unrated order is no rating."""
    return orders_placed(org, period, Order.Status.RATED).filter(rating__isnull=False)


def wishes(org: Organization, period: Period, statuses: tuple[str, ...] = Wish.PUBLIC_STATUSES) -> QuerySet[Wish]:
    """Wishes posted in the period that passed review (as on the wall), by what became of them."""
    start, end = period.bounds
    return (
        Wish.objects.filter(_under("organization", org), created_at__gte=start, created_at__lt=end)
        .filter(status__in=statuses)
        .select_related("organization")
        .order_by("created_at", "id")
    )


def reports_by_community(org: Organization, period: Period) -> QuerySet[CommunityReport]:
    """Members who reported to communities of the subtree (approved), wherever they come from."""
    return _reports(period).filter(_under("community", org))


def reports_by_home(org: Organization, period: Period) -> QuerySet[CommunityReport]:
    """Members of the subtree's organizations who reported to a community (approved), anywhere."""
    return _reports(period).filter(_under("home_organization", org))


def _reports(period: Period) -> QuerySet[CommunityReport]:
    return (
        CommunityReport.objects.filter(COUNTED_REPORTS)
        .filter(reported_on__gte=period.start, reported_on__lte=period.end)
        .select_related("member", "community", "home_organization")
        .order_by("reported_on", "id")
    )


def post_claims(org: Organization, period: Period) -> QuerySet[PostClaim]:
    """Claims of the subtree's community posts made in the period and not withdrawn."""
    start, end = period.bounds
    return (
        PostClaim.objects.filter(_under("post__community", org), claimed_at__gte=start, claimed_at__lt=end)
        .filter(withdrawn_at__isnull=True)
        .select_related("post", "post__community", "member")
        .order_by("claimed_at", "id")
    )


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
    "wishes-posted": wishes,
    "wishes-claimed": lambda org, period: wishes(org, period, Wish.CLAIMED_STATUSES),
    "wishes-fulfilled": lambda org, period: wishes(org, period, Wish.FULFILLED_STATUSES),
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
        Order.objects.filter(_under("owner", org))
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
        wishes(org, period)
        .order_by()
        .aggregate(
            posted=Count("pk"),
            claimed=Count("pk", filter=Q(status__in=Wish.CLAIMED_STATUSES)),
            fulfilled=Count("pk", filter=Q(status__in=Wish.FULFILLED_STATUSES)),
        )
    )
    reports = (
        _reports(period)
        .filter(_under("community", org) | _under("home_organization", org))
        .order_by()
        .aggregate(
            by_community=Count("pk", filter=_under("community", org)),
            by_home=Count("pk", filter=_under("home_organization", org)),
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

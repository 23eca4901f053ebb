"""The rows behind volunteering's figures for a subtree and a period (the service figures page, the
dashboard and the briefings): each figure is the count of one of these querysets, so every number
opens exactly what it counts. Which organization a row belongs to: sessions and sign-ups, the
session's team's owner organization; orders, their dispatching organization (owner); tours, their
organizer. The period is a pair of dates, both included, in the site's time zone.
"""

from django.db.models import Q, QuerySet

from lianxin.accounts.models import User
from lianxin.core.periods import Period
from lianxin.organizations.selectors import Subtree, in_subtree
from lianxin.volunteering.models import Order, Session, SignUp, TourStop

# Attended: checked in, or hours recorded by the team leader for someone who could not check in.
ATTENDED = Q(checked_in_at__isnull=False) | Q(hours__gt=0)


def sessions_held(org: Subtree, period: Period) -> QuerySet[Session]:
    """Sessions held in the period by teams of the subtree."""
    start, end = period.bounds
    return (
        Session.objects.filter(in_subtree("team__organization", org), status=Session.Status.HELD)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("team", "area", "order")
        .order_by("starts_at", "id")
    )


def participations(org: Subtree, period: Period) -> QuerySet[SignUp]:
    """人次: sign-ups of those sessions, not withdrawn, attended (checked in or hours recorded)."""
    start, end = period.bounds
    return (
        SignUp.objects.filter(
            in_subtree("session__team__organization", org),
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


def volunteers(org: Subtree, period: Period) -> QuerySet[User]:
    """Distinct people behind the participations."""
    return User.objects.filter(pk__in=participations(org, period).values("user_id")).order_by("display_name", "id")


def session_beneficiary_rows(org: Subtree, period: Period) -> QuerySet[Session]:
    """Held sessions that belong to no order: an order's sessions count under the order."""
    return sessions_held(org, period).filter(order__isnull=True)


def orders_served(org: Subtree, period: Period) -> QuerySet[Order]:
    """Orders of the subtree served in the period (served, rated or closed unrated)."""
    start, end = period.bounds
    return (
        Order.objects.filter(in_subtree("owner", org), status__in=Order.DONE_STATUSES)
        .filter(served_at__gte=start, served_at__lt=end)
        .select_related("item", "team", "area", "owner")
        .order_by("served_at", "id")
    )


def tour_stops(org: Subtree, period: Period) -> QuerySet[TourStop]:
    return (
        TourStop.objects.filter(in_subtree("tour__organization", org), date__gte=period.start, date__lte=period.end)
        .select_related("tour", "area")
        .order_by("date", "id")
    )


def orders_placed(org: Subtree, period: Period, status: str | None = None) -> QuerySet[Order]:
    """Orders of the subtree placed in the period, in the state they are in now."""
    start, end = period.bounds
    qs = Order.objects.filter(in_subtree("owner", org), created_at__gte=start, created_at__lt=end)
    if status is not None:
        qs = qs.filter(status=status)
    return qs.select_related("item", "team", "area", "owner").order_by("created_at", "id")


def rated_orders(org: Subtree, period: Period) -> QuerySet[Order]:
    """The orders behind the average rating: rated ones only; an unrated order is no rating."""
    return orders_placed(org, period, Order.Status.RATED).filter(rating__isnull=False)

"""Order moves that collide: exactly one wins, on PostgreSQL and SQLite.

Real threads with their own database connections, released together by a barrier, so the
conditional UPDATE in state_transition decides and not the order the threads happen to run.
"""

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.core.models import Event
from lianxin.core.testing import all_at_once
from lianxin.volunteering.models import Order
from lianxin.volunteering.services.orders import order_close_unrated, order_dispatch, order_rate
from lianxin.volunteering.tests.factories import make_item, make_order, make_team, make_user

Status = Order.Status


@pytest.mark.django_db(transaction=True)
def test_of_six_admins_dispatching_the_same_order_at_once_exactly_one_wins(city: City, resident: User) -> None:
    teams = [make_team(city.district, name=f"队{i}") for i in range(6)]
    order = make_order(make_item(teams[0]), ordered_by=resident)
    admins = [
        make_user(f"dispatcher{i}", role=RoleAssignment.Role.ORG_ADMIN, organization=city.district) for i in range(6)
    ]

    def dispatch(admin: User, team_index: int) -> Callable[[threading.Barrier], object]:
        stale = Order.objects.select_related("owner").get(pk=order.pk)  # each admin loaded the undispatched order

        def run(barrier: threading.Barrier) -> object:
            barrier.wait()
            return order_dispatch(order=stale, actor=admin, team=teams[team_index])

        return run

    wins, refusals = all_at_once([dispatch(a, i) for i, a in enumerate(admins)])
    assert wins == 1
    assert refusals == ["This order has just been changed by someone else; reload the page."] * 5
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED
    assert Event.objects.filter(verb="dispatched", subject_id=order.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rating_racing_the_close_of_unrated_orders_is_either_kept_or_refused_never_overwritten(
    city: City, resident: User
) -> None:
    order = make_order(make_item(make_team(city.district)), ordered_by=resident, until=Status.SERVED)
    Order.objects.filter(pk=order.pk).update(served_at=timezone.now() - timedelta(days=8))
    closed: list[int] = []

    stale = Order.objects.get(pk=order.pk)  # the orderer loaded the served order

    def rate(barrier: threading.Barrier) -> object:
        barrier.wait()
        return order_rate(order=stale, actor=resident, rating=5)

    def close(barrier: threading.Barrier) -> object:
        barrier.wait()
        closed.append(order_close_unrated())
        return None

    _wins, refusals = all_at_once([rate, close])
    order.refresh_from_db()
    assert order.status in (Status.RATED, Status.UNRATED)
    if order.status == Status.RATED:
        assert order.rating == 5 and closed == [0] and refusals == []
    else:
        assert order.rating is None and closed == [1]
        assert refusals == ["This order has just been changed by someone else; reload the page."]
    assert Event.objects.filter(subject_id=order.pk, verb__in=["rated", "closed_unrated"]).count() == 1

"""Volunteers pressing "sign up" at the same moment, on PostgreSQL and SQLite alike.

Real threads with their own database connections, released together by a barrier, so the
conditional UPDATE and the per-person lock decide, not the order the test runs them in.
"""

import threading
from datetime import timedelta
from functools import partial

import pytest

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.testing import Race, all_at_once
from lianxin.volunteering.models import Session, SignUp
from lianxin.volunteering.services.sessions import signup_create
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, make_volunteer

THREADS = 8


def _sign_up_all_at_once(pairs: list[tuple[int, User]]) -> Race:
    """Sign each user up for the session with the paired id, all released together."""

    def sign_up(session_pk: int, user: User, barrier: threading.Barrier) -> None:
        session = Session.objects.select_related("team", "team__organization").get(pk=session_pk)
        barrier.wait()
        signup_create(session=session, actor=user)

    return all_at_once([partial(sign_up, pk, user) for pk, user in pairs])


@pytest.mark.django_db(transaction=True)
def test_of_eight_members_taking_the_last_place_at_once_one_gets_it_and_seven_are_told(city: City) -> None:
    session = make_session(make_led_team(city.east), slots=1)
    users = [make_volunteer(city.east, f"racer{i}") for i in range(THREADS)]
    wins, refusals = _sign_up_all_at_once([(session.pk, u) for u in users])
    assert wins == 1
    assert refusals == ["The last place on this session has just been taken."] * (THREADS - 1)
    assert SignUp.objects.filter(session=session, left_at__isnull=True).count() == 1
    assert Session.objects.get(pk=session.pk).signed_up_count == 1


@pytest.mark.django_db(transaction=True)
def test_three_places_go_to_exactly_three_of_eight(city: City) -> None:
    session = make_session(make_led_team(city.east), slots=3)
    users = [make_volunteer(city.east, f"helper{i}") for i in range(THREADS)]
    wins, refusals = _sign_up_all_at_once([(session.pk, u) for u in users])
    assert wins == 3
    assert set(refusals) == {"The last place on this session has just been taken."} and len(refusals) == 5
    assert SignUp.objects.filter(session=session, left_at__isnull=True).count() == 3
    assert Session.objects.get(pk=session.pk).signed_up_count == 3


@pytest.mark.django_db(transaction=True)
def test_one_person_signing_up_for_overlapping_sessions_at_once_gets_only_one(city: City) -> None:
    team = make_led_team(city.east)
    first = make_session(team)
    sessions = [first] + [
        make_session(team, starts_at=first.starts_at + timedelta(minutes=10 * i)) for i in range(1, THREADS)
    ]
    user = make_volunteer(city.east, "busy")
    wins, refusals = _sign_up_all_at_once([(s.pk, user) for s in sessions])
    assert wins == 1
    assert len(refusals) == THREADS - 1
    assert all(r.startswith("This overlaps with") for r in refusals)
    assert SignUp.objects.filter(user=user, left_at__isnull=True).count() == 1
    assert sum(Session.objects.filter(team=team).values_list("signed_up_count", flat=True)) == 1

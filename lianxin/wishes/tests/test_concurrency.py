"""Claimers who press the button at the same moment: exactly one wins, on PostgreSQL and SQLite.

Real threads with their own database connections, released together by a barrier, so the
conditional UPDATE is what decides and not the order the test happens to run them in.
"""

import threading
from functools import partial

import pytest

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.testing import Race, all_at_once
from lianxin.wishes.models import Wish, WishClaim
from lianxin.wishes.services import wish_claim
from lianxin.wishes.tests.factories import make_member_user, make_wish

THREADS = 8


def _claim_all_at_once(wish_pk: int, users: list[User]) -> Race:
    def claim(user: User, barrier: threading.Barrier) -> None:
        wish = Wish.objects.get(pk=wish_pk)  # each claimer loaded the open wish
        barrier.wait()
        wish_claim(wish=wish, actor=user)

    return all_at_once([partial(claim, u) for u in users])


@pytest.mark.django_db(transaction=True)
def test_of_eight_simultaneous_claimers_exactly_one_wins_and_seven_are_told_clearly(
    city: City, resident: User, branch_secretary: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    users = [make_member_user(city.east, f"racer{i}") for i in range(THREADS)]
    wins, refusals = _claim_all_at_once(wish.pk, users)
    assert wins == 1
    assert refusals == ["Someone else has just claimed this wish."] * (THREADS - 1)
    assert WishClaim.objects.filter(wish=wish, withdrawn_at__isnull=True).count() == 1
    wish.refresh_from_db()
    assert wish.status == Wish.Status.CLAIMED and wish.claimed_count == 1


@pytest.mark.django_db(transaction=True)
def test_a_warm_heart_task_for_three_takes_exactly_three_of_eight_simultaneous_participants(
    city: City, branch_secretary: User
) -> None:
    task = make_wish(
        city.east, posted_by=branch_secretary, reviewer=branch_secretary, kind=Wish.Kind.WARM_TASK, capacity=3
    )
    users = [make_member_user(city.east, f"helper{i}") for i in range(THREADS)]
    wins, refusals = _claim_all_at_once(task.pk, users)
    assert wins == 3
    assert len(refusals) == THREADS - 3
    assert set(refusals) == {"The last place on this task has just been taken."}
    assert WishClaim.objects.filter(wish=task, withdrawn_at__isnull=True).count() == 3
    task.refresh_from_db()
    assert task.status == Wish.Status.CLAIMED and task.claimed_count == 3

"""Members who claim the last place of a post at the same moment: one wins, on PostgreSQL and SQLite.

Real threads with their own database connections, released together by a barrier, so the
lock on the post decides and not the order the test happens to run them in.
"""

import threading
from functools import partial

import pytest

from conftest import City
from lianxin.accounts.models import User
from lianxin.community.models import CommunityReport, PostClaim, ServicePost
from lianxin.community.services.reports import post_claim, report_create
from lianxin.community.tests.factories import make_member_user, make_post, make_report
from lianxin.core.testing import Race, all_at_once
from lianxin.organizations.models import Organization

THREADS = 8


def _claim_all_at_once(post_pk: int, users: list[User]) -> Race:
    return all_at_once([partial(_claim, post_pk, user) for user in users])


def _claim(post_pk: int, user: User, barrier: threading.Barrier) -> None:
    post = ServicePost.objects.get(pk=post_pk)  # each member loaded the open post
    barrier.wait()
    post_claim(post=post, actor=user)


def _reported_members(city: City, approver: User, count: int) -> list[User]:
    users = [make_member_user(city.west, f"racer{i}") for i in range(count)]
    for user in users:
        make_report(user, city.east, approver=approver)
    return users


@pytest.mark.django_db(transaction=True)
def test_a_post_for_one_claimed_by_two_at_once_gives_one_success_and_one_clear_refusal(
    city: City, branch_secretary: User
) -> None:
    post = make_post(city.east, branch_secretary, capacity=1)
    wins, refusals = _claim_all_at_once(post.pk, _reported_members(city, branch_secretary, 2))
    assert wins == 1
    assert refusals == ["This post is full: every place has been taken."]
    assert PostClaim.objects.filter(post=post, withdrawn_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_post_for_three_takes_exactly_three_of_eight_simultaneous_claimers(
    city: City, branch_secretary: User
) -> None:
    post = make_post(city.east, branch_secretary, capacity=3)
    wins, refusals = _claim_all_at_once(post.pk, _reported_members(city, branch_secretary, THREADS))
    assert wins == 3
    assert refusals == ["This post is full: every place has been taken."] * (THREADS - 3)
    assert PostClaim.objects.filter(post=post, withdrawn_at__isnull=True).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_report_makes_one_report_and_one_clear_refusal(city: City) -> None:
    user = make_member_user(city.west, "twice")

    def report(actor: User, barrier: threading.Barrier) -> None:
        community = Organization.objects.get(pk=city.east.pk)
        barrier.wait()
        report_create(actor=User.objects.get(pk=actor.pk), community=community)

    wins, refusals = all_at_once([partial(report, user), partial(report, user)])
    assert wins == 1
    assert refusals == ["You have already reported to 东社区党支部; end that report before reporting elsewhere."]
    assert CommunityReport.objects.filter(member__user=user).count() == 1

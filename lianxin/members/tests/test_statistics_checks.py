"""The checks of the yearly Party statistics fail, and name the members that break them, when a roster's
records do not agree with themselves (records kept before the rules, or written around the services)."""

from datetime import date
from typing import Any

import pytest

from conftest import City
from lianxin.members.models import Member, Transfer
from lianxin.members.selectors.statistics import Statistics, party_statistics
from lianxin.members.selectors.statistics_checks import Check
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)
FULL: dict[str, Any] = {"category": Member.Category.FULL, "joined_on": date(2010, 7, 1), "full_on": date(2011, 7, 1)}


def _statistics(city: City) -> Statistics:
    return party_statistics(organization=city.district, year=2025, today=TODAY)


def _check(stats: Statistics, key: str) -> Check:
    return next(c for c in stats.checks if c.key == key)


def test_a_transfer_that_does_not_follow_on_breaks_the_balance_and_names_the_member(city: City) -> None:
    # Still on 东's roster, yet recorded as transferred from 西 to the other district during the year.
    member = make_member(city.east, name="错转", **FULL)
    Transfer.objects.create(
        member=member,
        from_organization=city.west,
        to_organization=city.other_branch,
        transferred_on=date(2025, 3, 1),
        reason="补录",
    )

    stats = _statistics(city)

    balance = _check(stats, "balance")
    assert not balance.passed and not stats.passed
    assert (stats.changes.start, stats.changes.transferred_out, stats.changes.end) == (1, 1, 1)
    assert [(m.pk, m.name, m.organization) for m in balance.members] == [(member.pk, "错转", "东社区党支部")]
    assert "do not follow on" in balance.members[0].note


def test_a_full_member_without_a_full_membership_date_is_counted_as_probationary_and_listed(city: City) -> None:
    member = make_member(city.east, name="缺转正日期", **FULL)
    Member.objects.filter(pk=member.pk).update(full_on=None)

    stats = _statistics(city)

    sex = next(g for g in stats.members.grids if g.key == "sex")
    assert [(line.key, line.total) for line in sex.lines] == [("total", 1), ("full", 0), ("probationary", 1)]
    dated = _check(stats, "dated")
    assert not dated.passed
    assert [(m.name, m.note) for m in dated.members] == [
        ("缺转正日期", "A full member without a full membership date: counted as probationary.")
    ]
    assert _check(stats, "balance").passed  # read from its dates, the member's year still balances


def test_a_former_member_without_a_date_of_leaving_is_listed(city: City) -> None:
    member = make_member(city.east, name="缺离开日期", **FULL)
    Member.objects.filter(pk=member.pk).update(category=Member.Category.FORMER, leave_reason="deceased")

    stats = _statistics(city)

    assert stats.members.total == 1  # the dates say a member, the category says otherwise
    assert [m.name for m in _check(stats, "dated").members] == ["缺离开日期"]


def test_a_value_outside_the_categories_breaks_the_sums_and_names_the_member(city: City) -> None:
    member = make_member(city.east, name="学历不明", education="bachelor", **FULL)
    Member.objects.filter(pk=member.pk).update(education="phd")

    stats = _statistics(city)

    check = _check(stats, "members_add_up")
    assert not check.passed and "Education" in check.detail
    assert [m.name for m in check.members] == ["学历不明"]
    education = next(g for g in stats.members.grids if g.key == "education")
    assert not education.adds_up()
    assert all(g.adds_up() for g in stats.members.grids if g.key != "education")

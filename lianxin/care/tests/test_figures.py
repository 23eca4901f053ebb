"""Care's figures: each counting measure is the count of its rows; funds are the sum of theirs."""

from datetime import date
from decimal import Decimal

import pytest

from conftest import City
from lianxin.accounts.models import User
from lianxin.care.models import CareRound, TargetGroup
from lianxin.care.services.hardship import hardship_record
from lianxin.care.services.rounds import recipient_add
from lianxin.care.services.visits import visit_record
from lianxin.core.figures import figures_of, measure_named
from lianxin.core.periods import Period
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_figures_count_people_once_units_and_yuan(
    open_round: CareRound, city: City, city_admin: User, east_member: Member
) -> None:
    r = recipient_add(actor=city_admin, round_=open_round, group=TargetGroup.SENIOR, member=east_member)
    off = recipient_add(
        actor=city_admin, round_=open_round, group=TargetGroup.OFF_ROSTER, name="张阿姨", organization=city.west
    )
    for org, money in ((city.east, "1000"), (city.district, "500")):
        visit_record(
            actor=city_admin,
            round_=open_round,
            recipient=r,
            organization=org,
            visitors="甲",
            visited_on=date(2026, 6, 30),
            money=Decimal(money),
        )
    visit_record(
        actor=city_admin,
        round_=open_round,
        recipient=off,
        organization=city.west,
        visitors="乙",
        visited_on=date(2026, 6, 29),
        goods="棉被",
        goods_value=Decimal("150"),
    )
    hardship_record(
        actor=city_admin,
        member=make_member(city.other_branch),
        level="special",
        reason="illness",
        since=date(2025, 1, 1),
    )
    period = Period.year(2026)
    numbers = {m.name: n for found in figures_of(city.root, period) for m, n in found.items()}
    assert numbers["care-visited"] == 2
    assert numbers["care-units"] == 3
    assert numbers["care-funds"] == Decimal("1650")
    assert numbers["care-hardship-members"] == 1
    for name in ("care-visited", "care-units", "care-hardship-members"):
        found = measure_named(name)
        assert found is not None
        _group, measure = found
        assert measure.rows(city.root, period).count() == numbers[name]
    district = {m.name: n for found in figures_of(city.district, period) for m, n in found.items()}
    assert (district["care-visited"], district["care-hardship-members"]) == (2, 0)
    assert {m.name: n for f in figures_of(city.root, Period.year(2025)) for m, n in f.items()}["care-visited"] == 0

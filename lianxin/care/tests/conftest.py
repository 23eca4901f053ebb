"""Care's fixtures: a 七一 round of the city, open, with the whole budget at the city."""

from datetime import date
from decimal import Decimal

import pytest

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.care.models import CareRound, TargetGroup
from lianxin.care.services.rounds import budget_set, round_create, round_move

JULY_FIRST = date(2026, 7, 1)


@pytest.fixture
def other_admin(city: City) -> User:
    """The organization admin of 岛县 (the other district)."""
    user = user_create(username="other_admin", password=PASSWORD, display_name="other_admin")
    given_role(user=user, role=RoleAssignment.Role.ORG_ADMIN, organization=city.other_district)
    return user


@pytest.fixture
def care_round(city: City, city_admin: User) -> CareRound:
    round_ = round_create(
        actor=city_admin,
        organization=city.root,
        title="2026年七一走访慰问",
        occasion=CareRound.Occasion.JULY_FIRST,
        year=2026,
        on=JULY_FIRST,
        target_groups=[TargetGroup.SENIOR, TargetGroup.HARDSHIP],
    )
    budget_set(actor=city_admin, round_=round_, organization=city.root, amount=Decimal("100000"))
    return round_


@pytest.fixture
def open_round(care_round: CareRound, city_admin: User) -> CareRound:
    return round_move(actor=city_admin, round_=care_round, to=CareRound.Status.OPEN)

from datetime import date

import pytest

from conftest import City
from lianxin.dues.selectors import months_behind
from lianxin.dues.tests.factories import TODAY, assessed_member, pay
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_a_member_paid_up_to_last_month_is_not_behind(city: City) -> None:
    member = assessed_member(city.east)
    pay(member, date(2026, 11, 1), "110.00")
    assert months_behind(member_ids=[member.pk], on=TODAY) == {}


def test_the_current_month_is_never_behind_but_the_one_before_is(city: City) -> None:
    member = assessed_member(city.east)
    pay(member, date(2026, 10, 1), "100.00")
    assert months_behind(member_ids=[member.pk], on=TODAY) == {member.pk: 1}
    assert months_behind(member_ids=[member.pk], on=date(2026, 11, 30)) == {}


def test_an_assessed_member_who_never_paid_is_behind_from_january(city: City) -> None:
    member = assessed_member(city.east)
    assert months_behind(member_ids=[member.pk], on=TODAY) == {member.pk: 11}
    assert months_behind(member_ids=[member.pk], on=date(2026, 1, 31)) == {}
    assert months_behind(member_ids=[member.pk], on=date(2026, 2, 1)) == {member.pk: 1}


def test_a_member_never_assessed_is_absent(city: City) -> None:
    member = make_member(city.east)
    assert months_behind(member_ids=[member.pk], on=TODAY) == {}


def test_a_member_paid_ahead_is_not_behind(city: City) -> None:
    member = assessed_member(city.east)
    pay(member, date(2026, 12, 1), "120.00")
    assert months_behind(member_ids=[member.pk, 999_999], on=TODAY) == {}

from datetime import date
from decimal import Decimal

import pytest

from conftest import City
from lianxin.core.figures import by_month, children_numbers, figure_groups, figures_of, measure_named
from lianxin.core.periods import Period
from lianxin.dues.models import Payment
from lianxin.dues.services.ledger import payment_void
from lianxin.dues.tests.factories import assessed_member, pay

pytestmark = pytest.mark.django_db

YEAR = Period.year(2026)


@pytest.fixture
def paid(city: City) -> None:
    up = assessed_member(city.east)
    pay(up, date(2026, 11, 1), "110.00", paid_on=date(2026, 11, 3))
    six = assessed_member(city.east)
    pay(six, date(2026, 3, 1), "30.00", paid_on=date(2026, 3, 5))
    voided = pay(six, date(2026, 4, 1), "10.00", paid_on=date(2026, 4, 5))
    payment_void(actor=None, payment=voided, reason="wrong amount")
    two = assessed_member(city.west)
    pay(two, date(2026, 9, 1), "90.00", paid_on=date(2026, 9, 9))
    pay(assessed_member(city.other_branch), None, "1000.00", kind=Payment.Kind.DONATION)  # type: ignore[arg-type]


def _numbers(org: object, period: Period = YEAR) -> dict[str, object]:
    return {m.name: n for found in figures_of(org, period) for m, n in found.items() if m.name.startswith("dues-")}


def test_the_dues_figures_count_valid_payments_and_members_behind(city: City, paid: None) -> None:
    numbers = _numbers(city.district)
    assert numbers["dues-collected"] == Decimal("230.00")
    assert numbers["dues-payments"] == 3
    assert numbers["dues-members-in-arrears"] == 2
    assert numbers["dues-six-months"] == 1
    assert _numbers(city.root)["dues-collected"] == Decimal("1230.00")


def test_every_counting_dues_measure_is_the_count_of_its_rows(city: City, paid: None) -> None:
    group = next(g for g in figure_groups() if g.key == "dues")
    numbers = _numbers(city.root)
    for measure in group.measures:
        rows = measure.rows(city.root, YEAR)
        if measure.counts_rows:
            assert numbers[measure.name] == rows.count(), measure.name
        first = rows.first()
        assert first is not None
        assert set(measure.row(first)) == {key for key, _h in measure.columns}
    found = measure_named("dues-payments")
    assert found is not None
    assert sum(n for _m, n in by_month(found[1], city.root, YEAR)) == numbers["dues-payments"]


def test_the_children_counted_at_once_are_each_childs_own(city: City, paid: None) -> None:
    measures = [m for g in figure_groups() if g.key == "dues" for m in g.measures]
    children = [city.district, city.other_district]
    at_once = children_numbers(city.root, YEAR, children, measures)
    for child in children:
        assert at_once[child.pk] == _numbers(child)

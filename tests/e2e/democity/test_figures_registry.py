"""The figures registry on the demo city: every registered measure's number is what its rows say.

Each app declares its figures (lianxin.core.figures); here every measure of every group is computed
for the whole city and for one district over the demo's year, and held to its rows: a counting
measure is exactly their count, a share is its two parts, and every row reads as its columns.
"""

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from lianxin.accounts.permissions import Scope
from lianxin.core.figures import by_month, children_numbers, figure_groups, figures_of, measure_named, rate
from lianxin.core.periods import Period
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.selectors import AreaSubtree, Subtree

EXPECTED_GROUPS = {
    "roster",
    "development",
    "organizational-life",
    "compliance",
    "volunteering",
    "wishes",
    "community",
    "demands",
    "honours",
    "care",
    "dues",
}


def _subtrees() -> list[Subtree]:
    """The city and a district, as organizations and as areas (whose organizations are counted)."""
    top = Organization.objects.get(depth=1)
    district = Organization.objects.filter(depth=2).order_by("path").first()
    assert district is not None
    everything = Scope(everything=True)
    city_area = AreaSubtree(Area.objects.get(depth=1), everything)
    district_area = AreaSubtree(district.area, everything)
    return [top, district, city_area, district_area]


def _children(subtree: Subtree) -> list[Any]:
    if isinstance(subtree, AreaSubtree):
        return subtree.children(limit=100)
    return list(Organization.objects.filter(path__startswith=subtree.path, depth=subtree.depth + 1).order_by("path"))


SUBTREES = pytest.mark.parametrize("which", [0, 1, 2, 3], ids=["city", "district", "city-area", "district-area"])


def test_every_app_registers_its_figures_once() -> None:
    groups = figure_groups()
    assert {g.key for g in groups} >= EXPECTED_GROUPS
    names = [m.name for g in groups for m in g.measures]
    assert len(names) == len(set(names)), "a measure's name is the registry's own"
    assert all(str(m.definition).strip() for g in groups for m in g.measures), "every measure says how it is counted"


@SUBTREES
def test_every_counting_measure_is_the_count_of_its_rows(which: int) -> None:
    org = _subtrees()[which]
    today = timezone.localdate()
    period = Period(date(today.year - 1, 1, 1), today)
    counted = 0
    numbers = {m.name: n for found in figures_of(org, period) for m, n in found.items()}
    for found in figures_of(org, period):
        for measure, number in found.items():
            rows = measure.rows(org, period)
            if measure.counts_rows and number is None:  # no figure for this period (compliance: whole quarters)
                assert not rows.exists(), measure.name
            elif measure.counts_rows:
                assert number == rows.count(), measure.name
                counted += 1
            if measure.dated:  # its trend's months add up to it
                assert sum(n for _month, n in by_month(measure, org, period)) == number, measure.name
            parts = [m.name for g in figure_groups() for m in g.measures if m.part_of == measure.name]
            if parts:  # its composition adds up to it
                assert sum(int(numbers[p] or 0) for p in parts) == number, measure.name
            first = rows.first()
            if first is not None:
                assert set(measure.row(first)) == {key for key, _heading in measure.columns}, measure.name
    assert counted >= 20


def test_the_shares_are_their_parts() -> None:
    org = _subtrees()[0]
    today = timezone.localdate()
    period = Period(date(today.year, 1, 1), today)
    numbers = {m.name: n for found in figures_of(org, period) for m, n in found.items()}
    assert numbers["members-covered"] and numbers["party-members"]
    assert numbers["coverage-rate"] == rate(int(numbers["members-covered"]), int(numbers["party-members"]))
    assert numbers["demands-collected"], "the demo city collects demands this year"
    assert numbers["demands-resolution-rate"] is not None


@SUBTREES
def test_the_children_counted_at_once_are_each_childs_own_figures(which: int) -> None:
    org = _subtrees()[which]
    today = timezone.localdate()
    period = Period(date(today.year, 1, 1), today)
    children = _children(org)
    measures = [m for g in figure_groups() for m in g.measures]
    at_once = children_numbers(org, period, children, measures)
    assert any(n for numbers in at_once.values() for n in numbers.values()), "the demo's children have figures"
    for child in children:
        alone = {m.name: n for found in figures_of(child, period) for m, n in found.items()}
        assert at_once[child.pk] == alone, child.code


def test_compliance_counts_whole_quarters_from_the_board() -> None:
    org = _subtrees()[1]
    quarter = Period.quarter_of(timezone.localdate()).previous_quarter()
    numbers = {m.name: n for found in figures_of(org, quarter) for m, n in found.items()}
    _group, behind = measure_named("compliance-branches-behind") or (None, None)
    assert behind is not None
    assert numbers["compliance-branches-behind"] == behind.rows(org, quarter).count()
    held, missed = int(numbers["compliance-windows-held"] or 0), int(numbers["compliance-windows-missed"] or 0)
    assert held and missed, "the demo's branches held some required meetings last quarter and missed some"
    assert numbers["compliance-rate"] == rate(held, held + missed)
    year = Period(date(quarter.start.year, 1, 1), quarter.end)
    assert {m.name: n for found in figures_of(org, year) for m, n in found.items()}["compliance-rate"] is None


def test_the_city_area_counts_what_the_city_does() -> None:
    """Every organization of the demo sits in the city's area, so the area's figures are the city's."""
    city, _district, city_area, district_area = _subtrees()
    today = timezone.localdate()
    period = Period(date(today.year, 1, 1), today)
    assert not Organization.objects.exclude(area__path__startswith=city_area.path).exists()
    as_area = {m.name: n for found in figures_of(city_area, period) for m, n in found.items()}
    as_city = {m.name: n for found in figures_of(city, period) for m, n in found.items()}
    compliance = {m.name for g in figure_groups() if g.key == "compliance" for m in g.measures}
    assert {k: v for k, v in as_area.items() if k not in compliance} == {
        k: v for k, v in as_city.items() if k not in compliance
    }
    smaller = {m.name: n for found in figures_of(district_area, period) for m, n in found.items()}
    assert 0 < int(smaller["party-members"] or 0) < int(as_area["party-members"] or 0)

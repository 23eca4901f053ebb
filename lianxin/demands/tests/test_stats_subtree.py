"""A subtree's demand figures read its own demands: unchanged by demands collected elsewhere, and
an organization moved to another parent is counted, with its demands, in its new place."""

from datetime import date

from conftest import City
from lianxin.demands.models import Demand
from lianxin.demands.selectors.stats import (
    COUNTED,
    DemandStats,
    _aggregates,
    collected,
    collected_rows,
    demand_stats,
    demand_stats_by,
)
from lianxin.demands.tests.factories_stats import bulk, demand_row
from lianxin.organizations.models import Organization
from lianxin.organizations.services import organization_move

S = Demand.Status
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
IN_YEAR = date(2025, 6, 1)
TODAY = date(2025, 12, 31)


def stats_of(org: Organization) -> DemandStats:
    return demand_stats(organization=org, start=YEAR[0], end=YEAR[1], today=TODAY)


def test_a_district_is_unchanged_by_demands_collected_in_another_district(city: City) -> None:
    bulk([demand_row(city.east, status=S.RESOLVED, deadline=IN_YEAR) for _ in range(3)], IN_YEAR)
    bulk([demand_row(city.west, status=S.ASSIGNED, responsible_unit=city.west, deadline=IN_YEAR)], IN_YEAR)
    before = stats_of(city.district)
    by_unit = demand_stats_by(organization=city.district, start=YEAR[0], end=YEAR[1], by="unit", today=TODAY)

    # demands elsewhere, some handled by a unit of the district
    bulk([demand_row(city.other_branch, status=S.RESOLVED, deadline=IN_YEAR) for _ in range(5)], IN_YEAR)
    bulk([demand_row(city.other_branch, status=S.ASSIGNED, responsible_unit=city.east, deadline=IN_YEAR)], IN_YEAR)

    assert stats_of(city.district) == before
    assert (before.collected, before.resolved, before.overdue) == (4, 3, 1)
    assert demand_stats_by(organization=city.district, start=YEAR[0], end=YEAR[1], by="unit", today=TODAY) == by_unit
    assert stats_of(city.other_district).collected == 6
    assert stats_of(city.root).collected == 10


def test_a_moved_organization_is_counted_with_its_demands_under_its_new_parent(city: City) -> None:
    bulk([demand_row(city.east, status=S.RESOLVED, deadline=IN_YEAR) for _ in range(2)], IN_YEAR)
    bulk([demand_row(city.west, status=S.SUBMITTED)], IN_YEAR)
    bulk([demand_row(city.other_branch, status=S.SUBMITTED)], IN_YEAR)

    organization_move(actor=None, organization=city.east, new_parent=city.other_district)

    there, here = stats_of(city.other_district), stats_of(city.district)
    assert (there.collected, there.resolved, there.awaiting) == (3, 2, 1)
    assert (here.collected, here.resolved, here.awaiting) == (1, 0, 1)
    rows = collected_rows(organization=city.other_district, start=YEAR[0], end=YEAR[1], today=TODAY)
    assert {d.organization_id for d in rows} == {city.east.pk, city.other_branch.pk}


def test_a_districts_figures_added_up_organization_by_organization_equal_one_aggregate_of_its_rows(
    city: City,
) -> None:
    """Below a root, PostgreSQL adds each organization's figures up (ADR 15); every figure, with and
    without the narrowing filters, equals one aggregate over the same rows (collected + _aggregates)."""
    statuses = [S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.RESOLVED, S.CLOSED, S.UNRESOLVABLE, S.NOT_OURS]
    rows = [
        demand_row(org, status=status, responsible_unit=unit, deadline=IN_YEAR, rework_count=n % 3)
        for n, (org, status, unit) in enumerate(
            (org, status, unit)
            for org in (city.east, city.west, city.other_branch)
            for status in statuses
            for unit in (None, city.west)
            if unit is not None or status != S.ASSIGNED  # an assigned demand has its unit
        )
    ]
    bulk(rows, IN_YEAR)
    bulk([demand_row(city.east, status=S.SUBMITTED)], date(2024, 6, 1))  # before the period
    for organization in (city.root, city.district, city.east):
        for unit in (None, city.west):
            found = demand_stats(organization=organization, start=YEAR[0], end=YEAR[1], unit=unit, today=TODAY)
            qs = collected(organization=organization, start=YEAR[0], end=YEAR[1], unit=unit)
            row = qs.order_by().aggregate(**_aggregates(TODAY))
            assert found == DemandStats(**{name: int(row[name] or 0) for name in COUNTED})
            assert found.collected == qs.count() > 0

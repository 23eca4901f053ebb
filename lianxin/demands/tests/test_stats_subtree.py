"""A subtree's demand figures read its own demands: unchanged by demands collected elsewhere, and
an organization moved to another parent is counted, with its demands, in its new place."""

from datetime import date

from conftest import City
from lianxin.demands.models import Demand
from lianxin.demands.selectors.stats import DemandStats, collected_rows, demand_stats, demand_stats_by
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

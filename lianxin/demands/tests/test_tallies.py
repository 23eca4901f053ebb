"""The demand tallies equal counting the demands, after collection and every change of state."""

from datetime import date

import pytest
from django.db.models import Count
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.periods import Period
from lianxin.core.tallies import tallies_refresh
from lianxin.demands.models import Demand, DemandTally
from lianxin.demands.selectors.tallies import demand_states_tallied
from lianxin.demands.services.handling import demand_accept, demand_resolve
from lianxin.demands.tests.factories import make_demand
from lianxin.demands.tests.factories_stats import bulk, demand_row
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db
Status = Demand.Status


def counted(organization: Organization, months: Period) -> dict[str, int]:
    start, end = months.bounds
    rows = (
        Demand.objects.filter(
            organization__path__startswith=organization.path, created_at__gte=start, created_at__lt=end
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def this_month() -> Period:
    return Period.month_of(timezone.localdate())


def test_demand_states_are_summed_over_the_subtree_and_equal_counting(city: City, city_admin: User) -> None:
    make_demand(city.east, by=city_admin)
    make_demand(city.east, by=city_admin, until=Status.RESOLVED)
    make_demand(city.west, by=city_admin, until=Status.ACCEPTED)
    make_demand(city.other_branch, by=city_admin, until=Status.ASSIGNED)

    tallies_refresh()

    assert demand_states_tallied(city.district, this_month()) == {
        Status.SUBMITTED: 1,
        Status.RESOLVED: 1,
        Status.ACCEPTED: 1,
    }
    assert demand_states_tallied(city.root, this_month()) == counted(city.root, this_month())
    assert demand_states_tallied(city.root, Period.month(2020, 1)) == {}


def test_a_change_of_state_moves_the_count_at_the_next_refresh(city: City, city_admin: User) -> None:
    demand = make_demand(city.east, by=city_admin)
    tallies_refresh()
    demand_accept(demand=demand, actor=city_admin)
    assert demand_states_tallied(city.root, this_month()) == {Status.SUBMITTED: 1}  # as of the last refresh
    refreshed = tallies_refresh(names=["demands"])
    # one cell gone and one new for the branch, and moved the same way for its district and the root
    assert refreshed[0].full is False and refreshed[0].cells == 6
    assert demand_states_tallied(city.root, this_month()) == counted(city.root, this_month()) == {Status.ACCEPTED: 1}
    demand = make_demand(city.west, by=city_admin, until=Status.ASSIGNED)
    demand_resolve(demand=demand, actor=city_admin, resolution="已修好")
    tallies_refresh()
    assert demand_states_tallied(city.root, this_month()) == counted(city.root, this_month())
    assert demand_states_tallied(city.west, this_month()) == counted(city.west, this_month())
    # every cell, its organization's own count and its subtree's, is what a rebuild writes
    assert tallies_refresh(full=True, names=["demands"])[0].cells == 0


def test_demands_loaded_without_events_are_counted_by_a_rebuild(city: City) -> None:
    tallies_refresh()
    bulk([demand_row(city.east) for _ in range(3)], collected_on=date(2026, 2, 10))
    february = Period.month(2026, 2)
    tallies_refresh()  # incremental: rows without events are not seen
    assert demand_states_tallied(city.root, february) == {}
    tallies_refresh(full=True)
    assert demand_states_tallied(city.root, february) == counted(city.root, february) == {Status.SUBMITTED: 3}
    february_cells = DemandTally.objects.filter(month=date(2026, 2, 1))
    assert {(c.organization_id, c.demands, c.demands_subtree) for c in february_cells} == {
        (city.east.pk, 3, 3),
        (city.district.pk, 0, 3),
        (city.root.pk, 0, 3),
    }

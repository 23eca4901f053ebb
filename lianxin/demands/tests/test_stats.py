"""Demand figures on hand-made sets: every count, the three rates and their formulas."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import City
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.selectors.stats import DemandStats, Unit, demand_stats
from lianxin.demands.tests.factories_stats import at, bulk, demand_row
from lianxin.organizations.models import Area, Organization

S = Demand.Status
SAT = Demand.Satisfaction
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
IN_YEAR = date(2025, 6, 1)
TODAY = date(2025, 12, 31)


def stats_of(
    org: Organization,
    *,
    area: Area | None = None,
    category: DemandCategory | None = None,
    source: str | None = None,
    unit: Unit = None,
) -> DemandStats:
    return demand_stats(
        organization=org,
        start=YEAR[0],
        end=YEAR[1],
        today=TODAY,
        area=area,
        category=category,
        source=source,
        unit=unit,
    )


def test_entering_the_seed_001_figures_reproduces_96_52_percent(city: City) -> None:
    # Given 19153 demands collected in a year, 18487 of them resolved and the rest still open
    bulk([demand_row(city.east, status=S.RESOLVED, deadline=IN_YEAR) for _ in range(18487)], IN_YEAR)
    bulk(
        [demand_row(city.east, status=S.ASSIGNED, responsible_unit=city.east, deadline=TODAY) for _ in range(666)],
        IN_YEAR,
    )

    # When the district's figures for the year are computed
    stats = stats_of(city.district)

    # Then the resolution rate is the published one, with both parts
    assert stats.collected == 19153
    assert stats.resolved == 18487
    assert stats.open == 666
    assert stats.resolution_rate == Decimal("96.52")
    assert stats.resolution_formula == "18487 / 19153 = 96.52%"


def test_duplicates_and_not_ours_leave_the_denominator_but_stay_collected(city: City) -> None:
    original = bulk([demand_row(city.east, status=S.RESOLVED)], IN_YEAR)[0]
    bulk(
        [
            demand_row(city.east, status=S.RESOLVED),
            demand_row(city.east, status=S.SUBMITTED),
            demand_row(city.east, status=S.DUPLICATE, duplicate_of=original),
            demand_row(city.east, status=S.NOT_OURS, reason="属于供电公司"),
            demand_row(city.east, status=S.NOT_OURS, reason="属于供电公司"),
        ],
        IN_YEAR,
    )

    stats = stats_of(city.district)

    assert (stats.collected, stats.duplicates, stats.not_ours) == (6, 1, 2)
    assert stats.counted == 3
    assert stats.resolution_formula == "2 / 3 = 66.67%"


def test_a_demand_closed_as_unresolvable_is_not_resolved(city: City) -> None:
    bulk(
        [
            demand_row(city.east, status=S.UNRESOLVABLE, reason="历史遗留问题"),
            demand_row(city.east, status=S.CLOSED, satisfaction=SAT.SATISFIED),
        ],
        IN_YEAR,
    )

    stats = stats_of(city.district)

    assert stats.closed_unresolved == 1
    assert stats.resolved == 1  # the one resolved and followed up
    assert stats.resolution_formula == "1 / 2 = 50.00%"


def test_the_counts_partition_what_was_collected(city: City) -> None:
    original = bulk([demand_row(city.east, status=S.CLOSED)], IN_YEAR)[0]
    statuses = [S.SUBMITTED, S.ACCEPTED, S.RESOLVED, S.UNRESOLVABLE, S.NOT_OURS]
    rows = [demand_row(city.east, status=s) for s in statuses]
    rows.append(demand_row(city.east, status=S.ASSIGNED, responsible_unit=city.west, deadline=TODAY))
    rows.append(demand_row(city.east, status=S.DUPLICATE, duplicate_of=original))
    bulk(rows, IN_YEAR)

    s = stats_of(city.district)

    assert s.collected == 8
    assert s.collected == s.awaiting + s.accepted + s.not_ours + s.duplicates
    assert s.accepted == 5  # accepted, assigned, resolved, closed, unresolvable
    assert s.open == 3  # awaiting, accepted, being handled
    assert s.accepted == (s.open - s.awaiting) + s.resolved + s.closed_unresolved


def test_on_time_means_resolved_on_or_before_the_deadline_day(city: City) -> None:
    deadline = date(2025, 6, 10)
    bulk(
        [
            demand_row(city.east, status=S.RESOLVED, deadline=deadline, resolved_at=at(deadline, 23)),
            demand_row(city.east, status=S.CLOSED, deadline=deadline, resolved_at=at(date(2025, 6, 9))),
            demand_row(city.east, status=S.RESOLVED, deadline=deadline, resolved_at=at(date(2025, 6, 11), 0)),
            # Still open past its deadline: overdue, and not in the on-time rate at all.
            demand_row(city.east, status=S.ASSIGNED, responsible_unit=city.east, deadline=deadline),
        ],
        IN_YEAR,
    )

    s = stats_of(city.district)

    assert (s.on_time, s.resolved) == (2, 3)
    assert s.on_time_rate == Decimal("66.67")
    assert s.on_time_formula == "2 / 3 = 66.67%"
    assert s.overdue == 1


def test_overdue_counts_open_demands_past_their_deadline_only(city: City) -> None:
    bulk(
        [
            demand_row(city.east, status=S.ASSIGNED, responsible_unit=city.east, deadline=date(2025, 12, 30)),
            demand_row(city.east, status=S.ASSIGNED, responsible_unit=city.east, deadline=TODAY),
            demand_row(city.east, status=S.RESOLVED, deadline=date(2025, 1, 2), resolved_at=at(date(2025, 1, 5))),
        ],
        IN_YEAR,
    )

    assert stats_of(city.district).overdue == 1


def test_satisfaction_counts_basically_satisfied_and_the_latest_follow_up(city: City) -> None:
    bulk(
        [
            demand_row(city.east, status=S.CLOSED, satisfaction=SAT.SATISFIED),
            demand_row(city.east, status=S.CLOSED, satisfaction=SAT.BASIC, rework_count=1),
            demand_row(
                city.east,
                status=S.ASSIGNED,
                responsible_unit=city.east,
                deadline=TODAY,
                satisfaction=SAT.UNSATISFIED,
                rework_count=2,
            ),
            demand_row(city.east, status=S.RESOLVED),  # not followed up yet
        ],
        IN_YEAR,
    )

    s = stats_of(city.district)

    assert (s.followed_up, s.satisfied, s.unsatisfied) == (3, 2, 1)
    assert s.satisfaction_rate == Decimal("66.67")
    assert s.rework == 3  # times sent back, summed


def test_every_rate_is_none_when_its_denominator_is_zero(city: City) -> None:
    original = bulk([demand_row(city.east, status=S.NOT_OURS)], IN_YEAR)[0]
    assert original.pk

    s = stats_of(city.district)

    assert s.collected == 1
    assert s.resolution_rate is None and s.on_time_rate is None and s.satisfaction_rate is None
    assert s.resolution_formula == "0 / 0"
    assert stats_of(city.other_district) == DemandStats()


def test_the_subtree_counts_what_its_organizations_collected_wherever_it_was_handled(city: City) -> None:
    bulk([demand_row(city.east, status=S.RESOLVED, responsible_unit=city.other_branch)], IN_YEAR)
    bulk([demand_row(city.other_branch, status=S.RESOLVED, responsible_unit=city.east)], IN_YEAR)

    assert stats_of(city.east).collected == 1
    assert stats_of(city.west).collected == 0
    assert stats_of(city.district).collected == 1
    assert stats_of(city.other_district).collected == 1
    assert stats_of(city.root).collected == 2


def test_the_period_includes_both_days_in_the_site_time_zone(city: City) -> None:
    bulk([demand_row(city.east)], date(2024, 12, 31))
    bulk([demand_row(city.east)], date(2025, 1, 1))
    bulk([demand_row(city.east)], date(2025, 12, 31))
    bulk([demand_row(city.east)], date(2026, 1, 1))

    assert stats_of(city.district).collected == 2


def test_the_figures_narrow_by_area_category_source_and_unit(city: City) -> None:
    from lianxin.demands.tests.factories_stats import category

    noise = category("noise")
    bulk(
        [
            demand_row(city.east, category=noise, source=Demand.Source.HOTLINE, hotline_number="2025-1"),
            demand_row(city.east, source=Demand.Source.PUBLIC, status=S.RESOLVED, responsible_unit=city.west),
            demand_row(city.other_branch, source=Demand.Source.PUBLIC),
        ],
        IN_YEAR,
    )

    assert stats_of(city.root, category=noise).collected == 1
    assert stats_of(city.root, source=Demand.Source.PUBLIC).collected == 2
    assert stats_of(city.root, area=city.other_district.area).collected == 1
    assert stats_of(city.root, unit=city.west).resolved == 1
    assert stats_of(city.root, unit="unassigned").collected == 2


def test_all_the_figures_take_one_query(city: City) -> None:
    bulk([demand_row(city.east, status=s) for s in (S.SUBMITTED, S.RESOLVED)], IN_YEAR)

    with CaptureQueriesContext(connection) as queries:
        stats_of(city.district)

    assert len(queries) == 1

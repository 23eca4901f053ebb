"""Demand figures broken down by unit, area, category and source, and the rows behind a figure."""

from datetime import date
from typing import TypedDict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import City
from lianxin.demands.models import Demand
from lianxin.demands.selectors import stats as st
from lianxin.demands.tests.factories_stats import bulk, category, demand_row
from lianxin.organizations.models import Organization
from lianxin.organizations.tests.factories import make_area, make_organization

pytestmark = pytest.mark.django_db

S = Demand.Status
START, END = date(2025, 1, 1), date(2025, 12, 31)
IN_YEAR = date(2025, 6, 1)


class Window(TypedDict):
    organization: Organization
    start: date
    end: date


def by(city: City, what: st.Breakdown) -> dict[str, st.DemandStats]:
    rows = st.demand_stats_by(organization=city.root, start=START, end=END, by=what, today=END)
    return {row.key: row.stats for row in rows}


def test_by_unit_groups_by_responsible_unit_with_a_line_for_the_unassigned(city: City) -> None:
    bulk(
        [
            demand_row(city.east, status=S.RESOLVED, responsible_unit=city.west, deadline=IN_YEAR),
            demand_row(city.east, status=S.ASSIGNED, responsible_unit=city.west, deadline=IN_YEAR),
            demand_row(city.other_branch, status=S.RESOLVED, responsible_unit=city.other_branch),
            demand_row(city.east, status=S.SUBMITTED),
        ],
        IN_YEAR,
    )

    lines = by(city, "unit")

    assert set(lines) == {"D1W", "D2V", "unassigned"}
    assert (lines["D1W"].collected, lines["D1W"].resolved, lines["D1W"].overdue) == (2, 1, 1)
    assert lines["D1W"].resolution_formula == "1 / 2 = 50.00%"
    assert lines["unassigned"].collected == 1


def test_by_area_groups_one_level_below_the_organizations_own_area(city: City) -> None:
    town = make_area(name="东街道", parent=city.district.area)
    village = make_area(name="东村", parent=town)
    bulk(
        [
            demand_row(city.east, area=village),
            demand_row(city.east, area=town, status=S.RESOLVED),
            demand_row(city.west),  # in the district's own area
            demand_row(city.other_branch),
        ],
        IN_YEAR,
    )

    rows = st.demand_stats_by(organization=city.district, start=START, end=END, by="area", today=END)

    assert {row.label: row.stats.collected for row in rows} == {"东街道": 2, "城区": 1}
    assert next(r for r in rows if r.label == "东街道").key == town.code
    assert {row.label for row in st.demand_stats_by(organization=city.root, start=START, end=END, by="area")} == {
        "城区",
        "岛县",
    }


def test_by_category_and_by_source_label_each_line(city: City) -> None:
    bulk(
        [
            demand_row(city.east, category=category("noise"), source=Demand.Source.HOTLINE),
            demand_row(city.east, category=category("noise"), source=Demand.Source.PUBLIC),
            demand_row(city.east, source=Demand.Source.PUBLIC),
        ],
        IN_YEAR,
    )

    categories = st.demand_stats_by(organization=city.root, start=START, end=END, by="category")
    sources = st.demand_stats_by(organization=city.root, start=START, end=END, by="source")

    assert [(r.key, r.label, r.stats.collected) for r in categories] == [
        ("noise", "噪音扰民", 2),
        ("environment", "环境卫生", 1),
    ]
    assert [(r.key, str(r.label), r.stats.collected) for r in sources] == [
        ("public", "submitted by a resident", 2),
        ("hotline", "12345 hotline", 1),
    ]


def test_every_breakdown_adds_up_to_the_whole_in_one_query_each(city: City) -> None:
    other_unit = make_organization(parent=city.district)
    bulk(
        [demand_row(city.east, status=S.RESOLVED, responsible_unit=u) for u in (city.east, city.west, other_unit)]
        + [demand_row(city.west, status=S.NOT_OURS), demand_row(city.other_branch, source=Demand.Source.VISIT)],
        IN_YEAR,
    )
    whole = st.demand_stats(organization=city.root, start=START, end=END)

    for what in st.BREAKDOWNS:
        with CaptureQueriesContext(connection) as queries:
            rows = st.demand_stats_by(organization=city.root, start=START, end=END, by=what)
        assert sum(r.stats.collected for r in rows) == whole.collected, what
        assert sum(r.stats.resolved for r in rows) == whole.resolved, what
        assert len(queries) <= 2, what  # the grouped figures, then the labels


def test_an_unknown_breakdown_is_refused(city: City) -> None:
    with pytest.raises(ValueError, match="unknown breakdown"):
        st.demand_stats_by(organization=city.root, start=START, end=END, by="colour")  # type: ignore[arg-type]  # not a Breakdown, on purpose


def test_the_rows_of_a_figure_are_the_demands_it_counts(city: City) -> None:
    made = bulk(
        [
            demand_row(city.east, status=S.UNRESOLVABLE),
            demand_row(city.east, status=S.RESOLVED),
            demand_row(city.east, status=S.CLOSED, rework_count=2),
        ],
        IN_YEAR,
    )
    window: Window = {"organization": city.district, "start": START, "end": END}

    assert [d.pk for d in st.resolved_rows(**window)] == [made[1].pk, made[2].pk]
    assert [d.pk for d in st.closed_unresolved_rows(**window)] == [made[0].pk]
    assert [d.pk for d in st.rework_rows(**window)] == [made[2].pk]
    assert st.demand_stats(**window).rework == 2
    with pytest.raises(KeyError):
        st.figure_rows("everything", **window)

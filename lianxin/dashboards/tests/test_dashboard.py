"""The dashboard (驾驶舱): every registered figure of a subtree and period opening its rows, the
headline figures with 同比 and 环比, their trends by month, the compositions and the children side by
side, scoped like every figures page."""

import json
import re
from datetime import date

import pytest
from django.test import Client
from django.utils.html import escape

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.figures import measure_named
from lianxin.core.periods import Period
from lianxin.dashboards.tests.factories import YEAR_QUERY, logged_in_english, make_service_record

pytestmark = pytest.mark.django_db

YEAR = YEAR_QUERY
_as = logged_in_english


def _rows_count(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["page"].paginator.count)


def test_every_group_and_figure_is_shown_each_opening_its_rows(
    client: Client, city: City, district_admin: User
) -> None:
    make_service_record(city)
    page = _as(client, district_admin).get(f"/figures/dashboard/?org=D1&{YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    board = page.context["board"]
    for found in board.groups:
        assert escape(str(found.group.label)) in html
        for measure, _number in found.items():
            assert f"/figures/dashboard/{measure.name}/?org=D1&amp;from=2025-01-01&amp;to=2025-12-31" in html
    tiles = {t.measure.name: t for t in board.tiles}
    assert tiles["volunteer-participations"].number == 4
    # a briefing of the same subtree and period is one click away
    assert "/briefings/new/?org=D1&amp;from=2025-01-01&amp;to=2025-12-31" in html
    rows = client.get(f"/figures/dashboard/volunteer-participations/?org=D1&{YEAR}")
    assert rows.status_code == 200 and rows.context["page"].paginator.count == 4


def test_year_on_year_for_what_happened_in_the_period_and_nothing_for_what_stands_now(
    client: Client, city: City, district_admin: User
) -> None:
    make_service_record(city)
    board = _as(client, district_admin).get(f"/figures/dashboard/?org=D1&{YEAR}").context["board"]
    tiles = {t.measure.name: t for t in board.tiles}
    change = tiles["volunteer-participations"].year_on_year
    assert change is not None and change.period == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert (change.previous, change.difference, change.percent) == (0, 4, None)
    assert tiles["party-members"].year_on_year is None and tiles["party-members"].sequential is None
    # a whole year has no "period before" besides the year before
    assert all(t.sequential is None for t in board.tiles)
    quarter = client.get("/figures/dashboard/?org=D1&from=2025-04-01&to=2025-06-30").context["board"]
    sequential = {t.measure.name: t for t in quarter.tiles}["volunteer-participations"].sequential
    assert sequential is not None and sequential.period == Period(date(2025, 1, 1), date(2025, 3, 31))


def test_each_bar_of_every_chart_opens_as_many_rows_as_it_shows(
    client: Client, city: City, district_admin: User
) -> None:
    make_service_record(city)
    page = _as(client, district_admin).get(f"/figures/dashboard/?org=D1&{YEAR}")
    data = re.search(r'id="dashboard-charts"[^>]*>(.*?)</script>', page.content.decode(), re.S)
    assert data is not None, "the page carries its charts' data"
    charts = json.loads(data[1])
    kinds = {chart["id"].split("-")[0] for chart in charts}
    assert kinds == {"trend", "part", "child"}
    trend = next(c for c in charts if c["label"] == "Volunteer participations" and c["id"].startswith("trend"))
    assert len(trend["values"]) == 12 and sum(trend["values"]) == 4
    for chart in charts:
        for value, url in zip(chart["values"], chart["urls"], strict=True):
            found = measure_named(url.split("/")[3])
            assert found is not None
            if found[1].counts_rows:
                assert _rows_count(client, url) == value, (chart["id"], url)


def test_the_children_are_compared_and_nothing_outside_the_scope_is_shown(
    client: Client, city: City, branch_secretary: User, district_admin: User
) -> None:
    make_service_record(city)
    board = _as(client, district_admin).get(f"/figures/dashboard/?org=D1&{YEAR}").context["board"]
    assert [child.code for child, _numbers in board.comparison] == ["D1E", "D1W"]
    client.logout()
    _as(client, branch_secretary)
    assert client.get(f"/figures/dashboard/?org=D1E&{YEAR}").status_code == 200
    for code in ("D1", "D2", "ROOT"):
        assert client.get(f"/figures/dashboard/?org={code}&{YEAR}").status_code == 404
        assert client.get(f"/figures/dashboard/volunteers/?org={code}&{YEAR}").status_code == 404
    assert client.get(f"/figures/dashboard/popularity/?org=D1E&{YEAR}").status_code == 404


def test_a_bad_period_is_explained_and_shows_no_figures(client: Client, city: City, district_admin: User) -> None:
    bad = _as(client, district_admin).get("/figures/dashboard/?org=D1&from=2025-02-30&to=2025-12-31")
    assert bad.status_code == 400 and "board" not in bad.context
    assert "First day: “2025-02-30” is not a date; write it as YYYY-MM-DD." in bad.content.decode()
    rows = client.get("/figures/dashboard/volunteers/?org=D1&from=2025-06-01&to=2025-01-01")
    assert rows.status_code == 400 and "page" not in rows.context

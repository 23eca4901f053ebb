"""The demand figures page and its drill-downs: the same numbers as demand_stats, every number
opening exactly the demands it counts, breakdowns, scope and bad input."""

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.models import Demand
from lianxin.demands.selectors import stats as st
from lianxin.demands.selectors.stats import DemandStats, demand_stats
from lianxin.demands.tests.factories_stats import bulk, category, demand_row
from lianxin.demands.views.stats import FIGURE_PAGES

pytestmark = pytest.mark.django_db

S = Demand.Status
YEAR = "from=2025-01-01&to=2025-12-31"
IN_YEAR = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _figures_url(code: str = "D1", period: str = YEAR) -> str:
    return f"{reverse('demands:figures')}?org={code}&{period}"


def _rows_url(slug: str, code: str = "D1", extra: str = "") -> str:
    return f"{reverse('demands:figure_rows', args=[slug])}?org={code}&{YEAR}{extra}"


def _a_mixed_year(city: City) -> None:
    original = bulk([demand_row(city.east, status=S.CLOSED, satisfaction="satisfied", deadline=IN_YEAR)], IN_YEAR)[0]
    bulk(
        [
            demand_row(city.east, status=S.RESOLVED, responsible_unit=city.west, deadline=IN_YEAR),
            demand_row(city.east, status=S.ASSIGNED, responsible_unit=city.west, deadline=date(2025, 6, 5)),
            demand_row(city.west, status=S.SUBMITTED, category=category("noise"), source=Demand.Source.HOTLINE),
            demand_row(city.west, status=S.UNRESOLVABLE, reason="历史遗留"),
            demand_row(city.west, status=S.DUPLICATE, duplicate_of=original),
            demand_row(city.west, status=S.NOT_OURS, reason="属于供电公司"),
            demand_row(
                city.east,
                status=S.ASSIGNED,
                responsible_unit=city.east,
                deadline=date(2099, 1, 1),
                satisfaction="unsatisfied",
                rework_count=1,
            ),
        ],
        IN_YEAR,
    )
    bulk([demand_row(city.other_branch, status=S.RESOLVED)], IN_YEAR)


def test_a_district_admin_sees_the_rates_with_their_formulas_and_every_count_links_to_its_rows(
    client: Client, city: City, district_admin: User
) -> None:
    _a_mixed_year(city)

    response = _as(client, district_admin).get(_figures_url())

    assert response.status_code == 200
    s = response.context["s"]
    assert (s.collected, s.resolved, s.duplicates, s.not_ours) == (8, 2, 1, 1)
    page = response.content.decode()
    assert "2 / 6 = 33.33%" in page
    for slug in FIGURE_PAGES:
        assert reverse("demands:figure_rows", args=[slug]) in page, slug


def test_every_drilldown_lists_exactly_the_demands_its_figure_counts(
    client: Client, city: City, district_admin: User
) -> None:
    _a_mixed_year(city)
    stats = demand_stats(organization=city.district, start=date(2025, 1, 1), end=date(2025, 12, 31))
    _as(client, district_admin)

    for slug, page_def in FIGURE_PAGES.items():
        response = client.get(_rows_url(slug))
        assert response.status_code == 200, slug
        listed = response.context["page"].paginator.count
        expected = getattr(stats, page_def.figure)
        if slug == "rework":
            # The figure counts times sent back; the rows are the demands sent back.
            assert listed == 1 and expected == 1
        else:
            assert listed == expected, slug


def test_the_breakdowns_split_the_figures_by_unit_area_category_and_source(
    client: Client, city: City, district_admin: User
) -> None:
    _a_mixed_year(city)

    response = _as(client, district_admin).get(_figures_url())

    tables = {t["by"]: t["rows"] for t in response.context["breakdowns"]}
    assert set(tables) == {"unit", "area", "category", "source"}
    by_unit = {line["row"].key: line["s"] for line in tables["unit"]}
    assert by_unit["D1W"].collected == 2 and by_unit["D1W"].resolved == 1
    assert by_unit["D1W"].overdue == 1
    assert by_unit["unassigned"].collected == 5
    by_source = {line["row"].key: line["s"].collected for line in tables["source"]}
    assert by_source == {"staff": 7, "hotline": 1}
    by_category = {line["row"].key: line["s"].collected for line in tables["category"]}
    assert by_category == {"environment": 7, "noise": 1}
    assert sum(line["s"].collected for line in tables["area"]) == 8


def test_a_breakdown_number_opens_the_rows_of_its_line(client: Client, city: City, district_admin: User) -> None:
    _a_mixed_year(city)
    _as(client, district_admin)
    page = client.get(_figures_url()).content.decode()

    link = re.search(r'href="([^"]*/figures/rows/resolved/\?[^"]*unit=D1W[^"]*)"', page)
    assert link is not None
    rows = client.get(link.group(1).replace("&amp;", "&"))

    assert rows.status_code == 200
    assert [d.responsible_unit_id for d in rows.context["page"]] == [city.west.pk]
    assert "西社区党支部" in rows.content.decode()


def test_the_rows_can_be_narrowed_by_category_source_and_area(client: Client, city: City, district_admin: User) -> None:
    _a_mixed_year(city)
    _as(client, district_admin)

    assert client.get(_rows_url("collected", extra="&category=noise")).context["page"].paginator.count == 1
    assert client.get(_rows_url("collected", extra="&source=hotline")).context["page"].paginator.count == 1
    area = city.district.area.code
    assert client.get(_rows_url("collected", extra=f"&area={area}")).context["page"].paginator.count == 8


def test_an_unknown_narrowing_code_is_refused_clearly(client: Client, city: City, district_admin: User) -> None:
    _as(client, district_admin)

    for extra, message in (
        ("&unit=NOPE", "There is no unit with the code “NOPE”."),
        ("&area=NOPE", "There is no area with the code “NOPE”."),
        ("&category=nope", "There is no demand category “nope”."),
        ("&source=nope", "There is no demand source “nope”."),
    ):
        response = client.get(_rows_url("collected", extra=extra))
        assert response.status_code == 400, extra
        assert message in response.content.decode()
        assert "page" not in response.context


def test_a_bad_or_reversed_period_says_what_is_wrong_and_shows_no_figures(
    client: Client, city: City, district_admin: User
) -> None:
    _as(client, district_admin)

    bad = client.get(_figures_url(period="from=2025-02-30&to=2025-12-31"))
    assert bad.status_code == 400
    assert "is not a date" in bad.content.decode()
    assert "s" not in bad.context

    reversed_ = client.get(_figures_url(period="from=2025-06-01&to=2025-01-01"))
    assert reversed_.status_code == 400
    assert "The period ends before it starts." in reversed_.content.decode()


def test_a_branch_secretary_cannot_open_the_district_above_nor_a_sibling(
    client: Client, city: City, branch_secretary: User
) -> None:
    _as(client, branch_secretary)

    assert client.get(_figures_url("D1E")).status_code == 200
    for code in ("D1", "D1W", "D2", "NOPE"):
        assert client.get(_figures_url(code)).status_code == 404, code
        assert client.get(_rows_url("collected", code)).status_code == 404, code


def test_handlers_and_residents_find_no_figures_and_visitors_are_sent_to_log_in(
    client: Client, city: City, handler: User, resident: User
) -> None:
    for user in (handler, resident):
        _as(client, user)
        assert client.get(_figures_url("D1")).status_code == 404
        client.logout()

    response = client.get(_figures_url("D1"))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_an_unknown_figure_is_not_found(client: Client, city: City, district_admin: User) -> None:
    _as(client, district_admin)

    assert client.get(_rows_url("everything")).status_code == 404


def test_the_rows_show_no_resident_name_or_phone(client: Client, city: City, district_admin: User) -> None:
    bulk([demand_row(city.east, submitter_name="张三丰", submitter_phone="13912345678")], IN_YEAR)

    page = _as(client, district_admin).get(_rows_url("collected")).content.decode()

    assert "张三丰" not in page and "13912345678" not in page
    assert "楼道堆放杂物" in page


def test_the_rows_are_paginated(client: Client, city: City, district_admin: User) -> None:
    bulk([demand_row(city.east) for _ in range(55)], IN_YEAR)
    _as(client, district_admin)

    first = client.get(_rows_url("collected"))
    second = client.get(_rows_url("collected", extra="&page=2"))

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


def _back_link(html: str) -> str:
    """The address of the crumb that leads back from a drill-down page."""
    match = re.search(r'<div class="crumbs"><a href="([^"]+)"', html)
    assert match is not None, "no back link"
    return match.group(1).replace("&amp;", "&")


def test_every_drilldown_links_back_to_the_figures_of_the_same_subtree_and_period(
    client: Client, city: City, district_admin: User
) -> None:
    _a_mixed_year(city)
    _as(client, district_admin)
    for slug in FIGURE_PAGES:
        back = _back_link(client.get(_rows_url(slug, extra="&category=noise")).content.decode())
        assert back == _figures_url(), slug
        figures = client.get(back)
        assert figures.status_code == 200, slug
        assert figures.context["org"] == city.district and figures.context["query"] == f"org=D1&{YEAR}"


def test_a_drilldown_with_a_bad_period_links_back_to_the_subtrees_figures_without_it(
    client: Client, city: City, district_admin: User
) -> None:
    rows = _as(client, district_admin).get(f"{reverse('demands:figure_rows', args=['resolved'])}?org=D1&to=2025-13-01")
    assert rows.status_code == 400
    back = _back_link(rows.content.decode())
    assert back == f"{reverse('demands:figures')}?org=D1"
    assert client.get(back).status_code == 200


def test_the_rates_formulas_and_counts_are_written_one_way_in_chinese(
    client: Client, city: City, district_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The seed's year (DESIGN §6): 18487 resolved of 19153 counted.
    def the_seeds_year(**kwargs: Any) -> DemandStats:
        return DemandStats(collected=23597, resolved=18487, duplicates=3444, not_ours=1000, on_time=18000)

    monkeypatch.setattr(st, "demand_stats", the_seeds_year)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    main = _as(client, district_admin).get(_figures_url()).content.decode().split("<main", 1)[1]
    assert "18,487 / 19,153 = 96.52%" in main
    assert ">23,597<" in main and ">3,444<" in main and ">1,000<" in main
    assert "23597" not in main and "18487" not in main

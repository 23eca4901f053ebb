"""A district admin opens the demand figures of the district for a year and clicks a number
through to the demands behind it, on a desktop and a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.models import Demand
from lianxin.demands.tests.factories import make_demand
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)

S = Demand.Status


def test_open_a_districts_demand_figures_for_a_year_and_click_through_to_the_rows(
    page: Page, live_server: object, district_admin: User, city: City
) -> None:
    # Given a year of demands in the district, walked through the handling services
    for _ in range(3):
        make_demand(city.east, by=district_admin, until=S.CLOSED, unit=city.west)
    make_demand(city.east, by=district_admin, until=S.RESOLVED, unit=city.east, title="小区垃圾清运不及时")
    make_demand(city.west, by=district_admin, until=S.UNRESOLVABLE, unit=city.west, title="要求增设公交站点")
    make_demand(city.west, by=district_admin, until=S.NOT_OURS, title="燃气费用争议")
    make_demand(
        city.east, by=district_admin, until=S.ASSIGNED, unit=city.west, title="广场舞噪音扰民", category="noise"
    )
    year = timezone.localdate().year
    base = live_server.url  # type: ignore[attr-defined]

    # When the district admin opens the figures for the district and the year
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/figures/")
    page.fill("#org", "D1")
    page.fill("#from", f"{year}-01-01")
    page.fill("#to", f"{year}-12-31")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")

    # Then the resolution rate shows its formula: 4 resolved of 7 collected less 1 not ours
    expect(page.locator("h1")).to_contain_text("中共城区委员会")
    expect(page.locator("#resolution-rate")).to_contain_text("4 / 6 = 66.67%")
    expect(page.locator("#satisfaction-rate")).to_contain_text("3 / 3 = 100.00%")
    expect(page.locator("#counts a[href*='/figures/rows/collected/']")).to_have_text("7")
    expect(page.locator("#counts a[href*='/figures/rows/closed-unresolved/']")).to_have_text("1")
    expect(page.locator("#by-unit")).to_contain_text("西社区党支部")
    shot(page, "demand-figures-district")
    phone_shot(page, "demand-figures-district-phone")

    # And the resolved count opens the four resolved demands, not the unresolvable one
    with page.expect_navigation():
        page.locator("#counts a[href*='/figures/rows/resolved/']").click()
    expect(page.locator("table.table tbody tr")).to_have_count(4)
    expect(page.locator("table.table")).to_contain_text("小区垃圾清运不及时")
    expect(page.locator("table.table")).not_to_contain_text("要求增设公交站点")
    expect(page.locator("table.table")).not_to_contain_text("张桂兰")
    shot(page, "demand-figures-resolved-rows")
    phone_shot(page, "demand-figures-resolved-rows-phone")

    # And a line of the unit breakdown opens that unit's demands only
    page.go_back()
    with page.expect_navigation():
        page.locator("#by-unit a[href*='/figures/rows/collected/'][href*='unit=D1W']").click()
    expect(page.locator("table.table tbody tr")).to_have_count(5)
    expect(page.locator("main")).to_contain_text("西社区党支部")
    shot(page, "demand-figures-unit-rows")

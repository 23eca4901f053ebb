"""A city admin opens the service figures of a district for a year and follows a figure to its rows."""

import json

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from config.settings.content_security import STRICT_POLICY
from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.dashboards.tests.factories import make_service_record
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_a_districts_figures_for_a_year_and_click_through_to_the_rows(
    page: Page, live_server: object, city_admin: User, city: City
) -> None:
    make_service_record(city)
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/figures/")
    expect(page.locator("h1")).to_contain_text(city.root.name)
    # choose the district and the year
    page.fill("#org", "D1")
    page.fill("#from", "2025-01-01")
    page.fill("#to", "2025-12-31")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    expect(page.locator("h1")).to_contain_text("中共城区委员会")
    sessions = page.locator("a[href*='/figures/rows/sessions/']")
    expect(sessions).to_have_text("3")
    expect(page.locator("a[href*='/figures/rows/participations/']").first).to_have_text("4")
    expect(page.locator("a[href*='/figures/rows/rated-orders/']")).to_contain_text("3.50")
    shot(page, "figures-district")
    phone_shot(page, "figures-district-phone")
    # follow the sessions figure to the sessions behind it
    with page.expect_navigation():
        sessions.click()
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table.table")).to_contain_text("义诊")
    expect(page.locator("table.table")).not_to_contain_text("渔村活动")
    shot(page, "figures-sessions-rows")
    # and the people behind the participations, with their phone numbers masked
    page.go_back()
    with page.expect_navigation():
        page.locator("a[href*='/figures/rows/participations/']").first.click()
    expect(page.locator("table.table tbody tr")).to_have_count(4)
    expect(page.locator("table.table")).to_contain_text("139****5678")
    expect(page.locator("table.table")).not_to_contain_text("13912345678")
    shot(page, "figures-participations-rows")
    phone_shot(page, "figures-participations-phone")


@override_settings(CONTENT_SECURITY_POLICY=STRICT_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY=None)
def test_the_dashboard_draws_its_charts_and_a_bar_opens_the_rows_it_counts(
    page: Page, live_server: object, city_admin: User, city: City
) -> None:
    make_service_record(city)
    base = live_server.url  # type: ignore[attr-defined]
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/figures/dashboard/?org=D1&from=2025-01-01&to=2025-12-31")
    expect(page.locator(".tile").first).to_be_visible()
    # every chart is drawn (ECharts' SVG inside each chart box)
    boxes = page.locator("[data-chart]")
    assert boxes.count() >= 10
    expect(page.locator("[data-chart] svg")).to_have_count(boxes.count())
    shot(page, "dashboard-district")
    # on a phone nothing is wider than the screen
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_shot(page, "dashboard-district-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    # the volunteer participations' trend: a month's bar opens that month's participations
    charts = json.loads(page.locator("#dashboard-charts").text_content() or "[]")
    trend = next(c for c in charts if c["id"].startswith("trend-") and "volunteer-participations" in c["urls"][0])
    month = next(i for i, n in enumerate(trend["values"]) if n)
    bars = page.locator(f"[data-chart='{trend['id']}'] svg path[fill='#b81c22']")
    assert bars.count() == len(trend["values"]) == 12  # a bar a month, of no height for a month with none
    with page.expect_navigation():
        bars.nth(month).click(force=True)
    assert page.url.endswith(trend["urls"][month])
    expect(page.locator("table.table tbody tr")).to_have_count(int(trend["values"][month]))
    assert not violations, violations

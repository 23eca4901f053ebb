"""A branch secretary sees last quarter's branch congress missing on the compliance board, the
congress is recorded as held, and the board turns green."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.rules.frequency import QUARTERLY, window_containing
from lianxin.activities.tests.factories import make_activity
from lianxin.members.tests.factories import make_member
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_missing_congress_turns_green_once_held(
    page: Page, live_server: object, branch_secretary: User, city: City
) -> None:
    make_member(city.east, name="王党员")
    this_quarter = window_containing(QUARTERLY, timezone.localdate())
    last_quarter = window_containing(QUARTERLY, this_quarter.start - timedelta(days=1))
    period = f"from={last_quarter.start.isoformat()}&to={last_quarter.end.isoformat()}"
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "branch_secretary", PASSWORD)

    page.goto(f"{base}/activities/compliance/?org=D1E&{period}")
    congress = page.locator("tr[data-org='D1E'] [data-kind='branch_congress']")
    expect(congress).to_have_attribute("data-state", "missed")
    expect(congress).to_have_class("badge badge-red")
    shot(page, "compliance-missed")
    phone_shot(page, "compliance-missed-phone")

    held_on = datetime.combine(last_quarter.start + timedelta(days=20), time(9), tzinfo=timezone.get_default_timezone())
    make_activity(city.east, planner=branch_secretary, starts_at=held_on, held=True)

    page.reload()
    expect(congress).to_have_attribute("data-state", "held")
    expect(congress).to_have_class("badge badge-ok")
    shot(page, "compliance-held")

    with page.expect_navigation():
        page.click("a[href*='/activities/coverage/']")
    expect(page.locator("#coverage-by-kind")).to_contain_text("1")
    shot(page, "coverage-branch")
    phone_shot(page, "coverage-branch-phone")


def test_a_district_admin_exempts_a_branch_on_the_rules_page(
    page: Page, live_server: object, district_admin: User, city: City
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/activities/compliance/rules/?org=D1E")
    page.select_option("#id_kind", "branch_congress")
    page.check("#id_exempt")
    page.fill("#id_valid_from", "2026-04-01")
    page.fill("#id_valid_until", "2026-06-30")
    page.fill("#id_source", "街道党工委批复〔2026〕3号")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    expect(page.locator("#local-rules")).to_contain_text("街道党工委批复〔2026〕3号")
    shot(page, "compliance-rules")
    phone_shot(page, "compliance-rules-phone")

    page.goto(f"{base}/activities/compliance/?org=D1E&from=2026-04-01&to=2026-06-30")
    expect(page.locator("tr[data-org='D1E'] [data-kind='branch_congress']")).to_have_attribute("data-state", "exempt")

"""The yearly Party statistics of the demo city: this year's tables, for the whole city and for one
district, pass their own checks (every breakdown sums to its total, the year opens where the last one
closed, the changes balance, every history is dated); the city admin's page shows them passed."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lianxin.demo.builder import DEMO_PASSWORD
from lianxin.members.selectors.statistics import party_statistics
from lianxin.organizations.models import Organization
from tests.e2e.conftest import login, phone_shot, shot


def _subtrees() -> list[Organization]:
    top = Organization.objects.get(depth=1)
    district = Organization.objects.filter(depth=2).order_by("path").first()
    assert district is not None
    return [top, district]


@pytest.mark.parametrize("which", [0, 1], ids=["city", "district"])
def test_this_years_statistics_pass_their_own_checks(which: int) -> None:
    org = _subtrees()[which]
    today = timezone.localdate()

    stats = party_statistics(organization=org, year=today.year, today=today)

    assert stats.members.total > 0 and stats.developed.total > 0
    assert [c.key for c in stats.checks if not c.passed] == []
    assert stats.changes.reached == stats.changes.end == stats.members.total
    assert stats.changes.died > 0, "the demo city's roster records members who died this year"


def test_the_city_admin_reads_them_on_the_page(page: Page, demo_site: str) -> None:
    login(page, demo_site, "admin", DEMO_PASSWORD)
    page.goto(f"{demo_site}/members/")
    with page.expect_navigation():
        page.click("#statistics-link")
    expect(page.locator("#statistics-members")).to_be_visible()
    expect(page.locator("#statistics-checks li[data-passed=false]")).to_have_count(0)
    shot(page, "democity-statistics")
    phone_shot(page, "democity-statistics-phone")

"""The workbench as a secretary, a handler and a member see it, on a desktop and on a phone: each count
is a tile that leads to the list it counts, and a member finds their branch from the navigation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.tests.factories import make_activity
from lianxin.demands.models import Demand
from lianxin.demands.tests.factories import make_demand
from lianxin.wishes.tests.factories import make_wish
from tests.e2e.conftest import login, phone_shot, shot, switch_user

pytestmark = pytest.mark.django_db(transaction=True)

S = Demand.Status


def _tile(page: Page, key: str) -> str:
    return page.locator(f"[data-waiting='{key}'] .tile-n").inner_text()


def test_secretary_handler_and_member_each_find_what_waits_for_them(
    page: Page,
    live_server: object,
    city: City,
    city_admin: User,
    branch_secretary: User,
    handler: User,
    member_user: User,
    resident: User,
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    make_demand(city.east, by=branch_secretary)
    late = make_demand(city.east, by=branch_secretary, until=S.ASSIGNED, unit=city.district, days=5)
    Demand.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    make_demand(city.east, by=branch_secretary, until=S.ASSIGNED, unit=city.district, days=5)
    make_demand(city.other_branch, by=city_admin)  # another district: nobody here counts it
    make_wish(city.east, posted_by=resident, title="给独居老人修门锁")
    make_activity(
        city.east, planner=branch_secretary, title="十一月支委会", starts_at=timezone.now() - timedelta(hours=2)
    )
    make_activity(
        city.east, planner=branch_secretary, title="十二月主题党日", starts_at=timezone.now() + timedelta(days=3)
    )

    _the_secretary_taps_what_waits(page, base)
    _the_handler_sees_the_units_demands(page, base)
    _the_member_finds_their_branch(page, base)
    _a_visitor_gets_the_public_entry_points(page, base)


def _the_secretary_taps_what_waits(page: Page, base: str) -> None:
    # The secretary: one demand to accept, one wish to review, one activity to record.
    login(page, base, "branch_secretary", PASSWORD)
    expect(page.locator("#wb-demands")).to_be_visible()
    assert _tile(page, "demands-to-accept") == "1"
    assert _tile(page, "wishes-to-review") == "1"
    assert _tile(page, "activities-to-record") == "1"
    shot(page, "workbench-secretary")
    phone_shot(page, "workbench-secretary-phone")
    page.click("[data-waiting='activities-to-record']")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table")).to_contain_text("十一月支委会")
    shot(page, "workbench-activities-to-record")
    phone_shot(page, "workbench-activities-to-record-phone")
    page.goto(base + "/")
    page.click("[data-waiting='wishes-to-review']")
    expect(page.locator("main table.bulk-table")).to_contain_text("给独居老人修门锁")


def _the_handler_sees_the_units_demands(page: Page, base: str) -> None:
    # The handler: two demands of the unit to handle, one overdue, and nothing of an admin.
    switch_user(page, base, "handler", PASSWORD)
    assert _tile(page, "demands-to-handle") == "2"
    expect(page.locator("[data-waiting='demands-to-handle'] .badge-red")).to_contain_text("1")
    expect(page.locator("#wb-life")).to_have_count(0)
    shot(page, "workbench-handler")
    phone_shot(page, "workbench-handler-phone")
    page.click("[data-waiting='demands-to-handle']")
    expect(page.locator("#to-handle tbody tr")).to_have_count(2)


def _the_member_finds_their_branch(page: Page, base: str) -> None:
    # The member: the branch's next meeting on the workbench, and "my branch" in the navigation.
    switch_user(page, base, "member", PASSWORD)
    expect(page.locator("#wb-branch")).to_contain_text("十二月主题党日")
    expect(page.locator("[data-waiting]")).to_have_count(0)
    shot(page, "workbench-member")
    phone_shot(page, "workbench-member-phone")
    page.click(".mainnav a[href$='/workbench/my-branch/']")
    expect(page.locator("#life")).to_contain_text("十二月主题党日")
    feed = page.locator("#branch-feed")
    expect(feed).to_have_attribute("href", re.compile(r"/activities/feeds/[\w-]+\.ics$"))
    calendar = page.request.get(feed.get_attribute("href") or "")
    assert calendar.ok and "十二月主题党日" in calendar.text()
    shot(page, "my-branch")
    phone_shot(page, "my-branch-phone")


def _a_visitor_gets_the_public_entry_points(page: Page, base: str) -> None:
    # A visitor: the public entry points as big links.
    page.context.clear_cookies()
    page.goto(base + "/")
    expect(page.locator("#wb-public a.tile")).to_have_count(7)
    expect(page.locator("#wb-public")).to_contain_text("表彰公示")
    shot(page, "workbench-public")
    phone_shot(page, "workbench-public-phone")

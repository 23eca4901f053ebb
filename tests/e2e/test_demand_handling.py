"""A demand handled in a real browser: recorded by staff, accepted, assigned with a deadline,
handled and resolved by the unit's handler, sent back by an unsatisfied resident, resolved
again and closed by a satisfied follow-up; the inbox puts the overdue first."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.tests.factories import category, make_demand
from tests.e2e.conftest import login, phone_shot, shot, switch_user
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)

Status = Demand.Status


@pytest.fixture(autouse=True)
def demand_categories(db: None) -> None:
    """A transactional test starts from a flushed database, without what the migrations seeded."""
    default_demand_categories_seed(DemandCategory)


def _submit(page: Page, action: str) -> None:
    with page.expect_navigation():
        page.click(f"form[action$='/{action}/'] button[type=submit]")


def test_a_demand_from_recording_to_a_satisfied_follow_up(
    page: Page, live_server: object, city: City, district_admin: User, handler: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    make_demand(city.east, by=district_admin, title="广场舞噪音扰民", category="noise")

    # The district admin records a demand; a similar open one in the area is offered.
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/new/")
    pick(page, "#id_organization", "东社区")
    page.select_option("#id_category", str(category("noise").pk))
    pick(page, "#id_area", city.east.area.name)
    page.fill("#id_title", "晚上广场舞噪音太大")
    page.fill("#id_description", "小区广场每天晚上跳广场舞到十点，音响声音很大，影响休息。")
    page.fill("#id_submitter_name", "张桂兰")
    page.fill("#id_submitter_phone", "139 1234 5678")
    page.locator("#id_description").dispatch_event("change")
    expect(page.locator("#similar-demands")).to_contain_text("广场舞噪音扰民")
    shot(page, "demand-new")
    phone_shot(page, "demand-new-phone")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    demand = Demand.objects.get(title="晚上广场舞噪音太大")
    expect(page.locator("main")).to_contain_text("139****5678")
    expect(page.locator("main")).not_to_contain_text("13912345678")

    # Accept it and assign it to the west community with three working days.
    _submit(page, "accept")
    pick(page, "#id_unit", "西社区")
    page.fill("#id_days", "3")
    _submit(page, "assign")
    demand.refresh_from_db()
    assert demand.status == Status.ASSIGNED and demand.responsible_unit == city.west

    _the_handler_resolves_it_from_the_inbox(page, base, demand)

    # The resident is not satisfied: the collector records it and it goes back to the unit.
    switch_user(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/{demand.pk}/")
    page.check("input[name=result][value=unsatisfied]")
    page.fill("#id_comment", "还是很吵")
    _submit(page, "follow-up")
    demand.refresh_from_db()
    assert demand.status == Status.ASSIGNED and demand.rework_count == 1

    # Resolved again, then a satisfied follow-up closes it.
    switch_user(page, base, "handler", PASSWORD)
    page.goto(f"{base}/demands/{demand.pk}/")
    page.fill("#id_resolution", "安装分贝提示牌，社区每晚巡查")
    _submit(page, "resolve")
    switch_user(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/{demand.pk}/")
    page.check("input[name=result][value=satisfied]")
    _submit(page, "follow-up")
    demand.refresh_from_db()
    assert demand.status == Status.CLOSED and demand.satisfaction == Demand.Satisfaction.SATISFIED
    expect(page.locator(".timeline li")).to_have_count(8)
    shot(page, "demand-detail-closed")
    phone_shot(page, "demand-detail-phone")


def _the_handler_resolves_it_from_the_inbox(page: Page, base: str, demand: Demand) -> None:
    """The handler finds it in the inbox, records a step and resolves it."""
    switch_user(page, base, "handler", PASSWORD)
    page.goto(f"{base}/demands/")
    with page.expect_navigation():
        page.click(f"a[href='/demands/{demand.pk}/']")
    page.fill("#id_note", "上门与广场舞队协商，调低音量")
    _submit(page, "step")
    page.fill("#id_resolution", "与舞队约定晚上八点半结束，音响音量调低")
    _submit(page, "resolve")
    assert Demand.objects.get(pk=demand.pk).status == Status.RESOLVED


def test_the_inbox_puts_overdue_demands_first_with_their_badges(
    page: Page, live_server: object, city: City, district_admin: User, handler: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    later = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west, title="路灯不亮")
    late = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west, title="井盖破损")
    Demand.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    Demand.objects.filter(pk=later.pk).update(deadline=timezone.localdate() + timedelta(days=3))
    make_demand(city.east, by=district_admin, title="楼道堆放杂物")

    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/")
    rows = page.locator("#to-handle tbody tr")
    expect(rows.first).to_contain_text("井盖破损")
    expect(rows.first.locator(".badge-red")).to_be_visible()
    expect(page.locator("#to-accept")).to_contain_text("楼道堆放杂物")
    shot(page, "demand-inbox")
    phone_shot(page, "demand-inbox-phone")

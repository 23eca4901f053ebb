"""A resident's demand in a real browser: submitted on the public page without an account,
followed with the lookup code, handled by the community, answered "satisfied" by the resident,
and shown on the public board once a reviewer cleared its summary. Staff group the repeated
square-dance complaints into one hot spot."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory, FollowUp
from lianxin.demands.services.board import demand_summary_review
from lianxin.demands.services.handling import demand_accept, demand_assign, demand_resolve
from lianxin.demands.tests.factories import make_demand
from lianxin.organizations.models import Area
from lianxin.organizations.tests.factories import make_area, make_organization
from tests.e2e.conftest import login, phone_shot, shot
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def categories(transactional_db: None) -> None:
    """A flushed test database has lost the categories migration 0002 wrote."""
    default_demand_categories_seed(DemandCategory)


def _community(city: City) -> Area:
    community = make_area(name="幸福社区", kind=Area.Kind.COMMUNITY, parent=city.district.area)
    make_organization(name="幸福社区党支部", parent=city.district, area=community, code="D1H")
    return community


def test_a_demand_from_the_public_page_to_a_satisfied_follow_up_and_the_board(
    page: Page, live_server: object, city: City, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    community = _community(city)

    # A resident, not logged in, reports square-dance noise.
    page.goto(f"{base}/demands/submit/")
    page.select_option("#id_category", str(DemandCategory.objects.get(code="noise").pk))
    pick(page, "#id_area", community.name)
    page.fill("#id_address", "幸福小区中心广场")
    page.fill("#id_title", "广场舞音响太吵")
    page.fill("#id_description", "每天晚上九点以后还在放音乐，老人孩子睡不好。")
    page.fill("#id_submitter_name", "张桂兰")
    page.fill("#id_submitter_phone", "139 1234 5678")
    phone_shot(page, "demand-submit-phone")
    shot(page, "demand-submit")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    demand = Demand.objects.get()
    expect(page.locator("#lookup-code")).to_have_text(demand.lookup_code)
    phone_shot(page, "demand-submitted-phone")

    _the_resident_looks_it_up_with_the_code(page, base, demand)

    # The community accepts it, the west branch handles it and says what was done.
    demand_accept(demand=demand, actor=district_admin)
    demand_assign(demand=demand, actor=district_admin, unit=city.west, days=3)
    demand_resolve(demand=demand, actor=district_admin, resolution="与广场舞队约定晚上八点半前结束，音量调低。")

    # The resident sees the resolution and the steps, without staff names, and answers.
    page.reload()
    main = page.locator("main")
    expect(main).to_contain_text("与广场舞队约定晚上八点半前结束")
    expect(main).not_to_contain_text("district_admin")
    expect(main).not_to_contain_text("张桂兰")
    phone_shot(page, "demand-lookup-resolved-phone")
    page.check("input[name=result][value=satisfied]")
    page.fill("#id_comment", "现在安静多了")
    with page.expect_navigation():
        page.click("#follow-up button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    shot(page, "demand-lookup-closed")
    demand.refresh_from_db()
    assert demand.status == Demand.Status.CLOSED and FollowUp.objects.get(demand=demand).by_resident

    # Once a reviewer clears a summary, the public board shows it, with no name or phone.
    demand_summary_review(demand=demand, actor=district_admin, summary="幸福社区广场舞噪音：约定时段并调低音量。")
    today = timezone.localdate()
    page.goto(f"{base}/demands/board/?from={today:%Y-%m-01}&to={today:%Y-%m-%d}&org={city.district.code}")
    expect(page.locator("main")).to_contain_text("约定时段并调低音量")
    expect(page.locator("main")).not_to_contain_text("张桂兰")
    expect(page.locator("main")).not_to_contain_text("5678")
    shot(page, "demand-board-after-follow-up")


def _the_resident_looks_it_up_with_the_code(page: Page, base: str, demand: Demand) -> None:
    """Later, from another browser, the resident looks it up with the code and four digits."""
    page.context.clear_cookies()
    page.goto(f"{base}/demands/lookup/")
    page.fill("#id_code", demand.lookup_code)
    page.fill("#id_digits", "0000")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".alert-error")).to_be_visible()
    shot(page, "demand-lookup-wrong")
    page.fill("#id_code", demand.lookup_code.lower())
    page.fill("#id_digits", "5678")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("h2", has_text="广场舞音响太吵")).to_be_visible()
    shot(page, "demand-lookup-submitted")


def test_staff_group_square_dance_complaints_into_a_hot_spot(
    page: Page, live_server: object, city: City, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    community = _community(city)
    complaints = [
        ("广场舞噪音扰民", "每天晚上小区广场跳广场舞，音响声音太大。"),
        ("广场舞音响太吵", "晚上八点后广场舞音乐声音很大，老人睡不好。"),
        ("广场舞扰民问题", "中心广场广场舞噪声大，希望规定时间。"),
    ]
    first, *others = [
        make_demand(city.east, by=district_admin, title=t, description=d, area=community, category="noise")
        for t, d in complaints
    ]
    make_demand(city.east, by=district_admin, area=community)  # street lights: not offered

    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/{first.pk}/merge/")
    shot(page, "demand-merge")
    page.click("a[href*='hot-spots/new']")
    page.fill("#id_title", "中心广场广场舞噪音")
    for demand in others:
        expect(page.locator(f"input[name=demands][value='{demand.pk}']")).to_be_checked()
    shot(page, "hot-spot-new")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("中心广场广场舞噪音")
    for title, _description in complaints:
        expect(page.locator("main table")).to_contain_text(title)
    expect(page.locator("main table")).not_to_contain_text("路灯")
    shot(page, "hot-spot-detail")
    phone_shot(page, "hot-spot-detail-phone")

    page.goto(f"{base}/demands/hot-spots/")
    expect(page.locator("main table")).to_contain_text("中心广场广场舞噪音")
    phone_shot(page, "hot-spot-list-phone")

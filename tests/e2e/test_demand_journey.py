"""A resident's demand in a real browser, from the public submission page to the public board:
submitted → accepted and assigned by the collecting admin → resolved by the handler → followed up
"satisfied" by the resident with the lookup code → its summary cleared by a reviewer → on the
board and in the monthly notice, never with the resident's name or phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory, PublicNotice
from lianxin.demands.tests.factories import category
from tests.e2e.conftest import phone_shot, shot, switch_user
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "幸福小区南门路灯不亮"
NAME = "张桂兰"
PHONE = "13912345678"
SUMMARY = "南门两盏路灯已更换，夜间照明恢复。"


@pytest.fixture(autouse=True)
def demand_categories(db: None) -> None:
    """A flushed test database has lost the categories the migration wrote."""
    default_demand_categories_seed(DemandCategory)


def _submit(page: Page, base: str, city: City) -> str:
    """The resident reports the problem without logging in and keeps the lookup code."""
    page.goto(f"{base}/demands/submit/")
    page.select_option("#id_category", str(category("facilities").pk))
    pick(page, "#id_area", "城区")
    page.fill("#id_address", "幸福小区南门")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "南门的两盏路灯坏了一周，晚上老人出门不方便。")
    page.fill("#id_submitter_name", NAME)
    page.fill("#id_submitter_phone", PHONE)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    code = page.locator("#lookup-code").inner_text().strip()
    assert len(code) == 8
    return code


def _act(page: Page, section: str) -> None:
    with page.expect_navigation():
        page.click(f"#{section} button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_demand_from_a_public_submission_to_a_satisfied_follow_up_and_onto_the_board(
    page: Page, live_server: object, city: City, district_admin: User, handler: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]

    code = _submit(page, base, city)
    demand = Demand.objects.get(lookup_code=code)
    assert demand.organization == city.district and demand.status == Demand.Status.SUBMITTED

    # The collecting organization's admin accepts it and assigns it to the west community.
    switch_user(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/{demand.pk}/")
    _act(page, "accept")
    pick(page, "#id_unit", "西社区")
    page.fill("#assign input[name=days]", "3")
    _act(page, "assign")
    demand.refresh_from_db()
    assert demand.status == Demand.Status.ASSIGNED and demand.responsible_unit == city.west

    # The handler resolves it; the note names the resident, as notes do.
    switch_user(page, base, "handler", PASSWORD)
    page.goto(f"{base}/demands/{demand.pk}/")
    page.fill("#resolve textarea[name=resolution]", f"已电话告知{NAME}（{PHONE}），更换南门路灯两盏")
    _act(page, "resolve")

    # The resident looks it up with the code and the last four digits, and is satisfied.
    page.context.clear_cookies()
    page.goto(f"{base}/demands/lookup/")
    page.fill("#id_code", code)
    page.fill("#id_digits", PHONE[-4:])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.check("#follow-up input[value=satisfied]")
    with page.expect_navigation():
        page.click("#follow-up button[type=submit]")
    demand.refresh_from_db()
    assert demand.status == Demand.Status.CLOSED and demand.satisfaction == Demand.Satisfaction.SATISFIED

    # Nothing is on the board before a reviewer clears a summary.
    today = timezone.localdate()
    board = f"{base}/demands/board/?from={today.replace(day=1):%Y-%m-%d}&to={today:%Y-%m-%d}&org=D1"
    page.goto(board)
    expect(page.locator("#board-figures")).to_contain_text("1 / 1 = 100.00%")
    expect(page.locator(".board-item")).to_have_count(0)

    _a_summary_naming_the_resident_is_refused_then_one_is_cleared(page, base, demand)

    # The board shows the cleared summary and nothing that identifies the resident.
    page.context.clear_cookies()
    page.goto(board)
    expect(page.locator(".board-item")).to_have_count(1)
    expect(page.locator(".board-item")).to_contain_text(SUMMARY)
    main = page.locator("main")
    for private in (NAME, PHONE, PHONE[-4:], TITLE, code):
        expect(main).not_to_contain_text(private)
    shot(page, "demand-journey-board")
    phone_shot(page, "demand-journey-board-phone")


def _a_summary_naming_the_resident_is_refused_then_one_is_cleared(page: Page, base: str, demand: Demand) -> None:
    """The reviewer starts from a masked suggestion; a summary with the resident's name is refused."""
    switch_user(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/summaries/")
    with page.expect_navigation():
        page.click(f"#review-{demand.pk}")
    suggestion = page.input_value("#id_summary")
    assert NAME not in suggestion and PHONE not in suggestion
    page.fill("#id_summary", f"{NAME}家门口路灯已修好")
    with page.expect_navigation():
        page.click("#summary-form button[type=submit]")
    expect(page.locator("#summary-form .alert-error")).to_be_visible()
    shot(page, "demand-journey-review-refused")
    page.fill("#id_summary", SUMMARY)
    with page.expect_navigation():
        page.click("#summary-form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()


def test_an_admin_publishes_the_monthly_notice_and_the_public_reads_and_downloads_it(
    page: Page, live_server: object, city: City, district_admin: User, handler: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    code = _submit(page, base, city)
    demand = Demand.objects.get(lookup_code=code)
    switch_user(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/{demand.pk}/")
    _act(page, "accept")
    pick(page, "#id_unit", "西社区")
    _act(page, "assign")
    page.fill("#resolve textarea[name=resolution]", "更换南门路灯两盏")
    _act(page, "resolve")
    page.goto(f"{base}/demands/{demand.pk}/summary/")
    page.fill("#id_summary", SUMMARY)
    with page.expect_navigation():
        page.click("#summary-form button[type=submit]")
    shot(page, "notice-review-queue")

    # A draft for this month: the reviewed item is on it, and only staff see it.
    today = timezone.localdate()
    page.goto(f"{base}/demands/notices/new/")
    page.fill("#id_organization", "D1")
    page.select_option("#id_month", f"{today:%Y-%m}")
    phone_shot(page, "notice-new-phone")
    with page.expect_navigation():
        page.click("#notice-form button[type=submit]")
    notice = PublicNotice.objects.get()
    expect(page.locator("#notice-items li")).to_have_count(1)
    shot(page, "notice-draft")
    with page.expect_navigation():
        page.click("#notice-publish")
    expect(page.locator(".alert-success")).to_be_visible()

    # The public reads it, in the seeds' wording, and downloads the .docx.
    page.context.clear_cookies()
    page.goto(f"{base}/demands/notices/")
    with page.expect_navigation():
        page.click(f"a[href='/demands/notices/{notice.pk}/']")
    expect(page.locator("#notice-figures")).to_contain_text("共收集问题诉求1个，整改解决1个，解决率100.00%")
    expect(page.locator("#notice-items")).to_contain_text(SUMMARY)
    expect(page.locator("main")).not_to_contain_text(NAME)
    shot(page, "notice-published")
    phone_shot(page, "notice-published-phone")
    with page.expect_download() as download:
        page.click("#notice-docx")
    assert download.value.suggested_filename == f"{notice.title}.docx"

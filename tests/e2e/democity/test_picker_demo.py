"""Pickers instead of codes: the demo member reports to their community by typing part of its
name, "怡岛", and choosing it from the list, with the keyboard on a desktop and by tap on a phone."""

import re

from django.db.models import QuerySet
from playwright.sync_api import Browser, Page, expect

from lianxin.community.models import CommunityReport
from lianxin.demo.builder import DEMO_PASSWORD
from lianxin.organizations.models import Organization
from tests.e2e.conftest import login, shot

REPORT_BUTTON = "form[action$='/community/report/'] button[type=submit]"


def _reports_of_the_member() -> QuerySet[CommunityReport]:
    return CommunityReport.objects.filter(member__user__username="member")


def _withdraw(page: Page) -> None:
    page.locator("form[action*='/community/reports/'][action$='/end/'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert not _reports_of_the_member().filter(status__in=CommunityReport.ACTIVE_STATUSES).exists()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_demo_member_chooses_a_community_by_typing_part_of_its_name(
    page: Page, browser: Browser, demo_site: str
) -> None:
    base = demo_site
    community = Organization.objects.get(name__endswith="怡岛社区党支部")

    # Desktop, keyboard only: type, the first result is ready, ↓ ↑ move, Enter chooses, Enter reports.
    login(page, base, "member", DEMO_PASSWORD)
    page.goto(f"{base}/community/")
    box = page.locator("#id_community")
    box.click()
    box.press_sequentially("怡岛", delay=40)
    results = page.locator("#id_community_list [role=option]")
    expect(results.first).to_contain_text("怡岛社区")
    expect(results.first).to_contain_text("千岛街道")  # the path of its ancestors
    expect(box).to_have_attribute("aria-expanded", "true")
    shot(page, "picker-community-results")
    box.press("ArrowDown")
    box.press("ArrowUp")
    expect(results.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page.locator("#id_community_list")).to_be_hidden()
    expect(box).to_have_value(re.compile("千岛街道.*怡岛社区党支部"))
    expect(page.locator("input[type=hidden][name=community]")).to_have_value(community.code)
    shot(page, "picker-community-chosen")
    box.press("Enter")  # the list is closed: Enter submits the form
    expect(page.locator(".alert-success")).to_contain_text("怡岛社区党支部")
    report = _reports_of_the_member().get()
    assert report.community == community and report.status == CommunityReport.Status.PENDING
    _withdraw(page)

    # Escape closes the list without choosing anything.
    box = page.locator("#id_community")
    box.press_sequentially("ydsq", delay=40)
    expect(page.locator("#id_community_list [role=option]").first).to_contain_text("怡岛社区")
    box.press("Escape")
    expect(page.locator("#id_community_list")).to_be_hidden()
    expect(page.locator("input[type=hidden][name=community]")).to_have_value("")

    _on_a_phone_by_tap(browser, base, community)
    assert _reports_of_the_member().filter(status=CommunityReport.Status.PENDING, community=community).count() == 1
    # The city is shared with the package's other tests: leave it as it was built.
    page.goto(f"{base}/community/")
    _withdraw(page)


def _on_a_phone_by_tap(browser: Browser, base: str, community: Organization) -> None:
    """A phone, by tap: big targets, nothing scrolls sideways."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        login(phone, base, "member", DEMO_PASSWORD)
        phone.goto(f"{base}/community/")
        phone.locator("#id_community").tap()
        phone.locator("#id_community").press_sequentially("怡岛", delay=40)
        option = phone.locator("#id_community_list [role=option]").first
        expect(option).to_contain_text("怡岛社区")
        assert option.bounding_box()["height"] >= 44  # type: ignore[index]
        _no_sideways_scroll(phone)
        shot(phone, "picker-community-phone-results")
        option.tap()
        expect(phone.locator("input[type=hidden][name=community]")).to_have_value(community.code)
        shot(phone, "picker-community-phone-chosen")
        phone.locator(REPORT_BUTTON).tap()
        expect(phone.locator(".alert-success")).to_contain_text("怡岛社区党支部")
        _no_sideways_scroll(phone)
        shot(phone, "picker-community-phone-reported")
    finally:
        context.close()

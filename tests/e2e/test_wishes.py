"""A micro-wish's whole life in a real browser: post → review → wall → claim → fulfil → confirm,
with a second member who opened the same wish losing the claim with a clear message."""

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.wishes.models import Wish
from lianxin.wishes.tests.factories import make_member_user
from tests.e2e.conftest import login, phone_shot, shot, switch_user
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_wish_from_posting_to_confirmation(
    page: Page, browser: Browser, live_server: object, city: City, resident: User, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    make_member_user(city.east, "neighbour")
    make_member_user(city.west, "latecomer")

    # A resident posts a wish for a neighbour.
    login(page, base, "resident", PASSWORD)
    page.goto(f"{base}/wishes/new/")
    page.fill("#id_title", "给独居老人买一台电饭煲")
    page.select_option("#id_category", Wish.Category.DAILY_NEEDS)
    page.fill("#id_beneficiary_name", "王秀英")
    page.fill("#id_beneficiary_phone", "139 1234 5678")
    page.fill("#id_amount", "200")
    pick(page, "#id_organization", "东社区")
    phone_shot(page, "wish-post-phone")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    wish = Wish.objects.get()
    assert wish.status == Wish.Status.SUBMITTED

    # The community's secretary publishes it from the review queue.
    switch_user(page, base, "branch_secretary", PASSWORD)
    page.goto(f"{base}/wishes/review/")
    page.click(f"a[href='/wishes/{wish.pk}/']")
    page.select_option("#id_decision", "publish")
    with page.expect_navigation():
        page.click(f"form[action='/wishes/{wish.pk}/review/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()

    # The public wall shows it with the beneficiary masked and no phone number.
    page.context.clear_cookies()
    page.goto(f"{base}/wishes/")
    row = page.locator("tr", has_text="给独居老人买一台电饭煲")
    expect(row).to_contain_text("王**")
    expect(page.locator("main")).not_to_contain_text("王秀英")
    expect(page.locator("main")).not_to_contain_text("5678")
    shot(page, "wish-wall")

    _the_first_claim_wins_and_the_second_is_told(page, browser, base, wish)

    # The claimer fulfils it; the community confirms.
    page.fill(f"form[action='/wishes/{wish.pk}/fulfil/'] input[name=note]", "已送到老人家中")
    with page.expect_navigation():
        page.click(f"form[action='/wishes/{wish.pk}/fulfil/'] button[type=submit]")
    switch_user(page, base, "branch_secretary", PASSWORD)
    page.goto(f"{base}/wishes/{wish.pk}/")
    with page.expect_navigation():
        page.click(f"form[action='/wishes/{wish.pk}/confirm/'] button[type=submit]")
    wish.refresh_from_db()
    assert wish.status == Wish.Status.CONFIRMED
    expect(page.locator(".timeline li")).to_have_count(5)
    shot(page, "wish-confirmed")


def _the_first_claim_wins_and_the_second_is_told(page: Page, browser: Browser, base: str, wish: Wish) -> None:
    """Two members open the wish; the first to claim wins, the second is told clearly."""
    late = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    try:
        login(late, base, "latecomer", PASSWORD)
        late.goto(f"{base}/wishes/{wish.pk}/")
        login(page, base, "neighbour", PASSWORD)
        page.goto(f"{base}/wishes/{wish.pk}/")
        with page.expect_navigation():
            page.click(f"form[action='/wishes/{wish.pk}/claim/'] button[type=submit]")
        expect(page.locator(".alert-success")).to_be_visible()
        with late.expect_navigation():
            late.click(f"form[action='/wishes/{wish.pk}/claim/'] button[type=submit]")
        expect(late.locator(".alert-error")).to_contain_text("刚被他人认领")
        shot(late, "wish-claim-refused-phone")
    finally:
        late.context.close()
    wish.refresh_from_db()
    assert wish.status == Wish.Status.CLAIMED and wish.claimed_count == 1 and wish.claims.count() == 1

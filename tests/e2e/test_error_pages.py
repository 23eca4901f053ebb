"""The not-found page offers a way back: the page before when there was one, and the workbench."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_not_found_page_leads_back_to_the_page_before(page: Page, live_server: object) -> None:
    origin = live_server.url  # type: ignore[attr-defined]
    # A link from the service menu to an address that does not exist: the way back is that page.
    page.goto(f"{origin}/no-such-page/", referer=f"{origin}/volunteering/menu/")
    expect(page.locator("main h1")).to_contain_text("页面不存在")
    back = page.locator("main [data-history-back]")
    expect(back).to_be_visible()
    assert back.get_attribute("href") == f"{origin}/volunteering/menu/"
    shot(page, "error-404")
    phone_shot(page, "error-404-phone")

    # Typed into the address bar after another page: no referrer, the browser's history goes back.
    page.goto(f"{origin}/wishes/")
    page.goto(f"{origin}/still-no-such-page/")
    expect(back).to_be_visible()
    back.click()
    page.wait_for_url(f"{origin}/wishes/")

    # Opened first in a new tab: there is no page before, so only the workbench is offered.
    fresh = page.context.new_page()
    fresh.goto(f"{origin}/no-such-page/")
    expect(fresh.locator("main [data-history-back]")).to_be_hidden()
    expect(fresh.locator("main .error-ways a.btn-primary")).to_be_visible()

"""Pickers instead of codes: a filter's picker keeps organization codes in the address.
(The demo member choosing a community by typing is in democity/test_picker_demo.py.)"""

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from tests.e2e.conftest import login, shot
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_filter_picker_keeps_codes_in_the_address(
    page: Page, live_server: object, city: City, city_admin: User
) -> None:
    """The figures' subtree is chosen by typing; the address says `?org=CODE`, and such an address
    (a bookmark) opens with the organization's full path in the picker."""
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/figures/")
    pick(page, "#org", "西社区")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "org=D1W" in page.url and "org_q" not in page.url
    expect(page.locator("h1")).to_contain_text("西社区党支部")
    page.goto(f"{base}/figures/?org=D1E")
    expect(page.locator("#org")).to_have_value("中共城区委员会 › 东社区党支部")
    shot(page, "picker-figures-bookmark")

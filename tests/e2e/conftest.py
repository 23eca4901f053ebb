"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Screenshots of every page visited land in tests/e2e/screenshots/ for people to look at.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"

# Playwright's sync API runs an event loop in this thread; the live server's database
# work happens in its own thread, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make browser` (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The header holds a language button too; the login form is the one in <main>.
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def phone_shot(page: Page, name: str) -> None:
    """The current page on a 390×844 phone screen; it must not scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        shot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        if size:
            page.set_viewport_size(size)


def switch_user(page: Page, base_url: str, username: str, password: str) -> None:
    """Log out whoever is logged in on this page's browser context and log `username` in."""
    page.context.clear_cookies()
    login(page, base_url, username, password)

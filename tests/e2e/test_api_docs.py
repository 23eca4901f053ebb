"""The API's docs page works on an intranet without the internet: Swagger UI is served from
static/vendor, so with every other host unreachable it still lists the operations."""

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_list_the_operations_with_the_internet_cut_off(page: Page, live_server: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    elsewhere: list[str] = []

    def only_this_site(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/api/v1/docs", wait_until="domcontentloaded", timeout=60_000)
    expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)
    expect(page.locator(".opblock-tag", has_text="community")).to_be_visible()
    assert page.locator(".opblock").count() > 50
    shot(page, "api-docs-offline")
    assert not elsewhere and not errors, (elsewhere, errors)

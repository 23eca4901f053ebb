"""The production Content-Security-Policy, enforced, breaks no page: the main pages (and the
vendored API docs) show no violation in the browser, and what used to be inline code (the
organization tree's folding, print buttons, the import progress bar) still works from
static/js/lianxin.js."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from config.settings.content_security import STRICT_POLICY
from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.tests.factories import make_activity
from lianxin.members.models import RosterImport
from tests.e2e.conftest import login, shot, switch_user

pytestmark = pytest.mark.django_db(transaction=True)

# Every violation, whether the browser blocks it or only reports it.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def _visit(page: Page, url: str, console: list[str]) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return [*page.evaluate("window.__violations"), *console]


def _tree_folds_and_unfolds(page: Page, url: str) -> None:
    """The tree loads a node's children once, then folds and unfolds them."""
    page.goto(url)
    toggle = page.locator(".tree-toggle").first
    toggle.click()
    expect(toggle).to_have_attribute("data-loaded", "1")
    children = page.locator(".tree-row + ul.tree").first
    expect(children.locator("li").first).to_be_visible()
    toggle.click()
    expect(children).to_be_hidden()
    toggle.click()
    expect(children).to_be_visible()
    shot(page, "csp-organization-tree")


@override_settings(CONTENT_SECURITY_POLICY=STRICT_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY=None)
def test_the_main_pages_run_under_the_enforced_policy_without_a_violation(
    page: Page, live_server: object, city: City, district_admin: User, member_user: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    activity = make_activity(city.east, planner=district_admin)
    importing = RosterImport.objects.create(
        created_by=district_admin,
        file_name="名册.xlsx",
        file="imports/x.xlsx",
        status=RosterImport.Status.RUNNING,
        total_rows=200,
        processed_rows=50,
    )
    today = timezone.localdate()
    period = urlencode({"org": "D1", "from": f"{today - timedelta(days=90):%Y-%m-%d}", "to": f"{today:%Y-%m-%d}"})

    response = page.goto(f"{base}/accounts/login/")
    assert response is not None and "default-src 'self'" in response.headers["content-security-policy"]
    pages = {"login": f"{base}/accounts/login/", "public demand form": f"{base}/demands/submit/"}
    found = {name: _visit(page, url, console) for name, url in pages.items()}

    login(page, base, district_admin.username, PASSWORD)
    admin_pages = {
        "workbench": f"{base}/",
        "member list": f"{base}/members/",
        "activity list": f"{base}/activities/",
        "venue screen with QR": f"{base}/activities/{activity.pk}/venue/",
        "service figures": f"{base}/figures/?{period}",
        "compliance board": f"{base}/activities/compliance/?{period}",
        "import progress": f"{base}/members/import/{importing.pk}/",
        "organization tree": f"{base}/organizations/",
        "API docs": f"{base}/api/v1/docs",
    }
    found |= {name: _visit(page, url, console) for name, url in admin_pages.items()}
    page.goto(admin_pages["API docs"])
    expect(page.locator(".opblock").first).to_be_visible()
    # The import's progress bar takes its width from data-width.
    page.goto(admin_pages["import progress"])
    assert page.locator(".progress > span").evaluate("bar => bar.style.width") == "25%"

    _tree_folds_and_unfolds(page, admin_pages["organization tree"])

    switch_user(page, base, member_user.username, PASSWORD)
    found["certificate"] = _visit(page, f"{base}/volunteering/record/certificate/", console)
    printed = page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    assert printed is None
    page.locator("[data-print]").click()
    assert page.evaluate("window.__printed") == 1

    assert {name: violations for name, violations in found.items() if violations} == {}

"""Reviewing wishes in bulk on a 390-pixel phone: the secretary rejects one wish with its reason in
place (no reload, no jump to the top), leaves one for later, and publishes the rest with one tap
on the button that stays at the bottom of the screen."""

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.wishes.models import Wish
from lianxin.wishes.tests.factories import make_wish
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)

Status = Wish.Status


def test_a_secretary_reviews_the_wishes_of_the_week_on_a_phone(
    page: Page, live_server: object, city: City, resident: User, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    titles = ["给独居老人买一台电饭煲", "孩子想要一盏护眼台灯", "一套初中数学辅导书", "一副老花镜", "修理漏水的屋顶"]
    wishes = [make_wish(city.east, posted_by=resident, title=t) for t in titles]
    duplicate, later = wishes[3], wishes[4]
    login(page, base, "branch_secretary", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/wishes/review/")
    expect(page.locator("#wish-review input[name=ids][form=wish-bulk]:checked")).to_have_count(5)
    phone_shot(page, "bulk-review-phone")
    page.evaluate("window.notReloaded = true")

    # One wish is a duplicate: rejected in its own card, with the reason, where the thumb is.
    row = page.locator(f"#wish-row-{duplicate.pk}")
    row.locator("summary").click()
    row.locator("input[name=reason]").fill("与第一条重复")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#wish-row-{duplicate.pk} .badge")).to_be_visible()
    expect(page.locator(f"#wish-row-{duplicate.pk}")).to_contain_text("与第一条重复")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("window.scrollY") >= scrolled - 5, "the page jumped to the top"
    phone_shot(page, "bulk-review-rejected-in-place-phone")

    # Another waits for a call to the family: untick it. The rest are published with one tap.
    page.locator(f"#wish-row-{later.pk} input[type=checkbox]").uncheck()
    publish = page.locator("#wish-review .bulk-bar button[type=submit]")
    box = publish.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
    publish.click()
    expect(page.locator("#wish-review .alert-success")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#wish-review tbody tr")).to_have_count(1)
    expect(page.locator("#wish-review tbody")).to_contain_text("修理漏水的屋顶")
    phone_shot(page, "bulk-review-published-phone")

    statuses = [Wish.objects.get(pk=w.pk).status for w in wishes]
    assert statuses == [Status.PUBLISHED, Status.PUBLISHED, Status.PUBLISHED, Status.REJECTED, Status.SUBMITTED]
    assert Wish.objects.get(pk=duplicate.pk).reject_reason == "与第一条重复"
    page.set_viewport_size({"width": 1280, "height": 860})
    shot(page, "bulk-review-desktop")

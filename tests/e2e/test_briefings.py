"""A district admin drafts a briefing of the district's last month from the workbench, edits a sentence,
publishes it after the confirmation step and downloads the .docx; the pages read on a phone."""

import io

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.briefings.models import Briefing
from lianxin.briefings.tests.factories import Month, make_month
from tests.e2e.conftest import login, phone_shot, shot
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


def _draft_from_the_workbench(page: Page, month: Month) -> None:
    """From the workbench, next to the dashboard: a new briefing of 城区 for the month, the 七一 series."""
    with page.expect_navigation():
        page.click("a[href='/briefings/']")
    with page.expect_navigation():
        page.click("#briefing-new")
    pick(page, "#id_org", "城区", "中共城区委员会")
    page.fill("#id_starts_on", month.period.start.isoformat())
    page.fill("#id_ends_on", month.period.end.isoformat())
    page.select_option("#id_template", "july_first")
    shot(page, "briefing-new")
    phone_shot(page, "briefing-new-phone")
    with page.expect_navigation():
        page.click("#briefing-new-form button[type=submit]")


def _edit_a_sentence_and_publish(page: Page, briefing: Briefing) -> None:
    """In the draft each section's text stands beside the numbers it used; the confirmation shows the edit."""
    lectures = briefing.sections.get(heading="支部书记讲党课")
    text = page.locator(f"#id_text_{lectures.position}")
    expect(text).to_have_value(lectures.text)
    expect(page.locator(f"#section-{lectures.position} .briefing-figures a")).to_have_text("2场次")
    shot(page, "briefing-draft")
    phone_shot(page, "briefing-draft-phone")
    text.fill(lectures.text.replace("累计举办党课2场次", "累计举办党课2场次，受教育党员4人次"))
    with page.expect_navigation():
        page.click("#briefing-save-publish")
    expect(page.locator("#briefing-body")).to_contain_text("累计举办党课2场次，受教育党员4人次")
    shot(page, "briefing-publish")
    phone_shot(page, "briefing-publish-phone")
    with page.expect_navigation():
        page.click("#briefing-confirm")


def test_draft_edit_publish_and_download_a_districts_briefing(
    page: Page, live_server: object, district_admin: User, city: City
) -> None:
    month = make_month(city, district_admin)
    login(page, live_server.url, "district_admin", PASSWORD)  # type: ignore[attr-defined]
    _draft_from_the_workbench(page, month)
    briefing = Briefing.objects.get()
    _edit_a_sentence_and_publish(page, briefing)

    # the published page: the text as edited, read-only, each number with the rows behind it
    expect(page.locator("#briefing-published")).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.locator("#briefing-body")).to_contain_text("受教育党员4人次")
    numbers = page.locator("#briefing-numbers a", has_text="2场次")
    expect(numbers).to_have_count(1)
    shot(page, "briefing-published")
    phone_shot(page, "briefing-published-phone")
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.PUBLISHED
    with page.expect_navigation():
        page.click(".crumbs a[href='/briefings/']")
    expect(page.locator("#briefing-list tbody tr")).to_have_count(1)
    shot(page, "briefing-list")
    phone_shot(page, "briefing-list-phone")
    page.go_back()

    with page.expect_download() as downloaded:
        page.click("#briefing-docx")
    document = Document(io.BytesIO(downloaded.value.path().read_bytes()))
    assert document.paragraphs[0].text == briefing.title
    assert any("受教育党员4人次" in p.text for p in document.paragraphs)

    # a number opens the rows behind it on the dashboard
    with page.expect_navigation():
        numbers.click()
    expect(page.locator("table.table tbody tr")).to_have_count(2)
    shot(page, "briefing-number-rows")

"""An in-service member reports to their community, which approves and publishes a post; the member
claims it and records service; the member's own organization opens the quarterly feedback and
downloads it. Selectors follow forms and ids, so they hold in either language."""

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.community.models import CommunityReport, ServiceRecord
from lianxin.community.tests.factories import make_bureau
from lianxin.core.tests.images import photo_bytes
from tests.e2e.conftest import login, phone_shot, shot, switch_user

pytestmark = pytest.mark.django_db(transaction=True)

PNG = photo_bytes("PNG")


def test_report_approve_publish_claim_record_and_download_the_feedback(
    page: Page, live_server: object, city: City, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    make_bureau(city)

    # The member reports to 东社区 by its code.
    login(page, base, "worker", PASSWORD)
    page.goto(f"{base}/community/")
    shot(page, "community-mine-empty")
    page.fill("#id_community", "D1E")
    page.click("form[action$='/community/report/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("东社区党支部")
    shot(page, "community-mine-pending")

    # 东社区's secretary approves and publishes a post for two.
    switch_user(page, base, "branch_secretary", PASSWORD)
    page.goto(f"{base}/community/manage/")
    expect(page.locator("#pending")).to_contain_text("张工")
    phone_shot(page, "community-manage-phone")
    page.locator("#pending .bulk-bar button[type=submit]").click()
    expect(page.locator("#pending .alert-success")).to_be_visible()
    assert CommunityReport.objects.get().status == CommunityReport.Status.APPROVED
    page.fill("#id_title", "楼道清理岗")
    page.select_option("#id_category", "environment")
    page.fill("#id_capacity", "2")
    page.click("form[action$='/manage/posts/new/'] button[type=submit]")
    expect(page.locator("#posts")).to_contain_text("楼道清理岗")
    shot(page, "community-manage")

    # The member claims the post and records what they did, with a photo.
    switch_user(page, base, "worker", PASSWORD)
    page.goto(f"{base}/community/")
    page.locator("#posts form[action*='/claim/'] button").click()
    expect(page.locator("#claims")).to_contain_text("楼道清理岗")
    page.select_option("#id_claim", label="楼道清理岗")
    expect(page.locator("#id_served_on")).to_have_value(timezone.localdate().isoformat())
    page.fill("#id_hours", "2.5")
    page.fill("#id_description", "清理3幢楼道杂物")
    page.set_input_files("#id_photo", files=[FilePayload(name="现场.png", mimeType="image/png", buffer=PNG)])
    page.click("form[action$='/records/new/'] button[type=submit]")
    expect(page.locator("#records")).to_contain_text("清理3幢楼道杂物")
    assert ServiceRecord.objects.get().photo
    shot(page, "community-mine")
    phone_shot(page, "community-mine-phone")

    _the_bureau_downloads_this_quarters_feedback(page, base)

    # The name leads to the report's page with its timeline.
    page.click("table tbody a:text('张工')")
    expect(page.locator(".timeline li")).to_have_count(2)
    shot(page, "community-report")
    phone_shot(page, "community-report-phone")


def _the_bureau_downloads_this_quarters_feedback(page: Page, base: str) -> None:
    """The bureau's secretary opens this quarter's feedback and downloads it."""
    switch_user(page, base, "bureau_secretary", PASSWORD)
    page.goto(f"{base}/community/feedback/")
    row = page.locator("table tbody tr", has_text="张工")
    expect(row).to_contain_text("楼道清理岗")
    expect(row).to_contain_text("2.5")
    shot(page, "community-feedback")
    phone_shot(page, "community-feedback-phone")
    with page.expect_download() as info:
        page.click("a[href*='/feedback/download/xlsx/']")
    assert info.value.suggested_filename.endswith(".xlsx")
    with open(info.value.path(), "rb") as workbook:
        sheet = openpyxl.load_workbook(workbook).active
    assert sheet is not None
    # Under the title, the where-and-when line and the header.
    assert sheet["A4"].value == "张工" and sheet["C4"].value == "东社区党支部" and sheet["I4"].value == 2.5

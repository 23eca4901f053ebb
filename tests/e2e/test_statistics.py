"""A district admin opens the yearly Party statistics of the district for 2025, reads a total, downloads the
workbook, and is told in Chinese what is wrong with a year the statistics do not cover."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.members.models import Member
from lianxin.members.services.roster import member_leave
from lianxin.members.tests.factories import make_member
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def roster(city: City) -> City:
    make_member(city.east, name="王海", ethnicity="汉族")
    make_member(city.west, name="李红", female=True, ethnicity="回族", education="master", occupation="official")
    gone = make_member(city.east, name="张老", ethnicity="汉族")
    member_leave(actor=None, member=gone, reason=Member.LeaveReason.DECEASED, left_on=date(2025, 5, 1))
    make_member(city.other_branch, name="陈渔")
    return city


def test_the_district_statistics_for_a_year_and_their_workbook(
    page: Page, live_server: object, district_admin: User, roster: City, tmp_path: Path
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/members/statistics/?org=D1&year=2025")
    expect(page.locator("h1")).to_contain_text("中共城区委员会")
    expect(page.locator("#members-sex tr.total-line td[data-total]")).to_have_text("2")
    expect(page.locator("#changes td[data-figure=start]")).to_have_text("3")
    expect(page.locator("#changes td[data-figure=died]")).to_have_text("1")
    expect(page.locator("#statistics-checks li[data-passed=false]")).to_have_count(0)
    shot(page, "statistics-district")
    phone_shot(page, "statistics-district-phone")

    with page.expect_download() as download:
        page.click("#statistics-xlsx")
    path = tmp_path / "statistics.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    assert len(book.sheetnames) == 5
    assert "中共城区委员会" in str(book.worksheets[0]["A2"].value)
    assert book.worksheets[0]["B4"].value == 2  # the sex table's total line

    # The year's box takes 1921 to this year only; a link can still carry any year.
    assert page.locator("#year").get_attribute("min") == "1921"
    page.goto(f"{base}/members/statistics/?org=D1&year=1900")
    expect(page.locator(".alert-error")).to_contain_text("year 必须是 1921 至")
    expect(page.locator("#statistics-members")).to_have_count(0)
    shot(page, "statistics-bad-year")

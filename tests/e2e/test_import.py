"""Roster workbooks in a real browser: upload, read the errors, fix, upload again; export.

Workbooks are real .xlsx files written with openpyxl into tmp_path and uploaded through
the file input; downloads go through Chromium and are opened again with openpyxl.
Tasks run immediately in tests (ImmediateBackend), so an upload's answer is its result.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import override_settings
from playwright.sync_api import Download, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.members.models import Member, RosterImport
from lianxin.members.tests.factories import make_id_number, make_member, make_roster_row, make_roster_workbook
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path) -> Iterator[Path]:
    """Uploads and error workbooks land in a temporary folder, not in var/media.

    The live server runs in this process, so it sees the override too.
    """
    root = tmp_path / "media"
    with override_settings(MEDIA_ROOT=root):
        yield root


def write_workbook(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_bytes(make_roster_workbook(rows).getvalue())
    return path


def upload(page: Page, path: Path) -> None:
    """Choose the file and send it; the answer is the import's status page."""
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation(url="**/members/import/*/"):
        page.get_by_role("button", name="上传并校验").click()


def download(page: Page, link_name: str, target: Path) -> Download:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    info.value.save_as(target)
    return info.value


def header_and_rows(path: Path, header_row: int = 1) -> tuple[list[Any], list[list[Any]]]:
    """The header and the rows under it; an export has its title and where-and-when line above the header."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(min_row=header_row, values_only=True)]
    return rows[0], rows[1:]


def wrong_checksum(id_number: str) -> str:
    return id_number[:17] + ("1" if id_number[17] == "0" else "0")


def test_a_bad_row_stops_the_import_until_the_workbook_is_fixed(
    page: Page, live_server: Any, branch_secretary: User, city: City, tmp_path: Path
) -> None:
    base = live_server.url
    login(page, base, "branch_secretary", PASSWORD)
    # The workbench (where a login lands) links to the import.
    page.get_by_role("main").get_by_role("link", name="导入", exact=True).click()
    expect(page.locator("h1")).to_have_text("从Excel导入党员名册")
    shot(page, "import")

    good_id = make_id_number()
    rows = [
        make_roster_row(city.east, **{"姓名": "赵一"}),
        make_roster_row(city.east, **{"姓名": "钱二", "公民身份号码": wrong_checksum(good_id)}),
        make_roster_row(city.east, **{"姓名": "孙三"}),
    ]
    workbook = write_workbook(tmp_path / "名册.xlsx", rows)
    members_before = Member.objects.count()

    upload(page, workbook)
    status = page.locator("#import-status")
    expect(page.locator("h1")).to_have_text("名册.xlsx")
    expect(status.locator("[data-status]")).to_have_attribute("data-status", "invalid")
    expect(status.locator(".alert-error")).to_have_text("1行有错误，未导入任何数据。")
    errors = status.locator("table tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.locator("td").first).to_have_text("3")  # the header is row 1
    expect(errors.locator("td").nth(1)).to_contain_text("校验位不符")
    expect(errors.locator("td").nth(1)).to_contain_text(wrong_checksum(good_id))
    shot(page, "import-errors")
    assert Member.objects.count() == members_before

    error_file = tmp_path / "errors.xlsx"
    header = _the_workbook_sent_back_explains_the_bad_row(page, error_file, rows)

    # Fix the very workbook that was sent back; its 错误说明 column is simply ignored.
    fixed = openpyxl.load_workbook(error_file)
    sheet = fixed.active
    assert sheet is not None
    sheet.cell(row=3, column=header.index("公民身份号码") + 1, value=good_id)
    fixed.save(workbook)

    page.get_by_role("link", name="重新上传").click()
    expect(page.locator("h1")).to_have_text("从Excel导入党员名册")
    expect(page.locator("table tbody tr")).to_have_count(1)  # the failed upload, among recent imports
    upload(page, workbook)
    expect(status.locator("[data-status]")).to_have_attribute("data-status", "done")
    expect(status.locator(".alert-success")).to_have_text("已导入3行。")
    expect(status.locator("tr", has_text="新增").locator("td")).to_have_text("3")
    expect(status.locator("tr", has_text="修改").locator("td")).to_have_text("0")
    shot(page, "import-done")
    assert Member.objects.count() == members_before + 3
    assert set(Member.objects.filter(organization=city.east).values_list("name", flat=True)) == {"赵一", "钱二", "孙三"}
    assert Member.objects.get(name="钱二").id_number == good_id

    _the_imported_member_is_on_the_roster_masked(page)


def _the_workbook_sent_back_explains_the_bad_row(page: Page, error_file: Path, rows: list[dict[str, Any]]) -> list[str]:
    """The workbook as uploaded, with a last column 错误说明 filled on the bad row only; its header."""
    answer = download(page, "下载附错误说明的工作簿", error_file)
    assert answer.suggested_filename == "名册_错误说明.xlsx"
    header, data = header_and_rows(error_file)
    assert header[-1] == "错误说明"
    assert header[:-1] == list(rows[0])  # the uploaded columns, unchanged
    explain = header.index("错误说明")
    assert [row[header.index("姓名")] for row in data] == ["赵一", "钱二", "孙三"]
    assert [bool(row[explain]) for row in data] == [False, True, False]
    assert "校验位不符" in data[1][explain]
    return header


def _the_imported_member_is_on_the_roster_masked(page: Page) -> None:
    page.get_by_role("link", name="查看党员名册").click()
    expect(page.locator("#member-table tbody tr")).to_have_count(3)
    page.get_by_role("link", name="钱二").click()
    expect(page.locator("h1")).to_contain_text("钱二")
    expect(page.locator("#personal .masked").first).to_contain_text("**********")
    shot(page, "member-imported")


def test_the_status_page_follows_a_running_import(page: Page, live_server: Any, branch_secretary: User) -> None:
    """A long import is checked by the task worker; the page polls until it ends."""
    running = RosterImport.objects.create(
        created_by=branch_secretary,
        file_name="全市名册.xlsx",
        file="imports/全市名册.xlsx",
        status=RosterImport.Status.RUNNING,
        total_rows=4000,
        processed_rows=1000,
    )
    base = live_server.url
    login(page, base, "branch_secretary", PASSWORD)
    page.goto(f"{base}/members/import/{running.pk}/")
    status = page.locator("#import-status")
    expect(status.locator("[data-status]")).to_have_text("正在校验")
    expect(status.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "25")
    expect(status).to_contain_text("已校验1000行，共约4000行")
    shot(page, "import-progress")

    # Single UPDATEs, as the worker commits them; the page picks them up by itself.
    RosterImport.objects.filter(pk=running.pk).update(processed_rows=4000)
    expect(status).to_contain_text("已全部校验，正在保存……")
    RosterImport.objects.filter(pk=running.pk).update(status=RosterImport.Status.DONE, created_count=4000)
    expect(status.locator(".alert-success")).to_have_text("已导入4000行。")
    expect(status).not_to_have_attribute("hx-get", f"/members/import/{running.pk}/")  # polling stopped
    expect(status.get_by_role("progressbar")).to_have_count(0)
    assert page.url == f"{base}/members/import/{running.pk}/"


@pytest.fixture
def district_roster(city: City) -> dict[str, Member]:
    return {
        "张海": make_member(city.east, name="张海", is_at_sea=True),
        "李红": make_member(city.east, name="李红"),
        "王岛": make_member(city.west, name="王岛"),
        "陈渔": make_member(city.other_branch, name="陈渔"),  # another district: never exported here
    }


def exported(page: Page, target: Path) -> tuple[list[Any], dict[str, list[Any]]]:
    """Click the list's export button; the workbook's header and its rows by name."""
    answer = download(page, "导出Excel", target)
    assert answer.suggested_filename.startswith("党员名册_")
    assert answer.suggested_filename.endswith(".xlsx")
    header, data = header_and_rows(target, header_row=3)
    return header, {row[header.index("姓名")]: row for row in data}


def test_export_the_member_list(
    page: Page, live_server: Any, district_admin: User, district_roster: dict[str, Member], tmp_path: Path
) -> None:
    base = live_server.url
    login(page, base, "district_admin", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="党员名册").click()
    expect(page.locator("#member-table tbody tr")).to_have_count(3)

    header, by_name = exported(page, tmp_path / "all.xlsx")
    assert header[:3] == ["姓名", "性别", "公民身份号码"]
    assert "所在党组织" in header
    assert sorted(by_name) == ["张海", "李红", "王岛"]
    id_column = header.index("公民身份号码")
    for name, row in by_name.items():  # full numbers, not the masked ones on the page
        assert row[id_column] == district_roster[name].id_number
    assert by_name["王岛"][header.index("所在党组织")] == "西社区党支部"
    assert by_name["张海"][header.index("涉海/在船")] == "是"

    # A filtered list (here opened by its URL) exports just what it shows.
    page.goto(f"{base}/members/?org=D1E")
    expect(page.locator("#member-table tbody tr")).to_have_count(2)
    answer = download(page, "导出Excel", tmp_path / "east.xlsx")
    assert answer.suggested_filename.startswith("党员名册_D1E_")
    _header, data = header_and_rows(tmp_path / "east.xlsx", header_row=3)
    assert sorted(row[0] for row in data) == ["张海", "李红"]


def test_export_after_filtering_in_the_page(
    page: Page, live_server: Any, district_admin: User, district_roster: dict[str, Member], tmp_path: Path
) -> None:
    base = live_server.url
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/members/")
    page.select_option("#id_flag", "is_at_sea")
    expect(page.locator("#member-table tbody tr")).to_have_count(1)
    _header, by_name = exported(page, tmp_path / "at-sea.xlsx")
    assert sorted(by_name) == ["张海"]

"""Every xlsx and docx the app offers, opened as the people who print them would.

Each workbook: A4 with fit to width, the header row frozen and repeated on every page, a
title row, every used column given a width, dates and times as date cells (never text).
Each document: A4 sections, tables with sensible (unequal) widths, a repeated header row,
rows kept whole on a page.
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Attendance
from lianxin.activities.services.planning import attendance_record
from lianxin.activities.tests.factories import make_activity
from lianxin.briefings.models import Briefing
from lianxin.briefings.services import briefing_publish
from lianxin.briefings.tests.factories import make_briefing, make_month
from lianxin.community.tests.test_feedback import bureau  # noqa: F401 - a fixture
from lianxin.demands.models import PublicNotice
from lianxin.demands.services.board import notice_create, notice_publish
from lianxin.demands.tests.test_notice import _month_with_items
from lianxin.members.tests.test_development_views import recent_activist
from lianxin.volunteering.tests.test_certificates import served  # noqa: F401 - a fixture
from lianxin.volunteering.tests.test_touring_views import published, team, town  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

DATE_AS_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")
A4_PORTRAIT = (Mm(210), Mm(297))


@dataclass(frozen=True)
class Download:
    user: str  # a fixture giving the user who downloads
    url: Callable[[Any, Any], str]  # from the request and what setup made, the download's address
    setup: Callable[[Any], Any] = lambda request: None  # makes what is downloaded


def _client(request: Any, user_fixture: str) -> Client:
    user = request.getfixturevalue(user_fixture)
    if not isinstance(user, User):
        user = user.secretary  # the feedback's bureau
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _activity(request: Any) -> Any:
    city: City = request.getfixturevalue("city")
    secretary = request.getfixturevalue("branch_secretary")
    member = request.getfixturevalue("east_member")
    starts = timezone.make_aware(datetime(2026, 5, 2, 19, 0))
    activity = make_activity(city.east, planner=secretary, title="五月党课", starts_at=starts, held=True)
    attendance_record(activity=activity, actor=secretary, member=member, status=Attendance.Status.PRESENT)
    Attendance.objects.filter(activity=activity).update(checked_in_at=starts + timedelta(minutes=5))
    return activity


def _briefing(request: Any) -> Briefing:
    city: City = request.getfixturevalue("city")
    admin = request.getfixturevalue("district_admin")
    make_month(city, admin)
    return briefing_publish(actor=admin, briefing=make_briefing(city, admin))


def _notice(request: Any) -> PublicNotice:
    city: City = request.getfixturevalue("city")
    admin = request.getfixturevalue("district_admin")
    start, _items = _month_with_items(city, admin)
    notice = notice_create(
        actor=admin, organization=city.east, year=start.year, month=start.month, introduction="现予通报。"
    )
    return notice_publish(notice=notice, actor=admin)


Q2 = "from=2026-04-01&to=2026-06-30"

WORKBOOKS: dict[str, Download] = {
    "roster": Download(
        "district_admin", lambda r, made: reverse("members:export"), lambda r: r.getfixturevalue("east_member")
    ),
    "development": Download(
        "branch_secretary",
        lambda r, made: reverse("members:development_export") + "?org=D1E",
        lambda r: recent_activist(r.getfixturevalue("city").east),
    ),
    "activities": Download(
        "branch_secretary", lambda r, made: reverse("activities:activity_list") + "?format=xlsx", _activity
    ),
    "sign-in sheet": Download(
        "branch_secretary",
        lambda r, made: reverse("activities:activity_attendance_xlsx", args=[made.pk]),
        _activity,
    ),
    "compliance": Download("district_admin", lambda r, made: reverse("activities:compliance_xlsx") + "?org=D1&" + Q2),
    "coverage": Download(
        "district_admin", lambda r, made: reverse("activities:coverage_xlsx") + "?org=D1&" + Q2, _activity
    ),
    "touring schedule": Download(
        "district_admin", lambda r, made: reverse("volunteering:tour_xlsx", args=[r.getfixturevalue("published").pk])
    ),
    "community feedback": Download(
        "bureau", lambda r, made: reverse("community:feedback_download", args=["xlsx"]) + "?org=D2J&quarter=2026Q3"
    ),
}

DOCUMENTS: dict[str, Download] = {
    "certificate": Download("served", lambda r, made: reverse("volunteering:certificate_docx")),
    "monthly notice": Download(
        "district_admin", lambda r, made: reverse("demands:notice_docx", args=[made.pk]), _notice
    ),
    "community feedback": Download(
        "bureau", lambda r, made: reverse("community:feedback_download", args=["docx"]) + "?org=D2J&quarter=2026Q3"
    ),
    "touring schedule": Download(
        "district_admin", lambda r, made: reverse("volunteering:tour_docx", args=[r.getfixturevalue("published").pk])
    ),
    "briefing": Download("district_admin", lambda r, made: reverse("briefings:docx", args=[made.pk]), _briefing),
}


def _download(request: Any, download: Download) -> bytes:
    made = download.setup(request)
    client = _client(request, download.user)
    url = download.url(request, made)
    response = client.get(url)
    assert response.status_code == 200, url
    if isinstance(response, StreamingHttpResponse):
        return response.getvalue()
    return response.content


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_every_workbook_prints_on_a4_with_its_header_dates_and_widths(request: Any, name: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_download(request, WORKBOOKS[name])))
    sheet = book.active
    assert sheet is not None
    setup = sheet.page_setup
    assert setup.paperSize == 9, "A4"
    assert sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    # A title row, then where and when, then the header: frozen, bold, repeated on each page.
    assert sheet["A1"].value and sheet["A1"].font.b
    assert "生成于" in str(sheet["A2"].value)
    header = 3
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"
    used = [c for c in sheet[header] if isinstance(c, Cell) and c.value not in (None, "")]
    assert used and all(c.font.b for c in used)
    for heading in used:
        assert sheet.column_dimensions[get_column_letter(heading.column)].customWidth, heading.value
    dates = 0
    for row in sheet.iter_rows(min_row=header + 1):
        for cell in row:
            if isinstance(cell.value, str):
                assert not DATE_AS_TEXT.match(cell.value), f"{cell.coordinate} is a date written as text"
            if isinstance(cell.value, (date, datetime)):
                assert cell.is_date
                dates += 1
    if name not in ("compliance",):
        assert dates, "the ledger's dates are date cells"


def test_the_sign_in_sheet_has_a_signature_column_and_rows_to_sign_in(request: Any) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_download(request, WORKBOOKS["sign-in sheet"])))
    sheet = book.active
    assert sheet is not None
    assert sheet.cell(3, sheet.max_column).value == "签名"
    assert "五月党课" in str(sheet["A1"].value)
    assert "2026-05-02 19:00" in str(sheet["A2"].value) and "东社区党支部" in str(sheet["A2"].value)
    assert (sheet.row_dimensions[4].height or 0) >= 28
    assert sheet.page_setup.orientation == "portrait"


def _tables_ok(document: Any) -> None:
    for table in document.tables:
        head = table.rows[0]._tr
        assert head.trPr is not None and head.trPr.find(qn("w:tblHeader")) is not None, "header repeats"
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
        widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(set(widths)) > 1, "columns sized to their contents"
        section = document.sections[-1]
        assert sum(widths) * 635 <= section.page_width - section.left_margin - section.right_margin + Mm(1)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_document_is_a4_with_whole_rows_and_a_repeated_header(request: Any, name: str) -> None:
    document = Document(io.BytesIO(_download(request, DOCUMENTS[name])))
    for section in document.sections:
        assert section.page_width is not None and section.page_height is not None
        size = sorted((section.page_width, section.page_height))
        assert abs(size[0] - A4_PORTRAIT[0]) < Mm(1) and abs(size[1] - A4_PORTRAIT[1]) < Mm(1), "A4"
    _tables_ok(document)
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert not re.search(r"[\u4e00-\u9fff]:", text), "full-width colons in Chinese text"


def test_the_certificate_has_a_seal_and_date_line_for_the_issuing_organization(request: Any) -> None:
    document = Document(io.BytesIO(_download(request, DOCUMENTS["certificate"])))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "（盖章）" in text and "日期：" in text
    assert "东社区党支部" in text


def test_the_community_feedback_downloads_under_a_chinese_file_name(request: Any) -> None:
    client = _client(request, "bureau")
    for fmt in ("xlsx", "docx"):
        response = client.get(reverse("community:feedback_download", args=[fmt]), {"org": "D2J", "quarter": "2026Q3"})
        disposition = response["Content-Disposition"]
        assert "filename*=utf-8''" in disposition
        name = unquote(disposition.split("filename*=utf-8''")[1])
        assert name == f"D2J_2026Q3_在职党员进社区报到情况反馈.{fmt}"


def test_development_dates_fit_their_columns(request: Any) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_download(request, WORKBOOKS["development"])))
    sheet = book.active
    assert sheet is not None
    for cell in sheet[4]:
        if isinstance(cell.value, datetime):
            assert (sheet.column_dimensions[cell.column_letter].width or 0) >= 11, "a date shows, not ###"


def _uploaded_roster() -> io.BytesIO:
    """A staff member's own sheet: a title, a header of three columns with their widths, and
    a note someone typed to the right of one row."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["东社区党员名册"])
    sheet.append(["姓名", "公民身份号码", "出生日期"])
    sheet.append(["张三", "110105196001010011", datetime(1960, 1, 1)])
    sheet.append(["李四", "坏号码", None, None, "备注：待核实"])
    for letter, width in (("A", 9), ("B", 23), ("C", 13), ("E", 17)):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_the_error_workbook_keeps_the_uploaded_layout_and_explains_after_the_last_used_column() -> None:
    from lianxin.core.spreadsheets import error_workbook_write

    out = io.BytesIO()
    error_workbook_write(
        source=_uploaded_roster(), target=out, header_row=2, errors={4: ["公民身份号码有误"]}, error_header="错误说明"
    )
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:3] == ["姓名", "公民身份号码", "出生日期"]
    # 错误说明 right after the last used column (E, the note), not at a fixed column such as AA
    assert sheet["F2"].value == "错误说明" and sheet["F4"].value == "公民身份号码有误"
    assert sheet["E4"].value == "备注：待核实" and sheet["F3"].value is None
    assert sheet.max_column == 6
    # the uploaded sheet's own widths, a bold frozen header
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCE"}
    assert widths == {"A": 9, "B": 23, "C": 13, "E": 17}
    assert all(sheet.cell(2, column).font.b for column in (1, 2, 3, 6))
    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.paperSize == 9 and sheet.print_title_rows == "$2:$2"
    assert sheet["C3"].is_date and sheet["A1"].value == "东社区党员名册"


def test_an_error_workbook_of_a_sheet_without_stored_widths_sizes_columns_by_their_headers() -> None:
    from lianxin.core.spreadsheets import error_workbook_write

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "确定发展对象日期"])
    sheet.append(["张三", "不是日期"])
    source = io.BytesIO()
    book.save(source)
    source.seek(0)
    out = io.BytesIO()
    error_workbook_write(source=source, target=out, header_row=1, errors={2: ["日期有误"]}, error_header="错误说明")
    copy = openpyxl.load_workbook(out).active
    assert copy is not None
    assert copy["C1"].value == "错误说明" and copy["C2"].value == "日期有误"
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    stored = {int(m[1]): float(m[2]) for m in re.finditer(r'<col min="(\d+)" max="\d+" width="([\d.]+)"', xml)}
    assert set(stored) == {1, 2, 3}, "every column sized"
    assert stored[2] >= 12


def test_widths_of_an_unreadable_or_hostile_upload_are_none_and_the_file_is_left_where_it_was() -> None:
    from lianxin.core.sheet_layout import sheet_column_widths

    junk = io.BytesIO(b"not a workbook")
    junk.seek(3)
    assert sheet_column_widths(junk) == {} and junk.tell() == 3
    laughs = io.BytesIO()
    with zipfile.ZipFile(laughs, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&b;</sheets></workbook>',
        )
    assert sheet_column_widths(laughs) == {}
    roster = _uploaded_roster()
    assert sheet_column_widths(roster) == {0: 9, 1: 23, 2: 13, 4: 17} and roster.tell() == 0


def test_long_text_in_a_ledger_wraps_in_a_row_tall_enough_and_dates_stay_dates() -> None:
    from lianxin.core.ledgers import LedgerColumn, ledger_open

    out = io.BytesIO()
    columns = [LedgerColumn("姓名", 10), LedgerColumn("受阻原因", 20), LedgerColumn("日期", 12)]
    with ledger_open(out, title="台账", where_and_when="东社区", columns=columns) as sheet:
        sheet.append(["张三", "确定为入党积极分子不满一年，2027-08-29起方可确定为发展对象。", date(2026, 1, 2)])
        sheet.append(["李四", "无", None])
    book = openpyxl.load_workbook(out).active
    assert book is not None
    assert book["B4"].alignment.wrap_text and (book.row_dimensions[4].height or 0) >= 3 * 14
    assert not book["B5"].alignment.wrap_text and book.row_dimensions[5].height is None
    assert book["C4"].is_date and book["A4"].value == "张三"

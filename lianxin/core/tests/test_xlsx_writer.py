import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils.translation import gettext_lazy
from lxml import etree

from lianxin.core.parsing import parse_date
from lianxin.core.spreadsheets import Column, SheetReader, workbook_write
from lianxin.core.xlsx_writer import STYLE_ERROR, XlsxWriter, sheet_name


class Level(IntEnum):
    HIGH = 2


@dataclass
class Person:
    name: str
    age: int | None
    score: float
    born: date | None
    active: bool
    note: str | None


def _keep(value: Any) -> Any:
    return value


COLUMNS = [
    Column(key="name", header="姓名", width=10),
    Column(key="age", header="年龄", parse=_keep, width=6),
    Column(key="score", header="分数", parse=_keep),
    Column(key="born", header="出生日期", parse=parse_date, width=14),
    Column(key="active", header="在职", parse=_keep, width=5),
    Column(key="note", header="备注", parse=_keep, width=30),
]

PEOPLE = [
    Person("张三 & <李四>", 42, 3.5, date(1980, 2, 29), True, "  前后有空格  "),
    Person("王五", None, -0.125, None, False, "第一行\n第二行"),
    Person("赵\x01六\x1f", 0, 1e-7, date(1900, 1, 1), True, None),
    Person("", 7, 12345678.25, date(2024, 12, 31), False, 'a "quote"\tand tab'),
]


def export(target: Any, people: list[Person] = PEOPLE, title: str = "名册 & 台账") -> int:
    return workbook_write(target=target, columns=COLUMNS, objects=iter(people), sheet_title=title)


def test_values_read_back_with_openpyxl() -> None:
    out = io.BytesIO()
    assert export(out) == 4
    book = openpyxl.load_workbook(out)
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "名册 & 台账"
    rows: list[list[Any]] = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["姓名", "年龄", "分数", "出生日期", "在职", "备注"]
    assert rows[1][:3] == ["张三 & <李四>", 42, 3.5]
    assert isinstance(rows[1][3], datetime) and rows[1][3].date() == date(1980, 2, 29)
    assert rows[1][4:] == [True, "  前后有空格  "]
    assert rows[2] == ["王五", None, -0.125, None, False, "第一行\n第二行"]
    assert rows[3][0] == "赵六"  # control characters dropped
    assert rows[3][1:3] == [0, 1e-7]
    assert rows[3][3].date() == date(1900, 1, 1)
    assert rows[3][5] is None
    assert rows[4][0] is None  # "" is an empty cell
    assert rows[4][3].date() == date(2024, 12, 31)
    assert rows[4][5] == 'a "quote"\tand tab'
    assert sheet.max_row == 5


def test_header_style_dates_frozen_row_and_widths() -> None:
    out = io.BytesIO()
    export(out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].is_date
    assert not sheet["C2"].is_date
    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert widths == {"A": 10, "B": 6, "C": 12, "D": 14, "E": 5, "F": 30}


def test_the_project_reader_reads_it_back(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    export(path)  # a path target as well as a file object
    with SheetReader(path, COLUMNS) as reader:
        assert reader.header_row == 1
        rows = list(reader)
    assert [r.number for r in rows] == [2, 3, 4, 5]
    assert all(not r.errors for r in rows)
    assert rows[0].values == {
        "name": "张三 & <李四>",
        "age": 42,
        "score": 3.5,
        "born": date(1980, 2, 29),
        "active": True,
        "note": "  前后有空格  ",
    }
    assert rows[1].values["born"] is None and rows[1].values["active"] is False
    assert rows[2].values["born"] == date(1900, 1, 1)
    assert rows[3].values["name"] == ""


def test_every_part_is_well_formed_xml() -> None:
    out = io.BytesIO()
    export(out, title='a<b>&"c"/[d]:e?*f\'' + "长" * 40)
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        for name in archive.namelist():
            etree.fromstring(archive.read(name))
        assert archive.getinfo("xl/worksheets/sheet1.xml").compress_type == zipfile.ZIP_DEFLATED
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert len(sheet.title) == 31
    assert sheet.title.startswith('a<b>&"c"_')


def test_sheet_name_rules() -> None:
    assert sheet_name("'党员:名册'") == "党员_名册"
    assert sheet_name("") == "Sheet1"
    assert sheet_name("x" * 40) == "x" * 31


def test_an_empty_export_has_just_the_header() -> None:
    out = io.BytesIO()
    assert export(out, people=[]) == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [[c.header for c in COLUMNS]]


def test_writer_keeps_row_numbers_styles_and_datetimes() -> None:
    out = io.BytesIO()
    with XlsxWriter(out, sheet_title="S", widths={2: 60}) as writer:
        writer.append(["title"], number=1)
        writer.append(["a", datetime(2001, 7, 1, 8, 30), "bad"], styles={2: STYLE_ERROR}, number=4)
        writer.append(["\r\n", 10**15])
        with pytest.raises(ValueError):
            writer.append(["late"], number=3)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert sheet["A1"].value == "title"
    assert sheet["A2"].value is None
    assert sheet["B4"].value == datetime(2001, 7, 1, 8, 30)
    assert sheet["C4"].fill.fgColor.rgb == "FFFFC7CE"
    assert sheet["C4"].alignment.wrap_text
    assert sheet["A5"].value == "\r\n"
    assert sheet["B5"].value == 10**15
    assert sheet.column_dimensions["C"].width == 60
    assert sheet.freeze_panes is None


def test_other_values_are_numbers_or_text() -> None:
    out = io.BytesIO()
    with XlsxWriter(out, sheet_title="S") as writer:
        writer.append([Decimal("1.50"), float("nan"), gettext_lazy("Yes"), Level.HIGH])
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == [1.5, "nan", "Yes", 2]


def test_print_setup_repeats_rows_of_a_sheet_whose_name_needs_quoting() -> None:
    from lianxin.core.xlsx_writer import STYLE_HEADER, PrintSetup

    out = io.BytesIO()
    setup = PrintSetup(landscape=True, repeat_rows=(2, 2))
    with XlsxWriter(out, sheet_title="O'Brien & 台账", freeze_rows=2, print_setup=setup) as writer:
        writer.append(["title"], height=24)
        writer.merge(1, 0, 1, 2)
        writer.append(["a", None, "c"], styles={0: STYLE_HEADER, 1: STYLE_HEADER, 2: STYLE_HEADER})
        writer.append([date(2026, 12, 28)])
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            etree.fromstring(archive.read(name))
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.freeze_panes == "A3"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:C1"]
    assert sheet.row_dimensions[1].height == 24
    assert sheet["B2"].border.left.style == "thin"  # an empty header cell is still drawn
    assert sheet["A3"].is_date


def test_a_workbook_of_several_sheets_written_one_after_another() -> None:
    from lianxin.core.xlsx_writer import PrintSetup

    out = io.BytesIO()
    with XlsxWriter(out, sheet_title="党员", widths={0: 20}, sheets=3) as writer:
        writer.append(["first"])
        writer.sheet_next(sheet_title="变动 'x' 表", freeze_rows=1, print_setup=PrintSetup(repeat_rows=(1, 2)))
        writer.append(["second", 2])
        with pytest.raises(ValueError):
            writer.append(["too early"], number=1)
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        for name in archive.namelist():
            etree.fromstring(archive.read(name))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["党员", "变动 'x' 表", "Sheet3"]  # a sheet declared but not started is empty
    assert book["党员"]["A1"].value == "first" and book["党员"].column_dimensions["A"].width == 20
    second = book["变动 'x' 表"]
    assert [c.value for c in second[1]] == ["second", 2]
    assert second.print_title_rows == "$1:$2" and second.freeze_panes == "A2"
    assert book["党员"].print_title_rows is None
    assert book["Sheet3"].max_row == 1 and book["Sheet3"]["A1"].value is None


def test_a_workbook_takes_no_more_sheets_than_it_was_opened_for() -> None:
    with XlsxWriter(io.BytesIO(), sheet_title="a") as writer, pytest.raises(ValueError):
        writer.sheet_next(sheet_title="b")

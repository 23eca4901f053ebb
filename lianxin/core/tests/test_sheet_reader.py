"""The sheet reader against hostile files: each is refused with a message, quickly and in little memory,
and what cells hold (dates, numbers, ID numbers as text, empty cells) comes out as before."""

import io
import resource
import time
from collections.abc import Iterator
from datetime import date, datetime
from datetime import time as time_of_day
from typing import Any

import openpyxl
import pytest
from django.utils import translation
from pytest_django.fixtures import Settings

from lianxin.core.spreadsheets import Column, SheetReader, SpreadsheetError
from lianxin.core.tests import hostile_workbooks as hostile


def _keep(value: Any) -> Any:
    return value


COLUMNS = [
    Column(key="name", header="姓名", parse=_keep, required=True),
    Column(key="id", header="身份证号", parse=_keep),
]
HEADERS = [c.header for c in COLUMNS]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _refusal(content: bytes) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as exc, SheetReader(io.BytesIO(content), COLUMNS) as reader:
        list(reader)
    return exc.value


@pytest.mark.parametrize("case", sorted(hostile.HOSTILE))
def test_a_hostile_file_is_refused_quickly_in_little_memory(case: str) -> None:
    content = hostile.HOSTILE[case](HEADERS)
    peak_before, started = _peak_mb(), time.monotonic()
    error = _refusal(content)
    assert time.monotonic() - started < 5
    # Today's reader grew to gigabytes on the 4 KB far_column file; the process's peak stays where it was.
    assert _peak_mb() - peak_before < 100
    expected = "too_many_columns" if case == "far_column" else "not_a_workbook"
    assert error.code == expected
    assert error.message


def test_the_far_column_message_says_what_to_do_in_english_and_chinese() -> None:
    content = hostile.far_column(HEADERS)
    assert "delete the columns to the right of the table" in _refusal(content).message
    with translation.override("zh-hans"):
        assert "请删除表格右侧的列" in _refusal(content).message


def test_a_sheet_over_the_row_limit_is_refused(settings: Settings) -> None:
    settings.LIANXIN_SHEET_MAX_ROWS = 1000
    error = _refusal(hostile.rows_beyond(HEADERS, 1001))
    assert error.code == "too_many_rows"
    assert "more than 1000 rows" in error.message
    # A row at the limit is read.
    with SheetReader(io.BytesIO(hostile.rows_beyond(HEADERS, 1000)), COLUMNS) as reader:
        assert [row.number for row in reader] == [1000]


def test_the_last_row_excel_allows_is_refused_without_reading_the_rows_between() -> None:
    error = _refusal(hostile.rows_beyond(HEADERS, 1_048_576))
    assert error.code == "too_many_rows"


def test_a_caller_may_set_a_lower_row_limit() -> None:
    with pytest.raises(SpreadsheetError) as exc:
        SheetReader(io.BytesIO(hostile.rows_beyond(HEADERS, 60)), COLUMNS, max_rows=50)
    assert exc.value.code == "too_many_rows"


def test_a_sheet_over_the_cell_limit_is_refused(settings: Settings) -> None:
    settings.LIANXIN_SHEET_MAX_CELLS = 500
    rows = hostile.header_row(HEADERS) + '<row r="300"><c r="B300"><v>1</v></c></row>'
    error = _refusal(hostile.xlsx_bytes(rows))
    assert error.code == "too_many_cells"
    assert "300 rows by 2 columns" in error.message


def test_cells_without_references_count_towards_the_column_limit(settings: Settings) -> None:
    settings.LIANXIN_SHEET_MAX_COLUMNS = 100
    rows = hostile.header_row(HEADERS) + '<row r="2">' + "<c><v>1</v></c>" * 101 + "</row>"
    assert _refusal(hostile.xlsx_bytes(rows)).code == "too_many_columns"


def test_a_reference_hidden_behind_a_quoted_bracket_is_still_seen() -> None:
    rows = hostile.header_row(HEADERS) + '<row r="2"><c x=">" r="ZZZZZ2"><v>1</v></c></row>'
    assert _refusal(hostile.xlsx_bytes(rows)).code == "too_many_columns"


def test_a_row_number_beyond_32_bits_is_refused_not_wrapped_around() -> None:
    rows = hostile.header_row(HEADERS) + '<row r="2"><c r="A4294967298"><v>1</v></c></row>'
    assert _refusal(hostile.xlsx_bytes(rows)).code == "too_many_rows"


# ------------------------------------------------------------------ what the cells hold


def _workbook(*rows: list[Any]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*HEADERS, "其他"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _cells(*rows: list[Any]) -> list[tuple[Any, ...]]:
    with SheetReader(_workbook(*rows), COLUMNS) as reader:
        return [row.cells for row in reader]


def test_dates_come_out_as_date_times_and_times_as_times() -> None:
    [cells] = _cells(["甲", date(2001, 7, 1), time_of_day(8, 30)])
    assert cells == ("甲", datetime(2001, 7, 1), time_of_day(8, 30))
    [cells] = _cells(["乙", datetime(2026, 11, 20, 9, 30)])
    assert cells == ("乙", datetime(2026, 11, 20, 9, 30))


def test_id_numbers_stay_text_and_whole_numbers_stay_integers() -> None:
    id_number = "330102197407010019"
    [text, number, fraction] = _cells(["甲", id_number], ["乙", 330102740701001], ["丙", 1.5])
    assert text == ("甲", id_number) and isinstance(text[1], str)
    assert number == ("乙", 330102740701001) and isinstance(number[1], int)
    assert fraction == ("丙", 1.5)


def test_empty_cells_are_none_and_trailing_ones_are_dropped() -> None:
    [cells] = _cells(["甲", "", None])
    assert cells == ("甲",)
    [cells] = _cells([None, "身份证号", "备注"])
    assert cells == (None, "身份证号", "备注")


def test_rows_keep_their_numbers_when_the_first_rows_and_columns_are_empty() -> None:
    rows = (
        '<row r="3"><c r="C3" t="inlineStr"><is><t>姓名</t></is></c></row>'
        '<row r="5"><c r="C5" t="inlineStr"><is><t>张三</t></is></c><c r="D5" t="b"><v>1</v></c></row>'
    )
    with SheetReader(io.BytesIO(hostile.xlsx_bytes(rows)), COLUMNS) as reader:
        assert reader.header_row == 3
        [row] = list(reader)
    assert row.number == 5
    assert row.cells == (None, None, "张三", True)
    assert row.values == {"name": "张三"}


def test_a_reference_written_inside_another_attributes_value_does_not_hide_the_real_one() -> None:
    rows = hostile.header_row(HEADERS) + """<row r="2"><c foo=' r="A2"' r="ZZZZZ2"><v>1</v></c></row>"""
    # Refused as two references on one tag, never read as a cell in column A.
    assert _refusal(hostile.xlsx_bytes(rows)).code == "not_a_workbook"


def test_an_error_cell_reads_as_its_text_whether_or_not_cells_have_references() -> None:
    for ref in ('r="B2" ', ""):
        rows = hostile.header_row(HEADERS) + (
            f'<row r="2"><c r="A2" t="inlineStr"><is><t>李四</t></is></c><c {ref}t="e"><v>#N/A</v></c></row>'
        )
        with SheetReader(io.BytesIO(hostile.xlsx_bytes(rows)), COLUMNS) as reader:
            [row] = list(reader)
        assert row.values == {"name": "李四", "id": "#N/A"}, ref


def test_a_cell_with_two_references_is_refused() -> None:
    rows = hostile.header_row(HEADERS) + '<row r="2"><c r="A2" r="ZZZZZ2"><v>1</v></c></row>'
    assert _refusal(hostile.xlsx_bytes(rows)).code == "not_a_workbook"

"""Hostile .xlsx files, written as zip and XML bytes directly (no library would write them).

Each takes the header cells a real sheet of the caller has, so that only the hostile part
differs from a file the import would accept.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# Nine levels of ten: a billion "lol"s from a few hundred bytes if a parser expands them.
def _laughs() -> str:
    entities = ['<!ENTITY lol1 "lol">']
    entities += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)]
    return "<!DOCTYPE worksheet [" + "".join(entities) + "]>"


LAUGHS_DOCTYPE = _laughs()


def _letters(column: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inline_cell(ref: str, text: object) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(text))}</t></is></c>'


def header_row(headers: Sequence[str], number: int = 1) -> str:
    cells = "".join(inline_cell(f"{_letters(i + 1)}{number}", h) for i, h in enumerate(headers))
    return f'<row r="{number}">{cells}</row>'


def xlsx_bytes(sheet_data: str, *, strings: Sequence[str] = (), doctype: str = "") -> bytes:
    """A one-sheet workbook whose sheet holds `sheet_data` (the rows), with a shared string table."""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>",
        "xl/worksheets/sheet1.xml": (
            f'{doctype}<worksheet xmlns="{_MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, _DECLARATION + xml)
    return out.getvalue()


def far_column(headers: Sequence[str]) -> bytes:
    """A 4 KB workbook whose second row has a cell in column ZZZZZ (about 12 million columns)."""
    return xlsx_bytes(header_row(headers) + f'<row r="2">{inline_cell("ZZZZZ2", "x")}</row>')


def rows_beyond(headers: Sequence[str], last_row: int) -> bytes:
    """The header, then one cell on row `last_row` (the rows between are not stored)."""
    return xlsx_bytes(header_row(headers) + f'<row r="{last_row}">{inline_cell(f"A{last_row}", "x")}</row>')


def shared_string_out_of_range(headers: Sequence[str]) -> bytes:
    """A cell pointing at shared string 99 of a table of one."""
    return xlsx_bytes(header_row(headers) + '<row r="2"><c r="A2" t="s"><v>99</v></c></row>', strings=["only"])


def reference_without_letters(headers: Sequence[str]) -> bytes:
    """A cell referenced as "2" rather than "A2"."""
    return xlsx_bytes(header_row(headers) + f'<row r="2">{inline_cell("2", "x")}</row>')


def billion_laughs(headers: Sequence[str]) -> bytes:
    """A sheet declaring nested entities and using the last one in a cell."""
    rows = header_row(headers) + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return xlsx_bytes(rows, doctype=LAUGHS_DOCTYPE)


def renamed_text_file(_headers: Sequence[str]) -> bytes:
    """A CSV file named .xlsx."""
    return "工单编号,姓名\nGD001,张三\n".encode()


def empty_file(_headers: Sequence[str]) -> bytes:
    return b""


HOSTILE: dict[str, Callable[[Sequence[str]], bytes]] = {
    "far_column": far_column,
    "shared_string_out_of_range": shared_string_out_of_range,
    "reference_without_letters": reference_without_letters,
    "billion_laughs": billion_laughs,
    "renamed_text_file": renamed_text_file,
    "empty_file": empty_file,
}

"""A streaming writer for one-sheet .xlsx workbooks.

openpyxl's write-only mode spends most of an export building a cell object per value
and serialising it through its generic XML machinery. Exports only need a handful of
cell kinds and styles, so this writer builds each row's XML as a string and streams it
into the zip: a 100,000-row roster is written several times faster, in flat memory.

Cells are inline strings (no shared string table to hold in memory), numbers, booleans,
or dates as Excel serial numbers with a date style. None and "" cells are left out.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import IO, Any

from openpyxl.utils import get_column_letter

__all__ = ["STYLE_BOLD", "STYLE_DATE", "STYLE_DATETIME", "STYLE_ERROR", "XlsxWriter"]

Target = str | os.PathLike[str] | IO[bytes]

# Indexes into cellXfs of the stylesheet below.
STYLE_BOLD = 1
STYLE_DATE = 2
STYLE_DATETIME = 3
STYLE_ERROR = 4  # Excel's own "Bad" style, which staff recognise

# Fast enough to compress 100,000 rows in about a second; level 6 is ~3x slower for a ~10% smaller file.
COMPRESS_LEVEL = 3
# Rows are joined and encoded in batches: one zip write per row costs more than the XML.
ROWS_PER_WRITE = 500

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT_SHEET}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT_SHEET}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CT_SHEET}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_OFFICE_DOC}" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'
)
# Fonts: normal, bold, dark red. Fills: the two Excel requires, then light red.
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><color rgb="FF9C0006"/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor rgb="FFFFC7CE"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_FROZEN_HEADER = (
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews>"
)

# Characters XML 1.0 cannot hold (control characters but tab, newline and CR; lone surrogates,
# U+FFFE/U+FFFF): dropped. CR is written as a reference, or readers would turn it into a newline.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_WORK = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;"})
# Excel refuses these in sheet names (line breaks too).
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\t\n\r]")

_EPOCH = datetime(1899, 12, 30)
_EPOCH_ORDINAL = _EPOCH.toordinal()


def _escape(text: str) -> str:
    if _NEEDS_WORK.search(text) is None:  # nearly every cell: nothing to do
        return text
    return _ILLEGAL.sub("", text).translate(_ENTITIES)


def _serial_days(value: date) -> int:
    days = value.toordinal() - _EPOCH_ORDINAL
    # Excel counts a 29 February 1900 that never was; openpyxl shifts the days before it likewise.
    return days - 1 if 0 < days <= 60 else days


def sheet_name(title: str) -> str:
    """A name Excel accepts: no []:*?/\\ or line breaks, no quote at either end, at most 31 characters."""
    name = _SHEET_NAME_FORBIDDEN.sub("_", _ILLEGAL.sub("", title)).strip("'")[:31].rstrip("'")
    return name or "Sheet1"


class XlsxWriter:
    """Write one worksheet row by row into `target` (a path or a binary file object).

    Column widths and the frozen header row come first in the sheet's XML, so they are
    given up front. Use as a context manager, or call :meth:`close` to finish the file.
    """

    def __init__(
        self,
        target: Target,
        *,
        sheet_title: str,
        widths: Mapping[int, float] | None = None,
        freeze_header: bool = False,
    ) -> None:
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        name = sheet_name(sheet_title).translate(_ENTITIES)  # an attribute: quotes too
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w")
        head = [f'{_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">']
        if freeze_header:
            head.append(_FROZEN_HEADER)
        if widths:  # <col> counts from 1
            widths = {index + 1: width for index, width in widths.items()}
            head.append("<cols>")
            head += (f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in sorted(widths.items()))
            head.append("</cols>")
        head.append("<sheetData>")
        self._buffer: list[str] = ["".join(head)]
        self._letters: list[str] = []
        self.row_number = 0  # the last row written

    def append(self, values: Sequence[Any], *, styles: Mapping[int, int] | None = None, number: int = 0) -> None:
        """Write a row of `values` (by 0-based column) as row `number`, by default the next one.

        `styles` maps columns to a STYLE_* for their cells; dates get STYLE_DATE on their own.
        """
        number = number or self.row_number + 1
        if number <= self.row_number:
            raise ValueError(f"row {number} comes after row {self.row_number}")
        self.row_number = number
        letters = self._letters
        while len(letters) < len(values):
            letters.append(get_column_letter(len(letters) + 1))
        row = str(number)
        cells = [f'<row r="{row}">']
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            style = styles.get(index, 0) if styles else 0
            cells.append(_cell(letters[index] + row, value, style))
        cells.append("</row>")
        self._buffer.append("".join(cells))
        if len(self._buffer) >= ROWS_PER_WRITE:
            self._flush()

    def _flush(self) -> None:
        self._sheet.write("".join(self._buffer).encode())
        self._buffer.clear()

    def close(self) -> None:
        if self._zip.fp is None:  # already closed
            return
        try:
            self._buffer.append("</sheetData></worksheet>")
            self._flush()
        finally:
            self._sheet.close()
            self._zip.close()

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _cell(ref: str, value: Any, style: int) -> str:
    kind = type(value)
    # Exact types first: they are almost every cell, and bool is an int, datetime a date.
    if kind is str:
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is></c>'
    if kind is date:
        return f'<c r="{ref}" s="{style or STYLE_DATE}"><v>{_serial_days(value)}</v></c>'
    if kind is bool:
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, int):
            number = str(int(value))  # int(): an int enum member may format as its name
        elif not math.isfinite(value):
            return _cell(ref, str(value), style)  # Excel has no NaN or infinity
        else:
            number = repr(float(value)) if isinstance(value, float) else str(value)
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s}><v>{number}</v></c>'
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise TypeError("Excel does not support timezones: convert datetimes to naive local time first")
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return f'<c r="{ref}" s="{style or STYLE_DATETIME}"><v>{_serial_days(value) + seconds / 86400!r}</v></c>'
    if isinstance(value, date):
        return _cell(ref, date(value.year, value.month, value.day), style)
    # str subclasses (SafeString), lazy translations, anything else: as text.
    return _cell(ref, str(value), style)

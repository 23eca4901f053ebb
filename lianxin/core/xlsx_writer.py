"""A streaming writer for .xlsx workbooks of one sheet, or of a few written one after another.

openpyxl's write-only mode spends most of an export building a cell object per value
and serialising it through its generic XML machinery. Exports only need a handful of
cell kinds and styles, so this writer builds each row's XML as a string and streams it
into the zip: a 100,000-row roster is written several times faster, in flat memory.

Cells are inline strings (no shared string table to hold in memory), numbers, booleans,
or dates as Excel serial numbers with a date style. None and "" cells are left out.

Sheets people print also get what a printer needs (:class:`PrintSetup`): A4 paper, the
orientation, fit to the page's width, header rows repeated on every page, merged title
cells and taller rows where people sign. XlsxWriter's constant-memory mode writes the same
file about ten times slower (bench/sheet_writer.py, docs/performance.md).
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import IO, Any

from openpyxl.utils import get_column_letter

__all__ = [
    "STYLE_BOLD",
    "STYLE_DATE",
    "STYLE_DATETIME",
    "STYLE_ERROR",
    "STYLE_HEADER",
    "STYLE_MINUTES",
    "STYLE_NOTE",
    "STYLE_TITLE",
    "STYLE_WRAP",
    "PrintSetup",
    "XlsxWriter",
]

Target = str | os.PathLike[str] | IO[bytes]

# Indexes into cellXfs of the stylesheet below.
STYLE_BOLD = 1
STYLE_DATE = 2
STYLE_DATETIME = 3
STYLE_ERROR = 4  # Excel's own "Bad" style, which staff recognise
STYLE_TITLE = 5  # a sheet's title row: bold, larger
STYLE_NOTE = 6  # the line under the title: where, when, generated at
STYLE_HEADER = 7  # a header row: bold, wrapped, centred, with a light fill and borders
STYLE_MINUTES = 8  # a date and time to the minute, as ledgers show it
STYLE_WRAP = 9  # text that wraps inside its column (long text never spills over the print area)

# SpreadsheetML's paperSize for A4.
PAPER_A4 = 9

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

_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_OFFICE_DOC}" Target="xl/workbook.xml"/></Relationships>'
)


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT_SHEET}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT_SHEET}.sheet.main+xml"/>'
        f"{overrides}"
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT_SHEET}.styles+xml"/>'
        "</Types>"
    )


def _workbook_rels(sheets: int) -> str:
    # The sheets are rId1..rIdN, the styles the one after them.
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{relations}'
        f'<Relationship Id="rId{sheets + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'
    )


# Fonts: normal, bold, dark red, title (bold, 14), note (grey, 10).
# Fills: the two Excel requires, light red, light grey. Borders: none, thin all round.
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="5"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><color rgb="FF9C0006"/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font>'
    '<font><color rgb="FF595959"/><sz val="10"/><name val="Calibri"/></font></fonts>'
    '<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor rgb="FFFFC7CE"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor rgb="FFEDEDED"/></patternFill></fill>'
    "</fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="10"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"'
    ' applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints: A4, portrait or landscape, fit to one page wide (as many pages
    long as it takes), with the first `repeat_rows` rows (title and header) on every page."""

    landscape: bool = False
    repeat_rows: tuple[int, int] | None = None  # first and last row (from 1) repeated on each page
    gridlines: bool = True  # print cell borders, as a ledger on paper has them


def _frozen(rows: int) -> str:
    return (
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{rows}" topLeftCell="A{rows + 1}" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
    )


def _print_tail(setup: PrintSetup) -> str:
    """printOptions, pageMargins and pageSetup, in the order the schema wants them after sheetData."""
    options = '<printOptions horizontalCentered="1" gridLines="1"/>' if setup.gridlines else ""
    orientation = "landscape" if setup.landscape else "portrait"
    return (
        f"{options}"
        '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="{PAPER_A4}" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>'
        "<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>"
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
    """Write a worksheet row by row into `target` (a path or a binary file object).

    Column widths and the frozen header row come first in the sheet's XML, so they are
    given up front. A workbook of several sheets says how many (`sheets`) and starts each
    after the first with :meth:`sheet_next`; they are written one after another. Use as a
    context manager, or call :meth:`close` to finish the file.
    """

    def __init__(
        self,
        target: Target,
        *,
        sheet_title: str,
        widths: Mapping[int, float] | None = None,
        freeze_header: bool = False,
        freeze_rows: int = 0,
        print_setup: PrintSetup | None = None,
        sheets: int = 1,
    ) -> None:
        if sheets < 1:
            raise ValueError("a workbook has at least one sheet")
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        # The package's parts first (readers look for them there); the workbook, which names the
        # sheets and their print titles, when the last sheet is done.
        self._zip.writestr("[Content_Types].xml", _content_types(sheets))
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._sheet_count = sheets
        self._names: list[str] = []
        self._defined: list[str] = []
        self._sheet: IO[bytes] | None = None
        self._open_sheet(sheet_title, widths, freeze_rows or (1 if freeze_header else 0), print_setup)

    def sheet_next(
        self,
        *,
        sheet_title: str,
        widths: Mapping[int, float] | None = None,
        freeze_rows: int = 0,
        print_setup: PrintSetup | None = None,
    ) -> None:
        """Finish the sheet being written and start the next one: rows go to it from row 1."""
        if len(self._names) >= self._sheet_count:
            raise ValueError(f"this workbook was opened for {self._sheet_count} sheet(s)")
        self._close_sheet()
        self._open_sheet(sheet_title, widths, freeze_rows, print_setup)

    def _open_sheet(
        self, sheet_title: str, widths: Mapping[int, float] | None, freeze_rows: int, print_setup: PrintSetup | None
    ) -> None:
        index = len(self._names)
        title = sheet_name(sheet_title)
        if title in self._names:  # Excel refuses two sheets of one name
            title = sheet_name(f"{title[:27]} ({index + 1})")
        self._names.append(title)
        if print_setup is not None and print_setup.repeat_rows:
            first, last = print_setup.repeat_rows
            quoted = "'" + title.replace("'", "''") + "'"
            self._defined.append(
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                f"{_escape(quoted)}!${first}:${last}</definedName>"
            )
        self._sheet = self._zip.open(f"xl/worksheets/sheet{index + 1}.xml", "w")
        head = [f'{_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">']
        if print_setup is not None:
            head.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        if freeze_rows:
            head.append(_frozen(freeze_rows))
        if widths:  # <col> counts from 1
            widths = {index + 1: width for index, width in widths.items()}
            head.append("<cols>")
            head += (f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in sorted(widths.items()))
            head.append("</cols>")
        head.append("<sheetData>")
        self._buffer: list[str] = ["".join(head)]
        self._letters: list[str] = []
        self._merges: list[str] = []
        self._print_setup = print_setup
        self.row_number = 0  # the last row written

    def _close_sheet(self) -> None:
        """Write the end of the sheet being written and close its part."""
        assert self._sheet is not None
        try:
            self._buffer.append("</sheetData>")
            if self._merges:
                self._buffer.append(f'<mergeCells count="{len(self._merges)}">{"".join(self._merges)}</mergeCells>')
            if self._print_setup is not None:
                self._buffer.append(_print_tail(self._print_setup))
            self._buffer.append("</worksheet>")
            self._flush()
        finally:
            self._sheet.close()
            self._sheet = None

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Merge a block of cells (rows from 1, columns from 0), such as a title across the table."""
        start = get_column_letter(first_column + 1) + str(first_row)
        self._merges.append(f'<mergeCell ref="{start}:{get_column_letter(last_column + 1)}{last_row}"/>')

    def append(
        self,
        values: Sequence[Any],
        *,
        styles: Mapping[int, int] | None = None,
        number: int = 0,
        height: float | None = None,
    ) -> None:
        """Write a row of `values` (by 0-based column) as row `number`, by default the next one.

        `styles` maps columns to a STYLE_* for their cells; dates get STYLE_DATE on their own.
        A style given for a column whose cell is empty still draws it (a header's borders,
        a box to sign in). `height` is the row's height in points (a row people sign in).
        """
        number = number or self.row_number + 1
        if number <= self.row_number:
            raise ValueError(f"row {number} comes after row {self.row_number}")
        self.row_number = number
        letters = self._letters
        while len(letters) < len(values):
            letters.append(get_column_letter(len(letters) + 1))
        row = str(number)
        cells = [f'<row r="{row}" ht="{height}" customHeight="1">' if height else f'<row r="{row}">']
        for index, value in enumerate(values):
            style = styles.get(index, 0) if styles else 0
            if value is None or value == "":
                if style:
                    cells.append(f'<c r="{letters[index]}{row}" s="{style}"/>')
                continue
            cells.append(_cell(letters[index] + row, value, style))
        cells.append("</row>")
        self._buffer.append("".join(cells))
        if len(self._buffer) >= ROWS_PER_WRITE:
            self._flush()

    def _flush(self) -> None:
        assert self._sheet is not None
        self._sheet.write("".join(self._buffer).encode())
        self._buffer.clear()

    def close(self) -> None:
        if self._zip.fp is None:  # already closed
            return
        try:
            self._close_sheet()
            # Sheets declared but never started are written empty, so the package holds every part it lists.
            while len(self._names) < self._sheet_count:
                self._open_sheet(f"Sheet{len(self._names) + 1}", None, 0, None)
                self._close_sheet()
            sheets = "".join(
                f'<sheet name="{name.translate(_ENTITIES)}" sheetId="{n}" r:id="rId{n}"/>'  # an attribute: quotes too
                for n, name in enumerate(self._names, start=1)
            )
            defined = f"<definedNames>{''.join(self._defined)}</definedNames>" if self._defined else ""
            self._zip.writestr(
                "xl/workbook.xml",
                f'{_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
                '<bookViews><workbookView activeTab="0"/></bookViews>'
                f"<sheets>{sheets}</sheets>{defined}</workbook>",
            )
        finally:
            if self._sheet is not None:
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

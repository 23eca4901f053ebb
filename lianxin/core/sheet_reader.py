"""The cell values of a workbook's active worksheet, read by python-calamine inside checked bounds.

calamine (Rust) reads a sheet several times faster than parsing its XML in Python, but it
holds the sheet as one dense block from the first used cell to the last: a single cell in
column ZZZZZ or on row 1,048,576 makes it allocate gigabytes (or abort the process), and a
row or column number beyond 32 bits wraps around. So the sheet's XML is first scanned for
its row and cell references (one pass of a regular expression over the unpacked stream,
nothing kept), and a sheet beyond the limits is refused before calamine sees it:

- ``LIANXIN_SHEET_MAX_ROWS`` (default 200,000): the last row number;
- ``LIANXIN_SHEET_MAX_COLUMNS`` (default 256, column IV): the last column;
- ``LIANXIN_SHEET_MAX_CELLS`` (default 6,000,000): rows × columns of the block calamine holds;
- ``LIANXIN_SHEET_MAX_UNPACKED_MB`` (default 400): the sheet and its shared strings unpacked.

Entities are never expanded (calamine refuses a DTD's entities; the billion-laughs file is
"not a workbook"). openpyxl reads the small parts around the sheet: the list of sheets and
which one is active. Values follow openpyxl's `data_only` reading, as the reader before
this one did: cached formula results, dates as datetimes, whole numbers as int, an error
cell as its text (#N/A), empty cells as None.
"""

from __future__ import annotations

import logging
import os
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.reader.excel import ExcelReader
from openpyxl.xml.constants import SHARED_STRINGS

logger = logging.getLogger(__name__)

__all__ = ["NOT_A_WORKBOOK", "SheetStream", "SpreadsheetError"]

Source = str | os.PathLike[str] | IO[bytes]

DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_COLUMNS = 256
DEFAULT_MAX_CELLS = 6_000_000
DEFAULT_MAX_UNPACKED_MB = 400
EXCEL_MAX_ROWS = 1_048_576
CHUNK = 1 << 20


class SpreadsheetError(Exception):
    """The file as a whole cannot be used: not a workbook, no header, a missing column."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


NOT_A_WORKBOOK = gettext_lazy(
    "This file is not an Excel workbook (.xlsx) or it is damaged. Open it in Excel or WPS and save it as .xlsx."
)


def not_a_workbook() -> SpreadsheetError:
    return SpreadsheetError(str(NOT_A_WORKBOOK), code="not_a_workbook")


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# A row or cell start tag, with any namespace prefix; its attributes are matched one by one,
# so that a ">" inside a quoted value cannot hide the reference behind it. A start tag that
# does not fit (a second alternative) makes the sheet unreadable.
_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>"
    rb"|<(?:[A-Za-z_][\w.-]*:)?(?:row|c)[\s/>]"
)
_REF = re.compile(rb"""(?:^|\s)r\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(rb"([A-Za-z]{1,12})([0-9]{1,12})")
_ROW_REF = re.compile(rb"[0-9]{1,12}")
# The fast pass, for sheets as Excel, WPS and openpyxl write them: every row and cell tag
# starts with its reference, so each is found by a literal search, and " r=" appears nowhere else.
_CELL_REFS = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"')
_ROW_REFS = re.compile(rb'<row r="([0-9]+)"')
_ERROR_CELLS = re.compile(rb"""<(?:[\w.-]+:)?c\s([^>]*?\bt\s*=\s*["']e["'][^>]*)>""")
_ERROR_TYPE = re.compile(rb"""(?:^|\s)t\s*=\s*["']e["']""")
_ERROR_VALUE = re.compile(rb"(?:\s*<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>[^<]*</(?:[\w.-]+:)?f>))?\s*<(?:[\w.-]+:)?v>([^<]*)<")


def _column_number(letters: bytes) -> int:
    """1-based column of a reference's letters: b"A" -> 1, b"AB" -> 28."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


class _Bounds:
    """What a scan of the sheet's XML found: the last row and column, stored rows, error cells."""

    def __init__(self, max_rows: int, max_columns: int) -> None:
        self.max_rows, self.max_columns = max_rows, max_columns
        self.last_row = self.last_column = self.stored_rows = 0
        self.errors: dict[int, dict[int, str]] = {}  # row -> column -> "#N/A" (1-based)
        self._row = self._column = 0

    def scan_fast(self, data: bytes) -> bool:
        """Check a stretch of whole rows whose every row and cell has its reference, in C-speed passes.

        False when some row or cell has no reference (or an unusual tag): `scan` must read the sheet then.
        """
        cells = _CELL_REFS.findall(data)
        rows = _ROW_REFS.findall(data)
        cell_tags = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")
        row_tags = data.count(b"<row ") + data.count(b"<row>") + data.count(b"<row/>")
        if len(cells) != cell_tags or len(rows) != row_tags or data.count(b' r="') != len(cells) + len(rows):
            return False  # a tag without its reference first, a second reference, or " r=" in a text
        self.stored_rows += row_tags
        if cells:
            last_column = max(map(_column_number, {letters for letters, _digits in cells}))
            if last_column > self.max_columns:
                raise self._column_error()
            self.last_column = max(self.last_column, last_column)
        for number in {int(digits) for _letters, digits in cells} | {int(digits) for digits in rows}:
            self._check_row(number)
        for match in _ERROR_CELLS.finditer(data):
            ref = _REF.search(match.group(1))
            cell = _CELL_REF.fullmatch(ref.group(1)) if ref is not None else None
            if cell is None or match.group(0).endswith(b"/>"):
                return False
            value = _ERROR_VALUE.match(data, match.end())
            text = value.group(1).decode(errors="replace") if value else "#VALUE!"
            self.errors.setdefault(int(cell.group(2)), {})[_column_number(cell.group(1))] = text
        return True

    def _column_error(self) -> SpreadsheetError:
        return SpreadsheetError(
            _(
                "The sheet has cells beyond its first %(max)d columns; delete the columns "
                "to the right of the table and save it again."
            )
            % {"max": self.max_columns},
            code="too_many_columns",
        )

    def scan(self, data: bytes) -> None:
        for match in _TAG.finditer(data):
            kind, attributes = match.group(1), match.group(2)
            if kind is None:
                raise not_a_workbook()
            refs = _REF.findall(attributes) if b"r" in attributes else []
            if len(refs) > 1:  # two references on one tag: which would a reader take?
                raise not_a_workbook()
            ref = refs[0] if refs else None
            if kind == b"row":
                self.stored_rows += 1
                if ref is not None:
                    if not _ROW_REF.fullmatch(ref):
                        raise self._row_error(ref)
                    self._row = int(ref)
                else:
                    self._row += 1
                self._column = 0
                self._check_row(self._row)
                continue
            if ref is not None:
                cell = _CELL_REF.fullmatch(ref)
                if cell is None:  # no letters, or no digits
                    raise not_a_workbook()
                self._column = _column_number(cell.group(1))
                self._check_row(int(cell.group(2)))
            else:
                self._column += 1
            if self._column > self.last_column:
                if self._column > self.max_columns:
                    raise self._column_error()
                self.last_column = self._column
            if attributes and _ERROR_TYPE.search(attributes) and not match.group(0).endswith(b"/>"):
                value = _ERROR_VALUE.match(data, match.end())
                text = value.group(1).decode(errors="replace") if value else "#VALUE!"
                self.errors.setdefault(self._row, {})[self._column] = text

    def _check_row(self, number: int) -> None:
        if number > self.last_row:
            if number > self.max_rows:
                raise self._row_error(b"")
            self.last_row = number

    def _row_error(self, ref: bytes) -> SpreadsheetError:
        if ref and not ref.isdigit():
            return not_a_workbook()
        return SpreadsheetError(
            _("The sheet has more than %(max)d rows; split it into several files.") % {"max": self.max_rows},
            code="too_many_rows",
        )


def _scan(archive: zipfile.ZipFile, path: str, bounds: _Bounds | None, budget: int, *, fast: bool = False) -> int:
    """Stream one part, scanning it if `bounds` is given; return the budget left.

    With `fast`, raises _NeedsFullScan when a stretch has rows or cells without references.
    """
    tail = b""
    with archive.open(path) as xml:
        while chunk := xml.read(CHUNK):
            budget -= len(chunk)
            if budget < 0:
                mb = _limit("LIANXIN_SHEET_MAX_UNPACKED_MB", DEFAULT_MAX_UNPACKED_MB)
                raise SpreadsheetError(
                    _("The workbook is larger than %(mb)d MB unpacked; split it into several files.") % {"mb": mb},
                    code="too_large",
                )
            if bounds is None:
                continue
            data = tail + chunk
            # Cut after the last complete row (or before the last tag), so no tag or cell is split.
            cut = data.rfind(b"row>")
            cut = cut + 4 if cut >= 0 else data.rfind(b"<")
            if cut < 0:  # no tag at all in this chunk
                cut = len(data)
            if fast:
                if not bounds.scan_fast(data[:cut]):
                    raise _NeedsFullScan
            else:
                bounds.scan(data[:cut])
            tail = data[cut:]
    if bounds is not None:
        if fast:
            if not bounds.scan_fast(tail):
                raise _NeedsFullScan
        else:
            bounds.scan(tail)
    return budget


class _NeedsFullScan(Exception):
    pass


def _cell(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        # Whole numbers as int, as they are written in the file (an ID number typed as a number).
        return int(value) if value.is_integer() and -(2**53) <= value <= 2**53 else value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value


class SheetStream:
    """The cell values of a workbook's active worksheet, row by row (rows without a value are skipped).

    `max_rows` lowers the row limit of the settings for one kind of sheet.
    """

    def __init__(self, source: Source, *, max_rows: int | None = None) -> None:
        self._file: IO[bytes] | None = None
        if isinstance(source, (str, os.PathLike)):
            source = self._file = open(source, "rb")  # noqa: SIM115 - closed in close()
        self._source = source
        self._archive: zipfile.ZipFile | None = None
        self._book: python_calamine.CalamineWorkbook | None = None
        try:
            self._open(max_rows)
        except SpreadsheetError:
            self.close()
            raise
        except Exception as exc:  # whatever a damaged or hostile file makes openpyxl, zipfile or calamine raise
            self.close()
            raise not_a_workbook() from exc
        except BaseException as exc:
            self.close()
            if type(exc).__name__ != "PanicException":  # a Rust panic inside calamine
                raise
            raise not_a_workbook() from exc

    def _open(self, max_rows: int | None) -> None:
        reader = ExcelReader(self._source, read_only=True, data_only=True)
        self._archive = reader.archive
        reader.read_manifest()
        reader.read_workbook()
        sheets = list(reader.parser.find_sheets())
        worksheets = [s for s in sheets if "chartsheet" not in s[1].Type and s[1].target in reader.valid_files]
        if not worksheets:
            raise SpreadsheetError(_("The workbook has no sheet."), code="no_sheet")
        active = getattr(reader.wb, "_active_sheet_index", 0)
        sheet, rel = sheets[active] if 0 <= active < len(sheets) and sheets[active] in worksheets else worksheets[0]
        self.title: str = sheet.name
        limit = _limit("LIANXIN_SHEET_MAX_ROWS", DEFAULT_MAX_ROWS)
        limits = {
            "max_rows": min(limit, max_rows) if max_rows else limit,
            "max_columns": _limit("LIANXIN_SHEET_MAX_COLUMNS", DEFAULT_MAX_COLUMNS),
        }
        unpacked = _limit("LIANXIN_SHEET_MAX_UNPACKED_MB", DEFAULT_MAX_UNPACKED_MB) * 1024 * 1024
        try:
            # Sheets written by Excel, WPS and openpyxl give every row and cell its reference.
            self._bounds = _Bounds(**limits)
            budget = _scan(self._archive, rel.target, self._bounds, unpacked, fast=True)
        except _NeedsFullScan:
            self._bounds = _Bounds(**limits)
            budget = _scan(self._archive, rel.target, self._bounds, unpacked)
        strings = next(reader.package.findall(SHARED_STRINGS), None)
        if strings is not None and strings.PartName[1:] in reader.valid_files:
            _scan(self._archive, strings.PartName[1:], None, budget)
        rows, columns = self._bounds.last_row, self._bounds.last_column
        if rows * columns > _limit("LIANXIN_SHEET_MAX_CELLS", DEFAULT_MAX_CELLS):
            raise SpreadsheetError(
                _("The sheet is too large: %(rows)d rows by %(columns)d columns. Split it into several files.")
                % {"rows": rows, "columns": columns},
                code="too_many_cells",
            )
        self._source.seek(0)
        self._book = python_calamine.CalamineWorkbook.from_filelike(self._source)
        self._sheet = self._book.get_sheet_by_name(self.title)  # calamine reads the whole sheet here
        # The progress estimate counts stored rows (see SheetReader.total_rows_estimate).
        self.max_row: int | None = None

    def count_rows(self) -> int:
        """How many rows the sheet stores (counted by the scan)."""
        return self._bounds.stored_rows

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number as Excel shows it, cell values) for each row with a value."""
        start = self._sheet.start
        if start is None:  # an empty sheet
            return
        # iter_rows yields every row from the first (row 1), but the columns from the first used one.
        padding = (None,) * start[1]
        errors = self._bounds.errors
        try:
            for index, row in enumerate(self._sheet.iter_rows()):
                cells = [*padding, *map(_cell, row)]
                number = index + 1
                for column, text in errors.get(number, {}).items():
                    if column <= len(cells):
                        cells[column - 1] = text
                while cells and cells[-1] is None:
                    cells.pop()
                if cells:
                    yield number, tuple(cells)
        except python_calamine.CalamineError as exc:  # damaged part-way through
            raise not_a_workbook() from exc

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None
        if self._archive is not None:
            self._archive.close()
        if self._file is not None:
            self._file.close()

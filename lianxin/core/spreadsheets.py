"""A small engine for the spreadsheets staff keep their ledgers in (台账).

It knows nothing about any domain: a module describes its sheet as a list of
:class:`Column` and gets back parsed rows with per-cell errors (:class:`SheetReader`),
a copy of a bad workbook with an error column (:func:`error_workbook_write`), or an
export in the same shape (:func:`workbook_write`).

Everything streams through openpyxl's read-only and write-only modes, so a sheet of
100,000 rows is read and written in near-constant memory.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from types import TracebackType
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from lianxin.core.parsing import ParseError, normalize_text

__all__ = [
    "Column",
    "SheetReader",
    "SheetRow",
    "SpreadsheetError",
    "error_workbook_write",
    "header_key",
    "workbook_write",
]

Source = str | IO[bytes]

# People put a title or a note above the table; the header is the first non-empty
# row among these.
HEADER_SEARCH_ROWS = 5

# Excel's own "Bad" cell style, which staff recognise.
ERROR_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
ERROR_FONT = Font(color="FF9C0006")
HEADER_FONT = Font(bold=True)


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``parse`` turns a cell into a value and raises :class:`ParseError` for a bad cell;
    ``export`` turns an exported object into a cell value. ``aliases`` are other
    headers people use for the same column.
    """

    key: str
    header: str
    parse: Callable[[Any], Any] = normalize_text
    export: Callable[[Any], Any] | None = None
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 12

    def export_value(self, obj: Any) -> Any:
        return self.export(obj) if self.export is not None else getattr(obj, self.key)


class SpreadsheetError(Exception):
    """The file as a whole cannot be used: not a workbook, no header, a missing column."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class SheetRow:
    """A non-empty data row: its number in the sheet (as Excel shows it), parsed values of
    the columns present, the messages of cells that could not be parsed, the raw cells."""

    number: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    cells: tuple[Any, ...] = ()


_HEADER_NOISE = re.compile(r"[\s*]|\(.*\)$")


def header_key(value: object) -> str:
    """Compare headers as people type them: "姓 名", "*姓名", "出生日期（年月日）" all match."""
    return _HEADER_NOISE.sub("", normalize_text(value))


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# What openpyxl raises for a file that is not a readable .xlsx (a renamed .xls, a
# truncated upload, a zip of something else).
_UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, AttributeError)


def _not_a_workbook() -> SpreadsheetError:
    return SpreadsheetError(
        _("This file is not an Excel workbook (.xlsx) or it is damaged. Open it in Excel or WPS and save it as .xlsx."),
        code="not_a_workbook",
    )


def _open_workbook(source: Source) -> Any:
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except _UNREADABLE as exc:
        raise _not_a_workbook() from exc


class SheetReader:
    """Read the first sheet of a workbook against a list of columns.

    Use as a context manager; iterating yields a :class:`SheetRow` for each row that
    has a value in at least one known column (blank rows, including pre-numbered
    template rows that only have a 序号, are skipped). Raises :class:`SpreadsheetError`
    on opening when the file is unreadable or a required column is missing.
    """

    def __init__(self, source: Source, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self._workbook = _open_workbook(source)
        try:
            sheet = self._workbook.active
            if sheet is None:
                raise SpreadsheetError(_("The workbook has no sheet."), code="no_sheet")
            self._rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(min_row=1, values_only=True)
            # From the sheet's stored dimension; absent in some generated files.
            max_row = getattr(sheet, "max_row", None)
            self.header_row, header = self._find_header()
            self.total_rows_estimate: int | None = max(0, max_row - self.header_row) if max_row else None
            self.mapping = self._map_header(header)
        except SpreadsheetError:
            self.close()
            raise
        except _UNREADABLE as exc:
            self.close()
            raise _not_a_workbook() from exc

    @property
    def present_keys(self) -> set[str]:
        return {column.key for column in self.mapping.values()}

    def _find_header(self) -> tuple[int, tuple[Any, ...]]:
        for number in range(1, HEADER_SEARCH_ROWS + 1):
            row = next(self._rows, None)
            if row is None:
                break
            if not all(_is_blank(v) for v in row):
                return number, row
        raise SpreadsheetError(
            _("No header row found: the first %(n)d rows are empty.") % {"n": HEADER_SEARCH_ROWS}, code="no_header"
        )

    def _map_header(self, header: tuple[Any, ...]) -> dict[int, Column]:
        by_key: dict[str, Column] = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                by_key[header_key(name)] = column
        mapping: dict[int, Column] = {}
        seen: dict[str, int] = {}
        duplicates: list[str] = []
        for index, cell in enumerate(header):
            column = by_key.get(header_key(cell))
            if column is None:
                continue  # extra columns (序号, 备注 ...) are the staff's own business
            if column.key in seen:
                duplicates.append(column.header)
                continue
            seen[column.key] = index
            mapping[index] = column
        if duplicates:
            raise SpreadsheetError(
                _("These columns appear more than once in the header row: %(columns)s")
                % {"columns": "、".join(duplicates)},
                code="duplicate_columns",
            )
        missing = [c.header for c in self.columns if c.required and c.key not in seen]
        if missing:
            raise SpreadsheetError(
                _("The header row (row %(row)d) lacks these required columns: %(columns)s")
                % {"row": self.header_row, "columns": "、".join(missing)},
                code="missing_columns",
            )
        return mapping

    def __iter__(self) -> Iterator[SheetRow]:
        mapping = list(self.mapping.items())
        number = self.header_row
        while True:
            try:
                cells = next(self._rows)
            except StopIteration:
                return
            except _UNREADABLE as exc:  # damaged part-way through
                raise _not_a_workbook() from exc
            number += 1
            width = len(cells)
            if all(_is_blank(cells[i]) for i, _c in mapping if i < width):
                continue
            values: dict[str, Any] = {}
            errors: list[str] = []
            for index, column in mapping:
                cell = cells[index] if index < width else None
                try:
                    values[column.key] = column.parse(cell)
                except ParseError as exc:
                    errors.append(f"{column.header}: {exc.message}")
            yield SheetRow(number=number, values=values, errors=errors, cells=cells)

    def close(self) -> None:
        self._workbook.close()

    def __enter__(self) -> SheetReader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _cell_for_copy(value: Any) -> Any:
    # A date cell reads back as a datetime; written as such it would show "00:00:00".
    if isinstance(value, datetime) and value.time() == time(0, 0):
        return value.date()
    return value


def error_workbook_write(
    *,
    source: Source,
    target: Source,
    header_row: int,
    errors: Mapping[int, Sequence[str]],
    error_header: str,
) -> None:
    """Write a copy of the first sheet of `source` with a column `error_header` appended.

    `errors` maps sheet row numbers to their messages; those rows get the messages in a
    red cell, so staff can fix the very file they uploaded and upload it again. Values
    are copied, not formatting.
    """
    workbook = _open_workbook(source)
    try:
        sheet = workbook.active
        out = Workbook(write_only=True)
        out_sheet = out.create_sheet(title=sheet.title if sheet is not None else "Sheet1")
        rows: Iterable[tuple[Any, ...]] = sheet.iter_rows(min_row=1, values_only=True) if sheet is not None else ()
        error_col: int | None = None
        for number, cells in enumerate(rows, start=1):
            if number < header_row:
                out_sheet.append([_cell_for_copy(v) for v in cells])
                continue
            if error_col is None:
                # The error column goes right after the last header.
                error_col = max((i + 1 for i, v in enumerate(cells) if not _is_blank(v)), default=0)
                out_sheet.column_dimensions[get_column_letter(error_col + 1)].width = 60
            values: list[Any] = [_cell_for_copy(v) for v in cells]
            values += [None] * (error_col - len(values))
            head, tail = values[:error_col], values[error_col:]
            while tail and tail[-1] is None:
                tail.pop()
            if number == header_row:
                extra = WriteOnlyCell(out_sheet, value=error_header)
                extra.font = HEADER_FONT
            elif number in errors:
                extra = WriteOnlyCell(out_sheet, value="；".join(errors[number]))
                extra.fill = ERROR_FILL
                extra.font = ERROR_FONT
                extra.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                extra = None
            out_sheet.append([*head, extra, *tail])
        out.save(target)
    finally:
        workbook.close()


def workbook_write(
    *,
    target: Source,
    columns: Sequence[Column],
    objects: Iterable[Any],
    sheet_title: str,
) -> int:
    """Write `objects` as rows under a bold header row; return the number of rows written.

    Headers are the columns' own, so that what is exported can be imported again.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        header.append(cell)
    sheet.append(header)
    count = 0
    for obj in objects:
        sheet.append([column.export_value(obj) for column in columns])
        count += 1
    workbook.save(target)
    return count

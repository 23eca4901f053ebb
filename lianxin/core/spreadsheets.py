"""A small engine for the spreadsheets staff keep their ledgers in (台账).

It knows nothing about any domain: a module describes its sheet as a list of
:class:`Column` and gets back parsed rows with per-cell errors (:class:`SheetReader`),
a copy of a bad workbook with an error column (:func:`error_workbook_write`), or an
export in the same shape (:func:`workbook_write`).

Sheets are read by python-calamine inside bounds checked first (:mod:`lianxin.core.sheet_reader`)
and written as a stream of XML (:mod:`lianxin.core.xlsx_writer`).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cached_property
from types import TracebackType
from typing import IO, Any

from django.utils.translation import gettext as _

from lianxin.core.ledgers import LedgerColumn, column_width, ledger_open
from lianxin.core.parsing import ParseError, normalize_text
from lianxin.core.sheet_layout import MAX_COLUMNS, sheet_column_widths
from lianxin.core.sheet_reader import NOT_A_WORKBOOK, SheetStream, SpreadsheetError
from lianxin.core.xlsx_writer import STYLE_BOLD, STYLE_ERROR, STYLE_HEADER, PrintSetup, XlsxWriter

logger = logging.getLogger(__name__)

__all__ = [
    "NOT_A_WORKBOOK",
    "Column",
    "SheetReader",
    "SheetRow",
    "SpreadsheetError",
    "error_workbook_write",
    "header_key",
    "workbook_write",
]

Source = str | os.PathLike[str] | IO[bytes]

# People put a title or a note above the table; the header is one of these rows.
HEADER_SEARCH_ROWS = 5
# The 错误说明 column of an error workbook (characters; its cells wrap).
ERROR_COLUMN_WIDTH = 50


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


# The stream of a sheet's cell values (lianxin.core.sheet_reader); error workbooks read it too.
_SheetStream = SheetStream


def column_message(header: str, message: object) -> str:
    """A row error naming its column, unless the message already starts with it."""
    text = str(message)
    return text if text.startswith(header) else f"{header}：{text}"


class SheetReader:
    """Read the first sheet of a workbook against a list of columns.

    Use as a context manager; iterating yields a :class:`SheetRow` for each row that
    has a value in at least one known column (blank rows, including pre-numbered
    template rows that only have a 序号, are skipped). Raises :class:`SpreadsheetError`
    on opening when the file is unreadable or a required column is missing.
    """

    def __init__(self, source: Source, columns: Sequence[Column], *, max_rows: int | None = None) -> None:
        self.columns = list(columns)
        self._by_header = {header_key(name): c for c in self.columns for name in (c.header, *c.aliases)}
        # Refuses a sheet beyond its bounds (rows, columns, cells; `max_rows` lowers the rows').
        self._stream = _SheetStream(source, max_rows=max_rows)
        try:
            self._rows: Iterator[tuple[int, tuple[Any, ...]]] = self._stream.rows()
            self.header_row, header = self._find_header()
            self.mapping = self._map_header(header)
        except BaseException:
            self.close()
            raise

    @cached_property
    def total_rows_estimate(self) -> int | None:
        """Rows under the header (blank ones included), for progress; None if unknown."""
        max_row = self._stream.max_row
        if not max_row or max_row <= self.header_row:
            max_row = self._stream.count_rows()
        return max_row - self.header_row if max_row > self.header_row else None

    @property
    def present_keys(self) -> set[str]:
        return {column.key for column in self.mapping.values()}

    def _find_header(self) -> tuple[int, tuple[Any, ...]]:
        """The row among the first few naming the most known columns (a title may sit above it);
        failing that, the first non-empty row, so that the missing columns are reported."""
        head: list[tuple[int, tuple[Any, ...]]] = []
        for number, cells in self._rows:
            head.append((number, cells))
            if number >= HEADER_SEARCH_ROWS:
                break
        candidates = [(n, cells) for n, cells in head if n <= HEADER_SEARCH_ROWS]
        known = [sum(1 for v in cells if header_key(v) in self._by_header) for _n, cells in candidates]
        if known and max(known) > 0:
            index = known.index(max(known))
        else:
            index = next((i for i, (_n, cells) in enumerate(candidates) if not all(map(_is_blank, cells))), -1)
            if index < 0:
                raise SpreadsheetError(
                    _("No header row found: the first %(n)d rows are empty.") % {"n": HEADER_SEARCH_ROWS},
                    code="no_header",
                )
        # Rows read past the header are data, to be yielded first.
        self._rows = itertools.chain(head[index + 1 :], self._rows)
        return candidates[index]

    def _map_header(self, header: tuple[Any, ...]) -> dict[int, Column]:
        by_key = self._by_header
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
        for number, cells in self._rows:
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
                    errors.append(column_message(column.header, exc.message))
            yield SheetRow(number=number, values=values, errors=errors, cells=cells)

    def close(self) -> None:
        self._stream.close()

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


def _last_used_column(stream_rows: Iterable[tuple[int, tuple[Any, ...]]]) -> int:
    """1 + the index of the rightmost non-blank cell of any row (0 for an empty sheet)."""
    last = 0
    for _number, cells in stream_rows:
        for index in range(len(cells) - 1, last - 1, -1):
            if not _is_blank(cells[index]):
                last = index + 1
                break
    return min(last, MAX_COLUMNS - 1)


def error_workbook_write(
    *,
    source: Source,
    target: Source,
    header_row: int,
    errors: Mapping[int, Sequence[str]],
    error_header: str,
) -> None:
    """Write a copy of the first sheet of `source` with a column `error_header` after its last used column.

    `errors` maps sheet row numbers to their messages; those rows get the messages in a
    red cell, so staff can fix the very file they uploaded and upload it again. Values are
    copied with the sheet's own column widths; the header row is bold, frozen and repeated
    on each printed page (A4, landscape, fit to width).
    """
    widths = sheet_column_widths(source)
    stream = _SheetStream(source)
    try:
        error_col = _last_used_column(stream.rows())
    finally:
        stream.close()
    stream = _SheetStream(source)
    out: XlsxWriter | None = None
    try:
        header_styles = {i: STYLE_HEADER for i in range(error_col + 1)}
        for number, cells in stream.rows():
            values: list[Any] = [_cell_for_copy(v) for v in cells[:error_col]]
            if out is None:
                if not widths:  # none stored: size the columns by the header (or the first rows)
                    widths = {i: column_width(str(v or "")) for i, v in enumerate(values)}
                widths = {i: w for i, w in widths.items() if i < error_col}
                widths[error_col] = ERROR_COLUMN_WIDTH
                out = XlsxWriter(
                    target,
                    sheet_title=stream.title,
                    widths=widths,
                    freeze_rows=header_row,
                    print_setup=PrintSetup(landscape=True, repeat_rows=(header_row, header_row)),
                )
            values += [None] * (error_col - len(values))
            if number == header_row:
                out.append([*values, error_header], styles=header_styles, number=max(number, out.row_number + 1))
                continue
            extra, style = ("；".join(errors[number]), STYLE_ERROR) if number in errors else (None, 0)
            # A damaged sheet may repeat a row number; such a row goes after the last, as openpyxl did.
            out.append([*values, extra], styles={error_col: style}, number=max(number, out.row_number + 1))
        if out is None:  # an empty sheet: an empty copy
            out = XlsxWriter(target, sheet_title=stream.title)
    finally:
        if out is not None:
            out.close()
        stream.close()


def workbook_write(
    *,
    target: Source,
    columns: Sequence[Column],
    objects: Iterable[Any],
    sheet_title: str,
    title: str = "",
    where_and_when: str = "",
) -> int:
    """Write `objects` as rows under a bold, frozen header row; return the number of rows written.

    Headers are the columns' own, so that what is exported can be imported again (the reader
    finds the header under a title). With a `title`, the sheet is a printable ledger
    (lianxin.core.ledgers): the title and the where-and-when line above the header, A4.
    """
    exports = [column.export_value for column in columns]
    if title:
        kinds = [LedgerColumn(c.header, c.width) for c in columns]
        with ledger_open(
            target, title=title, where_and_when=where_and_when, columns=kinds, sheet_title=sheet_title
        ) as ledger:
            for obj in objects:
                ledger.append([export(obj) for export in exports])
        return ledger.count
    widths = {index: column.width for index, column in enumerate(columns)}
    with XlsxWriter(target, sheet_title=sheet_title, widths=widths, freeze_header=True) as sheet:
        sheet.append([column.header for column in columns], styles=dict.fromkeys(widths, STYLE_BOLD))
        count = 0
        for obj in objects:
            sheet.append([export(obj) for export in exports])
            count += 1
    return count

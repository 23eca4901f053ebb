"""台账 as people print them: one shape for every ledger and export the app offers.

A ledger sheet opens with a title row saying what it is, a line saying where and when
(organization, period, when it was generated), then a bold header row that stays frozen
on screen and repeats on every printed page; A4, fit to the page's width, landscape when
the columns are wide. Dates and times are real date cells, so the sheet sorts and filters.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core.xlsx_writer import (
    STYLE_DATE,
    STYLE_HEADER,
    STYLE_MINUTES,
    STYLE_NOTE,
    STYLE_TITLE,
    STYLE_WRAP,
    PrintSetup,
    Target,
    XlsxWriter,
)

__all__ = ["Ledger", "LedgerColumn", "column_width", "ledger_open", "local_naive", "subtitle", "text_units"]

# Column widths (in characters) that fit on A4 portrait at fit-to-width without shrinking
# the text below legibility; wider ledgers print landscape.
PORTRAIT_WIDTH = 100
# Rows above the table: the title and the where-and-when line.
TITLE_ROWS = 2
# A line of 11-point text (points), and the most lines a row grows to for wrapped text.
LINE_HEIGHT = 14.5
MAX_LINES = 12


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    width: float
    kind: str = "text"  # "text", "date", "datetime" (to the minute)


def text_units(text: str) -> int:
    """How wide text is in column-width units: Chinese characters take two, others one.

    Counted from the UTF-8 length, at C speed: a Chinese character is three bytes, ASCII one."""
    return len(text) + (len(text.encode("utf-8", "replace")) - len(text)) // 2


def column_width(header: str, minimum: float = 12) -> float:
    """A width that shows the header on at most two lines and a date in full."""
    return max(minimum, min(40, text_units(header) // 2 + 4))


def local_naive(moment: datetime | None) -> datetime | None:
    """An aware moment as the local wall-clock time Excel shows (Excel has no time zones)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def subtitle(*parts: object) -> str:
    """The where-and-when line: the parts given, then when the file was generated."""
    generated = _("Generated at %(time)s") % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    return "　".join([*(str(p) for p in parts if p), generated])


class Ledger:
    """Rows of a ledger sheet; cells of date and datetime columns become date cells."""

    def __init__(self, writer: XlsxWriter, columns: Sequence[LedgerColumn], row_height: float | None) -> None:
        self.writer = writer
        self.row_height = row_height
        self._widths = [c.width for c in columns]
        kinds = {"datetime": STYLE_MINUTES, "date": STYLE_DATE}
        self._styles = {i: kinds[c.kind] for i, c in enumerate(columns) if c.kind in kinds}
        self._datetimes = {i for i, c in enumerate(columns) if c.kind == "datetime"}
        self.count = 0

    def append(self, values: Sequence[Any], *, styles: dict[int, int] | None = None) -> None:
        """Write a row. Text wider than its column wraps, and the row is made tall enough for
        it: spreadsheet programs do not grow a row when they open a file."""
        cells = list(values)
        row_styles = self._styles
        widths = self._widths
        lines = 1
        for index, value in enumerate(cells):
            if type(value) is str:
                if index < len(widths) and (len(value) * 2 > widths[index] or "\n" in value):
                    wrapped = -(-text_units(value) // max(1, int(widths[index]) - 1)) + value.count("\n")
                    if wrapped > 1:
                        if row_styles is self._styles:
                            row_styles = dict(row_styles)
                        row_styles[index] = STYLE_WRAP
                        lines = max(lines, min(MAX_LINES, wrapped))
            elif index in self._datetimes:
                if isinstance(value, datetime) and value.tzinfo is not None:
                    cells[index] = local_naive(value)
                elif isinstance(value, date) and not isinstance(value, datetime):
                    cells[index] = datetime(value.year, value.month, value.day)
        if styles:
            row_styles = {**row_styles, **styles}
        height = self.row_height if lines == 1 else max(self.row_height or 0, LINE_HEIGHT * lines + 3)
        self.writer.append(cells, styles=row_styles, height=height)
        self.count += 1


@contextmanager
def ledger_open(
    target: Target | IO[bytes],
    *,
    title: str,
    where_and_when: str,
    columns: Sequence[LedgerColumn],
    sheet_title: str = "",
    row_height: float | None = None,
    landscape: bool | None = None,
) -> Iterator[Ledger]:
    """Open a ledger: the title, the where-and-when line and the header are written; append the rows."""
    widths = {index: column.width for index, column in enumerate(columns)}
    if landscape is None:
        landscape = sum(widths.values()) > PORTRAIT_WIDTH
    header_row = TITLE_ROWS + 1
    setup = PrintSetup(landscape=landscape, repeat_rows=(header_row, header_row))
    last = len(columns) - 1
    with XlsxWriter(
        target, sheet_title=sheet_title or title, widths=widths, freeze_rows=header_row, print_setup=setup
    ) as writer:
        writer.append([title], styles={0: STYLE_TITLE}, height=24)
        writer.append([where_and_when], styles={0: STYLE_NOTE})
        if last > 0:
            writer.merge(1, 0, 1, last)
            writer.merge(2, 0, 2, last)
        writer.append([c.header for c in columns], styles=dict.fromkeys(widths, STYLE_HEADER), height=30)
        yield Ledger(writer, columns, row_height)

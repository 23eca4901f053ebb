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
    PrintSetup,
    Target,
    XlsxWriter,
)

__all__ = ["Ledger", "LedgerColumn", "column_width", "ledger_open", "local_naive", "subtitle"]

# Column widths (in characters) that fit on A4 portrait at fit-to-width without shrinking
# the text below legibility; wider ledgers print landscape.
PORTRAIT_WIDTH = 100
# Rows above the table: the title and the where-and-when line.
TITLE_ROWS = 2


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    width: float
    kind: str = "text"  # "text", "date", "datetime" (to the minute)


def column_width(header: str, minimum: float = 12) -> float:
    """A width that shows the header on at most two lines and a date in full: Chinese characters
    take two units, others one."""
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in header)
    return max(minimum, min(40, units // 2 + 4))


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
        self._styles = {
            i: STYLE_MINUTES if c.kind == "datetime" else STYLE_DATE
            for i, c in enumerate(columns)
            if c.kind in ("date", "datetime")
        }
        self._datetimes = [i for i, c in enumerate(columns) if c.kind == "datetime"]
        self.count = 0

    def append(self, values: Sequence[Any], *, styles: dict[int, int] | None = None) -> None:
        cells = list(values)
        for index in self._datetimes:
            value = cells[index] if index < len(cells) else None
            if isinstance(value, datetime) and value.tzinfo is not None:
                cells[index] = local_naive(value)
            elif isinstance(value, date) and not isinstance(value, datetime):
                cells[index] = datetime(value.year, value.month, value.day)
        self.writer.append(cells, styles={**self._styles, **(styles or {})}, height=self.row_height)
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

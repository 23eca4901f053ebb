"""The yearly Party statistics as a workbook: one sheet per table in the page's layout, each opening
with its title and the subtree, year, date counted and date of export (the shape of every ledger,
lianxin.core.ledgers), then its tables with their header rows; a last sheet holds the checks."""

from collections.abc import Callable, Sequence
from typing import IO, Any

from django.utils.translation import gettext as _

from lianxin.core.ledgers import subtitle, text_units
from lianxin.core.xlsx_writer import (
    STYLE_BOLD,
    STYLE_HEADER,
    STYLE_NOTE,
    STYLE_TITLE,
    STYLE_WRAP,
    PrintSetup,
    XlsxWriter,
)
from lianxin.members.selectors.statistics import Statistics
from lianxin.members.selectors.statistics_checks import Check
from lianxin.members.selectors.statistics_tables import Changes, Grid

# The first column names the lines; the others hold numbers under headers that wrap.
LABEL_WIDTH = 22
NUMBER_WIDTH = 11
# Rows above the tables (title, where and when): repeated on every printed page.
HEADING = (1, 2)


def _print() -> PrintSetup:
    return PrintSetup(landscape=True, repeat_rows=HEADING)


def _where(stats: Statistics) -> str:
    return subtitle(
        _("%(org)s and every organization under it") % {"org": stats.organization.name},
        _("Year %(year)s") % {"year": stats.year},
        _("Counted at the close of %(date)s") % {"date": stats.end.isoformat()},
    )


def _start(writer: XlsxWriter, title: str, where: str, columns: int) -> None:
    """The sheet's title and its where-and-when line, each across the sheet's columns."""
    writer.append([title], styles={0: STYLE_TITLE}, height=24)
    writer.append([where], styles={0: STYLE_NOTE})
    if columns > 1:
        writer.merge(1, 0, 1, columns - 1)
        writer.merge(2, 0, 2, columns - 1)


def _header(writer: XlsxWriter, values: Sequence[Any]) -> None:
    longest = max((text_units(str(v)) for v in values[1:]), default=0)
    lines = max(2, -(-longest // (NUMBER_WIDTH - 1)))
    writer.append(values, styles=dict.fromkeys(range(len(values)), STYLE_HEADER), height=15 * lines)


def _grid(writer: XlsxWriter, grid: Grid) -> None:
    """A table: its header (the table's name over the line labels, the total, each column), then its lines."""
    _header(writer, [grid.label, _("Total"), *(c.label for c in grid.columns)])
    for index, line in enumerate(grid.lines):
        writer.append([line.label, line.total, *line.cells], styles={0: STYLE_BOLD} if index == 0 else None)


def _widths(columns: int) -> dict[int, float]:
    return {0: LABEL_WIDTH, **dict.fromkeys(range(1, columns), NUMBER_WIDTH)}


def _grids_sheet(writer: XlsxWriter, title: str, where: str, grids: Sequence[Grid]) -> None:
    _start(writer, title, where, max(len(g.columns) + 2 for g in grids))
    for index, grid in enumerate(grids):
        if index:
            writer.append([])
        _grid(writer, grid)


def _changes_sheet(writer: XlsxWriter, title: str, where: str, changes: Changes) -> None:
    figures = changes.figures()
    _start(writer, title, where, len(figures))
    _header(writer, [heading for _key, heading, _n in figures])
    writer.append([n for _key, _heading, n in figures])


def _wrapped(writer: XlsxWriter, values: Sequence[Any], widths: dict[int, int]) -> None:
    """A row whose long text wraps inside its column (`widths`), the row tall enough for it."""
    lines = max(-(-text_units(str(values[i])) // (width - 1)) for i, width in widths.items())
    writer.append(values, styles=dict.fromkeys(widths, STYLE_WRAP), height=15 * lines if lines > 1 else None)


def _checks_sheet(writer: XlsxWriter, title: str, where: str, checks: Sequence[Check]) -> None:
    _start(writer, title, where, 4)
    _header(writer, [_("Check"), _("Outcome"), _("Detail"), _("Members listed")])
    for check in checks:
        result = _("passed") if check.passed else _("not passed")
        _wrapped(writer, [check.label, result, check.detail, len(check.members) + check.more], {0: 40, 2: 60})
    for check in checks:
        if not check.members:
            continue
        writer.append([])
        writer.append([check.label], styles={0: STYLE_BOLD})
        _header(writer, [_("Name"), _("Party organization"), _("What is wrong"), ""])
        for member in check.members:
            _wrapped(writer, [member.name, member.organization, member.note], {2: 60})
        if check.more:
            writer.append([_("and %(n)s more") % {"n": check.more}])


def statistics_xlsx(stats: Statistics, target: IO[bytes]) -> None:
    """Write the workbook of `stats` into `target`: a sheet for each table, then the checks."""
    where = _where(stats)
    organizations = [stats.organizations]
    sheets: list[tuple[str, dict[int, float], Callable[[XlsxWriter, str], None]]] = [
        (
            stats.members.title,
            _widths(max(len(g.columns) + 2 for g in stats.members.grids)),
            lambda writer, title: _grids_sheet(writer, title, where, stats.members.grids),
        ),
        (
            stats.developed.title,
            _widths(max(len(g.columns) + 2 for g in stats.developed.grids)),
            lambda writer, title: _grids_sheet(writer, title, where, stats.developed.grids),
        ),
        (
            _("Party organizations at the end of the year"),
            _widths(len(stats.organizations.columns) + 2),
            lambda writer, title: _grids_sheet(writer, title, where, organizations),
        ),
        (
            _("Changes in the year"),
            dict.fromkeys(range(len(stats.changes.figures())), NUMBER_WIDTH),
            lambda writer, title: _changes_sheet(writer, title, where, stats.changes),
        ),
        (
            _("Checks"),
            {0: 40, 1: 12, 2: 60, 3: 12},
            lambda writer, title: _checks_sheet(writer, title, where, stats.checks),
        ),
    ]
    (title, widths, write), *rest = sheets
    with XlsxWriter(target, sheet_title=title, widths=widths, print_setup=_print(), sheets=len(sheets)) as writer:
        write(writer, title)
        for title, widths, write in rest:
            writer.sheet_next(sheet_title=title, widths=widths, print_setup=_print())
            write(writer, title)

"""The dashboard (驾驶舱) of a subtree and a period, read from the figures registry (lianxin.core.figures)
only: the headline figures with 同比 and 环比 where they mean something, every group's figures, the
trend of each dated headline figure by month, the compositions (a kind of activity of all held), and
the children of the subtree side by side on the headline figures. Organizations are compared by
outcomes; no person is ranked.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lianxin.core.figures import (
    GroupFigures,
    Measure,
    Number,
    by_month,
    children_numbers,
    figure_groups,
    figures_of,
    headline_measures,
    numbers_by_name,
)
from lianxin.core.periods import Period


@dataclass(frozen=True)
class Change:
    """A figure beside the same figure of another period: the difference, and for a count its rate."""

    period: Period
    previous: Number
    difference: Number
    percent: Decimal | None  # of the previous count; None for a share (its difference is in points)


@dataclass(frozen=True)
class Tile:
    measure: Measure
    number: Number
    year_on_year: Change | None  # 同比: the same days a year earlier
    sequential: Change | None  # 环比: the month or quarter before


@dataclass(frozen=True)
class Series:
    """One chart's bars: a label for each, its number, and the subtree and period its rows are of."""

    measure: Measure
    bars: list[tuple[str, Number, Any, Period]]  # (label, number, subtree, period)


@dataclass(frozen=True)
class Dashboard:
    tiles: list[Tile]
    groups: list[GroupFigures]
    trends: list[Series]
    parts: list[Series]
    children: list[Series]  # one per headline figure: the children's numbers
    comparison: list[tuple[Any, list[tuple[Measure, Number]]]]  # the same, a row per child


def _change(measure: Measure, number: Number, previous: Number, period: Period) -> Change | None:
    if number is None or previous is None:
        return None
    difference = number - previous
    percent = None
    if measure.unit != "%" and previous:
        percent = (Decimal(difference) * 100 / Decimal(previous)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Change(period, previous, difference, percent)


def _tiles(subtree: Any, period: Period, numbers: dict[str, Number]) -> list[Tile]:
    headlines = headline_measures()
    year, before = period.year_before(), period.just_before()
    # Only the groups with a headline figure of the period: what stands now has no earlier period.
    flows = [g for g in figure_groups() if any(m.headline and not m.stock for m in g.measures)]
    year_numbers = numbers_by_name(figures_of(subtree, year, flows, headline=True))
    before_numbers = numbers_by_name(figures_of(subtree, before, flows, headline=True)) if before is not None else {}
    tiles = []
    for m in headlines:
        number = numbers.get(m.name)
        if m.stock:  # what stands now has no earlier period
            tiles.append(Tile(m, number, None, None))
            continue
        sequential = None if before is None else _change(m, number, before_numbers.get(m.name), before)
        tiles.append(Tile(m, number, _change(m, number, year_numbers.get(m.name), year), sequential))
    return tiles


def _parts(subtree: Any, period: Period, numbers: dict[str, Number]) -> list[Series]:
    wholes = [m for g in figure_groups() for m in g.measures if any(p.part_of == m.name for p in g.measures)]
    return [
        Series(
            whole,
            [
                (str(part.label), numbers.get(part.name), subtree, period)
                for g in figure_groups()
                for part in g.measures
                if part.part_of == whole.name
            ],
        )
        for whole in wholes
    ]


def _month_label(month: Period, one_year: bool) -> str:
    """A bar of a trend: the month's number within one year ("3"), else year and month ("25-03")."""
    return str(month.start.month) if one_year else month.start.strftime("%y-%m")


def dashboard_of(subtree: Any, period: Period, children: list[Any]) -> Dashboard:
    """Every number of the dashboard of `subtree` and `period`, with `children` side by side."""
    groups = figures_of(subtree, period)
    numbers = numbers_by_name(groups)
    headlines = headline_measures()
    one_year = period.start.year == period.end.year
    trends = [
        Series(m, [(_month_label(month, one_year), n, subtree, month) for month, n in by_month(m, subtree, period)])
        for m in headlines
        if m.dated and m.counts_rows and not m.stock
    ]
    numbers_of = children_numbers(subtree, period, children, headlines)
    by_child = [(child, numbers_of[child.pk]) for child in children]
    compared = [
        Series(m, [(str(child), found.get(m.name), child, period) for child, found in by_child]) for m in headlines
    ]
    rows = [(child, [(m, found.get(m.name)) for m in headlines]) for child, found in by_child]
    return Dashboard(_tiles(subtree, period, numbers), groups, trends, _parts(subtree, period, numbers), compared, rows)

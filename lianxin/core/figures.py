"""The figures registry: what the dashboard, the briefings and the API count, declared by the apps that
own the rows (issue 16).

Each app declares, in its `figures` module (found the way the admin finds `admin` modules), one
`FigureGroup`: its measures, each with a name, the words saying how it is counted, and the rows behind
it for a subtree and a period; and one `compute` that gives all the group's numbers for a subtree and a
period in a few queries. The kernel names no app, so the dashboard reads only this registry.

A measure that counts rows (`counts_rows`) must give exactly the count of its rows: a test holds every
registered measure to it on the demo city. Distinct things (members covered, volunteers) are rows of
the distinct things (members, people), so each counts once. A share or a sum says so
(`counts_rows=False`) and its rows are what it is taken over.

The subtree is the organization whose subtree is counted (`organizations.Organization`), or an area
whose organizations are (`organizations.AreaSubtree`, ADR 20); the kernel only passes it on.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr, TruncMonth
from django.utils.module_loading import autodiscover_modules

from lianxin.core.periods import Period

Number = int | Decimal | None
# One row as a table and the API show it: plain values only (text, numbers, dates), masked where the
# screen masks, and never a resident's identity.
Row = dict[str, Any]


@dataclass(frozen=True)
class Measure:
    name: str  # unique in the registry, a slug: /figures/dashboard/<name>/, /api/v1/figures/<name>/rows
    label: Any  # a lazy translation
    unit: Any  # 场, 人, 人次, 件, %
    definition: Any  # how it is counted, in words: shown beside the number and with its rows
    rows: Callable[[Any, Period], QuerySet[Any]]  # the rows behind the number, in a stable order
    columns: tuple[tuple[str, Any], ...]  # (key, heading) of each row's values
    row: Callable[[Any], Row]  # one of `rows` as its columns read
    counts_rows: bool = True  # the number is the count of the rows (False: a share or a sum over them)
    headline: bool = False  # among the first numbers shown, and compared across the children
    # The number, where it is not the count of the rows and the group's `compute` does not give it.
    value: Callable[[Any, Period], Number] | None = None
    # A count of what stands now (members on the roster), not of the period: no 同比, 环比 nor trend.
    stock: bool = False
    # The field that dates each row, for the trend by month (a counting measure of dated rows only).
    dated: str = ""
    # The measure this one is a part of (a kind of activity of all activities held): its composition.
    part_of: str = ""
    # The path from a row to the organization it counts under ("session__team__organization"): the
    # children of a subtree are then counted in one statement grouped by child (`children_numbers`).
    organization: str = ""

    def cells(self, obj: Any) -> list[Any]:
        """One of the rows as its columns read, in their order (`row` called once)."""
        values = self.row(obj)
        return [values[key] for key, _heading in self.columns]


@dataclass(frozen=True)
class FigureGroup:
    key: str  # a slug
    label: Any
    order: int  # where the group stands on the dashboard
    measures: tuple[Measure, ...]
    # Measures' numbers (by name) for a subtree and a period in a few queries; a measure it leaves out
    # is its `value`, else the count of its rows.
    compute: Callable[[Any, Period], Mapping[str, Number]] | None = None
    # Measures' numbers for each child of a subtree at once ({child pk: {name: number}}), the same as
    # `compute` gives for each child alone: for what a grouped count of rows cannot give (distinct
    # members, shares).
    compute_children: Callable[[Any, Period, list[Any]], Mapping[Any, Mapping[str, Number]]] | None = None


@dataclass(frozen=True)
class GroupFigures:
    group: FigureGroup
    numbers: Mapping[str, Number]

    def items(self) -> list[tuple[Measure, Number]]:
        return [(m, self.numbers.get(m.name)) for m in self.group.measures]


def rate(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in per cent to two decimals, rounded half up (96.52); None of nothing."""
    if whole <= 0 or part < 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_GROUPS: dict[str, FigureGroup] = {}
_discovered = False


def figures_register(group: FigureGroup) -> None:
    """Declare a group (at import of an app's `figures` module); a measure's name is the registry's."""
    if group.key in _GROUPS and _GROUPS[group.key] != group:
        raise ValueError(f"figure group {group.key!r} is registered twice")
    taken = {m.name for g in _GROUPS.values() if g.key != group.key for m in g.measures}
    clashes = taken & {m.name for m in group.measures}
    if clashes:
        raise ValueError(f"measures registered twice: {sorted(clashes)}")
    _GROUPS[group.key] = group


def figure_groups() -> list[FigureGroup]:
    """Every group, in their dashboard order, once each installed app's `figures` module is imported."""
    global _discovered
    if not _discovered:
        autodiscover_modules("figures")
        _discovered = True
    return sorted(_GROUPS.values(), key=lambda g: (g.order, g.key))


def measure_named(name: str) -> tuple[FigureGroup, Measure] | None:
    for group in figure_groups():
        for measure in group.measures:
            if measure.name == name:
                return group, measure
    return None


def numbers_by_name(found: Iterable[GroupFigures]) -> dict[str, Number]:
    """The numbers of `figures_of`'s groups, by measure name."""
    return {m.name: n for group in found for m, n in group.items()}


def group_numbers(group: FigureGroup, subtree: Any, period: Period, *, headline: bool = False) -> dict[str, Number]:
    """The group's numbers (by measure name); with `headline`, of its headline measures at least."""
    numbers = dict(group.compute(subtree, period)) if group.compute else {}
    for measure in group.measures:
        if measure.name not in numbers and (measure.headline or not headline):
            numbers[measure.name] = (
                measure.value(subtree, period) if measure.value else measure.rows(subtree, period).count()
            )
    return numbers


def figures_of(
    subtree: Any, period: Period, groups: Iterable[FigureGroup] | None = None, *, headline: bool = False
) -> list[GroupFigures]:
    """The numbers of every group (or of `groups`) for the subtree and the period; with `headline`,
    only what the headline measures need."""
    chosen = figure_groups() if groups is None else list(groups)
    return [GroupFigures(group, group_numbers(group, subtree, period, headline=headline)) for group in chosen]


def headline_measures() -> list[Measure]:
    return [m for group in figure_groups() for m in group.measures if m.headline]


def by_month(measure: Measure, subtree: Any, period: Period) -> list[tuple[Period, int]]:
    """A dated counting measure's count in each month of the period (its trend), in one grouped query."""
    if not (measure.dated and measure.counts_rows):
        raise ValueError(f"{measure.name} is not a dated count")
    counted = (
        measure.rows(subtree, period)
        .order_by()
        .annotate(month=TruncMonth(measure.dated))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    found = {(m.year, m.month): n for m, n in counted}
    return [(month, found.get((month.start.year, month.start.month), 0)) for month in period.months()]


def child_of(field: str, children: list[Any]) -> Substr:
    """The path prefix that names, for a row whose organization is at `field`, the child it lies under
    (children of one node share their paths' length): the organization's own path, or the path the
    children name from an organization (`organization_path`: an area's children, its areas)."""
    return Substr(f"{field}__{getattr(children[0], 'organization_path', 'path')}", 1, len(children[0].path))


def children_numbers(
    subtree: Any, period: Period, children: list[Any], measures: list[Measure]
) -> dict[Any, dict[str, Number]]:
    """`measures`' numbers for each of `children` (children of `subtree`), {child pk: {name: number}}:
    a group's `compute_children`, else a count of the subtree's rows grouped by child where the measure
    names its rows' organization, else the child's own numbers one by one. Each equals what
    `figures_of(child, period)` gives (a test holds them to it)."""
    found: dict[Any, dict[str, Number]] = {child.pk: {} for child in children}
    if not children:
        return found
    by_prefix = {child.path: child.pk for child in children}
    wanted = {m.name for m in measures}
    for group in figure_groups():
        names = wanted & {m.name for m in group.measures}
        if group.compute_children is not None and names:
            for pk, numbers in group.compute_children(subtree, period, children).items():
                found[pk].update({n: v for n, v in numbers.items() if n in names})
            names -= {n for numbers in found.values() for n in numbers}
        grouped = [m for m in group.measures if m.name in names and m.organization and m.counts_rows]
        for measure in grouped:
            counted = dict(
                measure.rows(subtree, period)
                .order_by()
                .annotate(child=child_of(measure.organization, children))
                .values("child")
                .annotate(n=Count("pk"))
                .values_list("child", "n")
            )
            for prefix, pk in by_prefix.items():
                found[pk][measure.name] = counted.get(prefix, 0)
        alone = names - {m.name for m in grouped}
        for child in children if alone else []:
            numbers = group_numbers(group, child, period, headline=all(m.headline for m in measures if m.name in alone))
            found[child.pk].update({n: numbers.get(n) for n in alone})
    return found

"""The tables of the yearly Party statistics (selectors/statistics.py counts who is in them): their
layout as the official forms have it, the member tables' breakdowns, counted by a few grouped
aggregates over the members a condition selects, and the organizations by kind and unit."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils.translation import gettext as _

from lianxin.members.models import Member
from lianxin.members.rules.statistics import (
    HAN,
    JOINED_PERIODS,
    MEDAL_PARTY_AGE,
    Band,
    age_bands,
    party_age_bands,
    years_before,
)
from lianxin.organizations.models import Organization


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    of_which: bool = False  # 其中: a part of a column before it, not of the line's total


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    total: int
    cells: tuple[int, ...]


@dataclass(frozen=True)
class Grid:
    """One table as the official forms lay it out: a column per category after the total, the total
    line first and the lines that divide it after it."""

    key: str
    label: str
    columns: tuple[Column, ...]
    lines: tuple[Line, ...]

    def adds_up(self) -> bool:
        """Each line's categories (not the 其中 columns) sum to its total, and the lines after the
        first sum to it, column by column."""
        parts = [i for i, column in enumerate(self.columns) if not column.of_which]
        if any(line.total != sum(line.cells[i] for i in parts) for line in self.lines):
            return False
        first, *rest = self.lines
        if not rest:
            return True
        return first.total == sum(line.total for line in rest) and all(
            first.cells[i] == sum(line.cells[i] for line in rest) for i in range(len(self.columns))
        )


@dataclass(frozen=True)
class MemberTable:
    key: str
    title: str
    on: date  # the breakdowns' date
    grids: tuple[Grid, ...]

    @property
    def total(self) -> int:
        return self.grids[0].lines[0].total


@dataclass(frozen=True)
class Changes:
    """党员变动: the members at the year's start, what came and went, and the members at its end."""

    start: int
    joined: int
    transferred_in: int
    transferred_out: int  # by a transfer out of the subtree
    relationship_out: int  # by leaving with the reason "relationship transferred out"
    died: int
    expelled: int
    left_unrecorded: int  # left without a reason recorded
    end: int  # the members at the year's end, as the first table counts them

    @property
    def reached(self) -> int:
        """Where the start and the year's events lead: the end, when they balance."""
        outs = self.transferred_out + self.relationship_out + self.died + self.expelled + self.left_unrecorded
        return self.start + self.joined + self.transferred_in - outs

    def figures(self) -> list[tuple[str, str, int]]:
        """(key, heading, number) in the table's order."""
        return [
            ("start", _("At the start of the year"), self.start),
            ("joined", _("Developed"), self.joined),
            ("transferred_in", _("Transferred in"), self.transferred_in),
            ("transferred_out", _("Transferred out"), self.transferred_out + self.relationship_out),
            ("relationship_out", _("Of which: relationship transferred out on leaving"), self.relationship_out),
            ("died", _("Died"), self.died),
            ("expelled", _("Left the Party"), self.expelled),
            ("left_unrecorded", _("Left, reason not recorded"), self.left_unrecorded),
            ("end", _("At the end of the year"), self.end),
        ]


# ----------------------------------------------------------------------------- the members' tables

# The lines of a member table: the total, then the full and the probationary members at its date.
LINES = (("full", True), ("probationary", False))


def _band_q(field_name: str, band: Band, on: date) -> Q:
    """Whole years at `on` from the date in `field_name` within the band (the first band open below)."""
    q = Q(**{f"{field_name}__lte": years_before(on, band.low)}) if band.low > 0 else Q()
    if band.high is not None:
        q &= Q(**{f"{field_name}__gt": years_before(on, band.high + 1)})
    return q


def _categorical(name: str, choices: Iterable[tuple[str, Any]], *, blank: bool) -> list[tuple[Column, Q]]:
    cells = [(Column(value, str(label)), Q(**{name: value})) for value, label in choices]
    if blank:
        cells.append((Column("", _("Not recorded")), Q(**{name: ""})))
    return cells


def _joined_periods() -> list[tuple[Column, Q]]:
    cells = []
    for index, (first, label) in enumerate(JOINED_PERIODS):
        following = JOINED_PERIODS[index + 1][0] if index + 1 < len(JOINED_PERIODS) else None
        q = Q(joined_on__gte=first) if first is not None else Q()
        if following is not None:
            q &= Q(joined_on__lt=following)
        cells.append((Column(first.isoformat() if first else "", str(label)), q))
    return cells


def breakdowns(on: date) -> list[tuple[str, str, list[tuple[Column, Q]]]]:
    """The breakdowns counted by condition (ethnicity, whose columns are the values found, apart):
    (key, heading, [(column, which members it counts)])."""
    full = Q(full_on__lte=on)
    party_age = [(Column(b.key, str(b.label)), full & _band_q("full_on", b, on)) for b in party_age_bands()]
    party_age.append((Column("probationary", _("Probationary: no party age yet")), ~full | Q(full_on__isnull=True)))
    medal = Column("medal", _("Of which: 50 years in the Party (光荣在党50年)"), of_which=True)
    party_age.append((medal, Q(full_on__lte=years_before(on, MEDAL_PARTY_AGE))))
    return [
        ("sex", _("Sex"), _categorical("sex", Member.Sex.choices, blank=False)),
        ("age", _("Age"), [(Column(b.key, str(b.label)), _band_q("birth_date", b, on)) for b in age_bands()]),
        ("education", _("Education"), _categorical("education", reversed(Member.Education.choices), blank=True)),
        ("occupation", _("Occupation"), _categorical("occupation", Member.Occupation.choices, blank=True)),
        ("party_age", _("Party age"), party_age),
        ("joined", _("Joined the Party"), _joined_periods()),
    ]


def _grid(
    key: str, label: str, columns: Sequence[Column], totals: dict[bool, int], cells: dict[bool, list[int]]
) -> Grid:
    """A member grid: the total line, then the full and the probationary members' lines."""
    width = len(columns)
    split = [
        Line(key_, label_, totals.get(full, 0), tuple(cells.get(full, [0] * width)))
        for (key_, full), label_ in zip(LINES, (_("Full members"), _("Probationary members")), strict=True)
    ]
    total = Line(
        "total",
        _("Total"),
        sum(line.total for line in split),
        tuple(sum(line.cells[i] for line in split) for i in range(width)),
    )
    return Grid(key, label, tuple(columns), (total, *split))


def _ethnicity_grid(found: Iterable[tuple[bool, str, int]], totals: dict[bool, int]) -> Grid:
    """汉族, 少数民族 with each minority found after it (其中), and not recorded."""
    by_value: dict[str, dict[bool, int]] = defaultdict(dict)
    for full, ethnicity, n in found:
        by_value[ethnicity.strip()][full] = by_value[ethnicity.strip()].get(full, 0) + n
    minorities = sorted((v for v in by_value if v not in (HAN, "")), key=lambda v: (-sum(by_value[v].values()), v))
    columns = [
        Column("han", _("Han")),
        Column("minority", _("Ethnic minorities")),
        *(Column(v, v, of_which=True) for v in minorities),
        Column("", _("Not recorded")),
    ]
    cells = {}
    for _key, full in LINES:
        numbers = [by_value[v].get(full, 0) for v in minorities]
        han, blank = by_value.get(HAN, {}).get(full, 0), by_value.get("", {}).get(full, 0)
        cells[full] = [han, sum(numbers), *numbers, blank]
    return _grid("ethnicity", _("Ethnicity"), columns, totals, cells)


def member_table(rows: Q, *, key: str, title: str, on: date) -> MemberTable:
    """The members `rows` selects by every breakdown at `on`: one grouped aggregate of conditional
    counts (by full or probationary at `on`) and one grouping by ethnicity."""
    specs = breakdowns(on)
    conditions = [q for _key, _label, columns in specs for _column, q in columns]
    full = Case(When(full_on__lte=on, then=Value(True)), default=Value(False), output_field=BooleanField())
    qs = Member.objects.filter(rows).annotate(full=full).order_by()
    counts = {
        row["full"]: row
        for row in qs.values("full").annotate(
            n=Count("pk"), **{f"c{i}": Count("pk", filter=q) for i, q in enumerate(conditions)}
        )
    }
    totals = {full: row["n"] for full, row in counts.items()}
    grids = []
    offset = 0
    for grid_key, label, columns in specs:
        cells = {full: [row[f"c{offset + i}"] for i in range(len(columns))] for full, row in counts.items()}
        grids.append(_grid(grid_key, label, [column for column, _q in columns], totals, cells))
        offset += len(columns)
    ethnicities = qs.values_list("full", "ethnicity").annotate(n=Count("pk"))
    grids.insert(1, _ethnicity_grid(ethnicities, totals))
    return MemberTable(key, title, on, tuple(grids))


def organization_grid(organization: Organization, on: date) -> Grid:
    """The organizations of the subtree at the close of `on` (founded by then, not closed by then), by
    kind (lines, after the total) and by the kind of unit they sit in (columns): one grouping."""
    found = (
        Organization.objects.filter(path__startswith=organization.path)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=on))
        .filter(Q(closed_on__gt=on) | Q(closed_on__isnull=True, status=Organization.Status.ACTIVE))
        .order_by()
        .values_list("kind", "sector")
        .annotate(n=Count("pk"))
    )
    counts = {(kind, sector): n for kind, sector, n in found}
    sectors = Organization.Sector.choices
    lines = [
        Line(
            kind,
            str(label),
            sum(n for (k, _s), n in counts.items() if k == kind),
            tuple(counts.get((kind, s), 0) for s, _l in sectors),
        )
        for kind, label in Organization.Kind.choices
    ]
    total = Line(
        "total",
        _("Total"),
        sum(counts.values()),
        tuple(sum(line.cells[i] for line in lines) for i in range(len(sectors))),
    )
    columns = tuple(Column(sector, str(label)) for sector, label in sectors)
    return Grid("organizations", _("Party organizations"), columns, (total, *lines))

"""The compliance board: for each branch-level organization of a subtree, each required kind and
each period window overlapping the asked dates, whether the activity was held, with the rule and
its source. It lists organizations and kinds and never ranks people.

Which kinds apply: every required kind, except that a committee meeting is required only of a
branch with a committee and a Party group meeting only of a branch with Party groups.

Cost: one query for the branches (with their full members counted), one for their Party groups, one
for the local rules and one statement that returns, per organization, the windows in which
something was held as bits of an integer; states, totals and the rows' missed counts are bit
arithmetic. The rows shown get their cells, counts and reminders from two more queries.
"""

import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Activity, FrequencyRule
from lianxin.activities.rules.frequency import (
    COMMITTEE_MIN_FULL_MEMBERS,
    NATIONAL_RULES,
    NEEDS_COMMITTEE,
    NEEDS_GROUPS,
    REQUIRED_KINDS,
    Rule,
    RuleBook,
    window_containing,
    window_label,
    windows,
)
from lianxin.core.models import Event
from lianxin.core.periods import Period
from lianxin.core.statements import statement_memory
from lianxin.members.models import Member
from lianxin.organizations.models import Organization, OrganizationVerb

HELD = "held"
MISSED = "missed"
DUE = "due"  # the window is open and nothing has been held yet
UPCOMING = "upcoming"  # the window has not started
EXEMPT = "exempt"
STATE_LABELS = {
    HELD: _("held"),
    MISSED: _("not held"),
    DUE: _("due, not yet held"),
    UPCOMING: _("not yet due"),
    EXEMPT: _("exempt"),
}
DUE_SOON_DAYS = 14
# Held windows travel from the database as bits of an integer: at most 62 windows a column.
BITS_PER_COLUMN = 62
FILL_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Branch:
    """A branch-level organization as the board needs it, with what decides which kinds apply."""

    pk: int
    code: str
    name: str
    short_name: str
    path: str
    kind: str
    sector: str
    secretary_id: int | None
    has_committee: bool
    has_groups: bool

    def __str__(self) -> str:
        return self.short_name or self.name

    def needs_met(self, rule: Rule) -> bool:
        if rule.needs == NEEDS_COMMITTEE:
            return self.has_committee
        if rule.needs == NEEDS_GROUPS:
            return self.has_groups
        return True


@dataclass(frozen=True, slots=True)
class Slot:
    """One window of one kind and frequency, as the held-activities statement sees it."""

    index: int
    kind: str
    frequency: str
    window: Period
    column: int
    bit: int


@dataclass(slots=True)
class Cell:
    organization_id: int
    kind: str
    window: Period
    rule: Rule
    state: str
    held: int

    @property
    def label(self) -> str:
        frequency = self.rule.frequency or NATIONAL_RULES[self.kind].frequency
        return window_label(self.window, frequency)


Plan = list[tuple[Rule, Slot]]


class BoardRow:
    """One branch: its count of windows missed at once, its cells and reminders when first asked for
    (the board fills a page of rows with one query, see Board.fill)."""

    __slots__ = ("_cells", "_reminders", "board", "missed", "organization", "plans")

    def __init__(self, organization: Branch, missed: int, plans: dict[str, Plan], board: "Board") -> None:
        self.organization = organization
        self.missed = missed
        self.plans = plans  # kind -> the rule and slot of each window, for the kinds that apply
        self.board = board
        self._cells: dict[str, list[Cell]] | None = None
        self._reminders: list[Event] | None = None

    @property
    def cells(self) -> dict[str, list[Cell]]:
        if self._cells is None:
            self.board.fill([self])
        assert self._cells is not None
        return self._cells

    @property
    def reminders(self) -> list[Event]:
        if self._reminders is None:
            self.board.fill([self])
        assert self._reminders is not None
        return self._reminders

    @property
    def by_kind(self) -> list[list[Cell]]:
        return [self.cells.get(kind, []) for kind in REQUIRED_KINDS]


@dataclass
class Board:
    organization: Organization
    period: Period
    today: date
    rows: list[BoardRow]
    totals: dict[str, Counter[str]]
    due_soon: list[Cell]
    slots: list[Slot]

    def fill(self, rows: Iterable[BoardRow]) -> None:
        """Give `rows` their cells, with the number of activities held in each window, and their
        reminders: two queries for every FILL_CHUNK rows."""
        pending = [row for row in rows if row._cells is None]
        for i in range(0, len(pending), FILL_CHUNK):
            self._fill(pending[i : i + FILL_CHUNK])

    def _fill(self, rows: list[BoardRow]) -> None:
        counts = held_per_slot(self.slots, organization_ids=[row.organization.pk for row in rows])
        reminders = reminders_of([row.organization.pk for row in rows], self.period.start)
        for row in rows:
            pk = row.organization.pk
            row._cells = {
                kind: [
                    Cell(pk, kind, slot.window, rule, _state(n, rule, slot.window, self.today), n)
                    for rule, slot in plan
                    for n in (counts.get((pk, slot.index), 0),)
                ]
                for kind, plan in row.plans.items()
            }
            row._reminders = reminders.get(pk, [])


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def branches_of(organization: Organization, ids: Sequence[int] | None = None) -> list[Branch]:
    """The active branch-level organizations of the subtree (those of `ids` only, when given), each with
    whether it has a committee (7 or more full members, or a general branch) and Party groups."""
    full_members = (
        Member.objects.filter(organization=OuterRef("pk"), category=Member.Category.FULL)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = list(
        Organization.objects.filter(
            path__startswith=organization.path,
            kind__in=Organization.BRANCH_KINDS,
            status=Organization.Status.ACTIVE,
            **({} if ids is None else {"pk__in": list(ids)}),
        )
        .annotate(full_members=Coalesce(Subquery(full_members), 0))
        .order_by("path")
        .values_list("id", "code", "name", "short_name", "path", "kind", "sector", "secretary_id", "full_members")
    )
    groups = Organization.objects.filter(
        path__startswith=organization.path, kind=Organization.Kind.GROUP, status=Organization.Status.ACTIVE
    )
    if ids is not None:  # the groups of these branches only
        groups = groups.filter(reduce(operator.or_, (Q(path__startswith=row[4]) for row in found), Q(pk__in=[])))
    with_groups = {path[: -Organization.steplen] for path in groups.values_list("path", flat=True)}
    general = Organization.Kind.GENERAL_BRANCH
    return [
        Branch(
            pk, code, name, short, path, kind, sector, secretary,
            has_committee=kind == general or full >= COMMITTEE_MIN_FULL_MEMBERS,
            has_groups=path in with_groups,
        )
        for pk, code, name, short, path, kind, sector, secretary, full in found
    ]  # fmt: skip


def board_slots(book: RuleBook, start: date, end: date) -> list[Slot]:
    """Every window any branch may be checked in: for each required kind, the windows overlapping
    [start, end] of its national frequency and of every frequency a local rule gives it."""
    slots: list[Slot] = []
    column = -1
    for kind in REQUIRED_KINDS:
        frequencies = [NATIONAL_RULES[kind].frequency]
        for _key, override, _path in book.by_kind.get(kind, ()):
            if override.frequency and override.frequency not in frequencies:
                frequencies.append(override.frequency)
        for frequency in frequencies:
            for n, window in enumerate(windows(frequency, start, end)):
                if n % BITS_PER_COLUMN == 0:
                    column += 1
                slots.append(Slot(len(slots), kind, frequency, window, column, 1 << (n % BITS_PER_COLUMN)))
    return slots


def _activities_db() -> BaseDatabaseWrapper:
    """Where activities are read: the replica inside replica_reads() (lianxin/core/replica.py)."""
    return connections[router.db_for_read(Activity)]


def _held_statement(slots: Sequence[Slot], select: str, where: str) -> tuple[str, list[Any]]:
    """Held activities joined to the windows they fall in (local midnights as bounds, so a congress
    late on a quarter's last day counts in that quarter), on PostgreSQL and SQLite alike."""
    adapt = _activities_db().ops.adapt_datetimefield_value
    values: list[Any] = []
    for slot in slots:
        values += [slot.index, slot.kind, slot.column, slot.bit, *(adapt(bound) for bound in slot.window.bounds)]
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(slots))
    activity = Activity._meta.db_table
    sql = (
        f"WITH win (slot, kind, col, bit, low, high) AS (VALUES {rows}) "
        f"SELECT {select} FROM {activity} a "
        "JOIN win w ON a.kind = w.kind AND a.starts_at >= w.low AND a.starts_at < w.high "
        # The span of all windows, so an index on the start bounds the activities read.
        f"WHERE a.status = %s AND a.starts_at >= %s AND a.starts_at < %s AND {where}"
    )
    span = [adapt(f(slot.window.bounds[i] for slot in slots)) for f, i in ((min, 0), (max, 1))]
    return sql, [*values, Activity.Status.HELD, *span]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with _activities_db().cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def held_masks(
    slots: Sequence[Slot], organization: Organization, ids: Sequence[int] | None = None
) -> dict[int, list[int]]:
    """For each organization of the subtree (or of `ids`) that held anything, one integer per column
    whose bits are the windows with at least one activity held: one short row per organization.

    PostgreSQL ORs the bits, one group per organization (a DISTINCT of (organization, column, bit)
    first spilled to disk at city scale); SQLite, without BIT_OR, sums the distinct bits."""
    columns = max((s.column for s in slots), default=-1) + 1
    if ids is None:
        table = Organization._meta.db_table
        subtree, where = f"a.organization_id IN (SELECT id FROM {table} WHERE path LIKE %s)", [organization.path + "%"]
    elif not ids:
        return {}
    else:
        subtree, where = f"a.organization_id IN ({', '.join(['%s'] * len(ids))})", list(ids)
    database = _activities_db()
    if database.vendor == "postgresql":
        pivot = ", ".join(f"BIT_OR(CASE WHEN w.col = {c} THEN w.bit ELSE 0 END)" for c in range(columns))
        sql, params = _held_statement(slots, f"a.organization_id, {pivot}", f"{subtree} GROUP BY a.organization_id")
    else:
        pivot = ", ".join(f"SUM(CASE WHEN col = {c} THEN bit ELSE 0 END)" for c in range(columns))
        inner, params = _held_statement(slots, "DISTINCT a.organization_id AS org, w.col AS col, w.bit AS bit", subtree)
        sql = f"SELECT org, {pivot} FROM ({inner}) held GROUP BY org"
    with statement_memory(using=database.alias):
        found = _fetch(sql, [*params, *where])
    return {org: [int(m) for m in masks] for org, *masks in found}


def held_per_slot(slots: Sequence[Slot], organization_ids: Sequence[int]) -> dict[tuple[int, int], int]:
    """The number of activities held by each of `organization_ids` in each window."""
    marks = ", ".join(["%s"] * len(organization_ids))
    sql, params = _held_statement(
        slots,
        "a.organization_id, w.slot, COUNT(*)",
        f"a.organization_id IN ({marks}) GROUP BY a.organization_id, w.slot",
    )
    return {(org, slot): n for org, slot, n in _fetch(sql, [*params, *organization_ids])}


def reminders_of(organization_ids: Sequence[int], since: date) -> dict[int, list[Event]]:
    if not organization_ids:
        return {}
    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Organization),
        subject_id__in=list(organization_ids),
        verb=OrganizationVerb.COMPLIANCE_REMINDED,
        at__gte=_local_start(since),
    ).order_by("-at")
    found: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        found[event.subject_id].append(event)
    return found


def _state(held: int, rule: Rule, window: Period, today: date) -> str:
    if held:
        return HELD
    if rule.exempt:
        return EXEMPT
    if window.end < today:
        return MISSED
    if window.start > today:
        return UPCOMING
    return DUE


def _plan(book: RuleBook, branch: Branch, kind: str, start: date, end: date, slot_of: dict[Any, Slot]) -> Plan:
    """The rule in force and its window, window by window from `start` to `end`, where local rules apply."""
    plan: Plan = []
    day = start
    while day <= end:
        rule = book.rule_for(branch, kind, day)
        if rule is None:
            break
        frequency = rule.frequency or NATIONAL_RULES[kind].frequency
        window = window_containing(frequency, day)
        plan.append((rule, slot_of[kind, frequency, window.start]))
        day = window.end + timedelta(days=1)
    return plan


def _reached_by(book: RuleBook, kind: str, start: date, end: date) -> list[tuple[str, str]]:
    """(path, sector) of the local rules for `kind` in force at some time between start and end."""
    return [
        (path, override.sector)
        for _key, override, path in book.by_kind.get(kind, ())
        if override.valid_from <= end and (override.valid_until is None or override.valid_until >= start)
    ]


# A branch's windows of one kind under the national rule, by column of bits: (column, every window,
# past, open, future, open and ending within DUE_SOON_DAYS).
ColumnBits = tuple[int, int, int, int, int, int]
STATES = (HELD, MISSED, DUE, UPCOMING, EXEMPT)


def _national_columns(plan: Plan, today: date) -> list[ColumnBits]:
    by_column: dict[int, list[int]] = {}
    for _rule, s in plan:
        bits = by_column.setdefault(s.column, [0, 0, 0, 0, 0])
        bits[0] |= s.bit
        if s.window.end < today:
            bits[1] |= s.bit
        elif s.window.start > today:
            bits[3] |= s.bit
        else:
            bits[2] |= s.bit
            if (s.window.end - today).days <= DUE_SOON_DAYS:
                bits[4] |= s.bit
    return [(column, *bits) for column, bits in by_column.items()]  # type: ignore[misc]


@dataclass
class _Tally:
    """What the board counts while it walks the branches: windows per kind and state, and what is due soon."""

    today: date
    counted: dict[str, list[int]] = field(default_factory=lambda: {kind: [0] * len(STATES) for kind in REQUIRED_KINDS})
    due_soon: list[Cell] = field(default_factory=list)

    def local(self, branch: Branch, kind: str, plan: Plan, held_bits: list[int]) -> int:
        """Count a plan resolved window by window; return the windows missed."""
        missed = 0
        for rule, s in plan:
            state = _state(held_bits[s.column] & s.bit, rule, s.window, self.today)
            self.counted[kind][STATES.index(state)] += 1
            missed += state == MISSED
            if state == DUE and (s.window.end - self.today).days <= DUE_SOON_DAYS:
                self.due_soon.append(Cell(branch.pk, kind, s.window, rule, DUE, 0))
        return missed

    def national(self, branch: Branch, kind: str, plan: Plan, columns: list[ColumnBits], held_bits: list[int]) -> int:
        """Count the national plan by bit arithmetic; return the windows missed."""
        missed = 0
        totals = self.counted[kind]
        for column, every, past, open_, future, soon in columns:
            held = held_bits[column] & every
            late = (past & ~held).bit_count()
            totals[0] += held.bit_count()
            totals[1] += late
            totals[2] += (open_ & ~held).bit_count()
            totals[3] += (future & ~held).bit_count()
            missed += late
            if soon & ~held:
                self.due_soon += [
                    Cell(branch.pk, kind, s.window, rule, DUE, 0)
                    for rule, s in plan
                    if s.column == column and s.bit & soon & ~held
                ]
        return missed

    def totals(self) -> dict[str, Counter[str]]:
        return {
            kind: Counter({s: n for s, n in zip(STATES, counts, strict=True) if n})
            for kind, counts in self.counted.items()
        }


def compliance_board(
    *, organization: Organization, start: date, end: date, today: date | None = None, only: Sequence[int] | None = None
) -> Board:
    """Every required kind of every branch-level organization under `organization` (or of those in
    `only`: a page of a board whose totals were computed before), window by window.

    Which windows held something comes from one statement as bit masks; the states and totals are
    bit arithmetic on them. Branches reached by a local rule for a kind resolve that kind window by
    window. Cells with their counts are built only for the rows shown (Board.fill).
    """
    today = today or timezone.localdate()
    book = RuleBook.load()
    slots = board_slots(book, start, end)
    slot_of = {(s.kind, s.frequency, s.window.start): s for s in slots}
    masks = held_masks(slots, organization, only)
    board = Board(organization, Period(start, end), today, [], {}, [], slots)
    national = {
        kind: [(rule, s) for s in slots if s.kind == kind and s.frequency == rule.frequency]
        for kind, rule in NATIONAL_RULES.items()
    }
    columns = {kind: _national_columns(plan, today) for kind, plan in national.items()}
    reached = {kind: _reached_by(book, kind, start, end) for kind in REQUIRED_KINDS}
    tally = _Tally(today)
    no_masks = [0] * (max((s.column for s in slots), default=-1) + 1)
    for branch in branches_of(organization, only):
        held_bits = masks.get(branch.pk, no_masks)
        plans: dict[str, Plan] = {}
        missed = 0
        for kind in REQUIRED_KINDS:
            if not branch.needs_met(NATIONAL_RULES[kind]):
                continue
            if any(branch.path.startswith(p) and sector in ("", branch.sector) for p, sector in reached[kind]):
                plans[kind] = _plan(book, branch, kind, start, end, slot_of)
                missed += tally.local(branch, kind, plans[kind], held_bits)
            else:
                plans[kind] = national[kind]
                missed += tally.national(branch, kind, national[kind], columns[kind], held_bits)
        board.rows.append(BoardRow(branch, missed, plans, board))
    board.totals = tally.totals()
    board.due_soon = tally.due_soon
    return board


def local_rules_for(organization: Organization) -> QuerySet[FrequencyRule]:
    """The local rules that reach the subtree: set on it or anything under it, or on an organization above it."""
    above = [organization.path[:i] for i in range(organization.steplen, len(organization.path), organization.steplen)]
    return (
        FrequencyRule.objects.filter(
            Q(organization__path__startswith=organization.path) | Q(organization__path__in=above)
        )
        .select_related("organization")
        .order_by("organization__path", "kind", "valid_from")
    )

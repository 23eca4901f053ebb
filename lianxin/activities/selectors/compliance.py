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

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Activity
from lianxin.activities.rules.frequency import (
    COMMITTEE_MIN_FULL_MEMBERS,
    NATIONAL_RULES,
    NEEDS_COMMITTEE,
    NEEDS_GROUPS,
    REQUIRED_KINDS,
    Rule,
    RuleBook,
    Window,
    window_containing,
    windows,
)
from lianxin.core.models import Event
from lianxin.core.services import event_record
from lianxin.core.types import AnyActor
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

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
REMINDED_VERB = "compliance_reminded"
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
    window: Window
    column: int
    bit: int


@dataclass(slots=True)
class Cell:
    organization_id: int
    kind: str
    window: Window
    rule: Rule
    state: str
    held: int

    @property
    def label(self) -> str:
        frequency = self.rule.frequency or NATIONAL_RULES[self.kind].frequency
        return self.window.label(frequency)


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
    start: date
    end: date
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
        reminders = reminders_of([row.organization.pk for row in rows], self.start)
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


def branches_of(organization: Organization) -> list[Branch]:
    """The active branch-level organizations of the subtree, each with whether it has a committee
    (7 or more full members, or a general branch) and Party groups (an active group under it)."""
    full_members = (
        Member.objects.filter(organization=OuterRef("pk"), category=Member.Category.FULL)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = (
        Organization.objects.filter(
            path__startswith=organization.path,
            kind__in=Organization.BRANCH_KINDS,
            status=Organization.Status.ACTIVE,
        )
        .annotate(full_members=Coalesce(Subquery(full_members), 0))
        .order_by("path")
        .values_list("id", "code", "name", "short_name", "path", "kind", "sector", "secretary_id", "full_members")
    )
    with_groups = {
        path[: -Organization.steplen]
        for path in Organization.objects.filter(
            path__startswith=organization.path, kind=Organization.Kind.GROUP, status=Organization.Status.ACTIVE
        ).values_list("path", flat=True)
    }
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


def _held_statement(slots: Sequence[Slot], select: str, where: str) -> tuple[str, list[Any]]:
    """Held activities joined to the windows they fall in (local midnights as bounds, so a congress
    late on a quarter's last day counts in that quarter), on PostgreSQL and SQLite alike."""
    adapt = connection.ops.adapt_datetimefield_value
    values: list[Any] = []
    for slot in slots:
        values += [
            slot.index,
            slot.kind,
            slot.column,
            slot.bit,
            adapt(_local_start(slot.window.start)),
            adapt(_local_start(slot.window.end + timedelta(days=1))),
        ]
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(slots))
    activity = Activity._meta.db_table
    sql = (
        f"WITH win (slot, kind, col, bit, low, high) AS (VALUES {rows}) "
        f"SELECT {select} FROM {activity} a "
        "JOIN win w ON a.kind = w.kind AND a.starts_at >= w.low AND a.starts_at < w.high "
        f"WHERE a.status = %s AND {where}"
    )
    return sql, [*values, Activity.Status.HELD]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def held_masks(slots: Sequence[Slot], organization: Organization) -> dict[int, list[int]]:
    """For each organization of the subtree that held anything, one integer per column whose bits are
    the windows with at least one activity held: one short row per organization."""
    columns = max((s.column for s in slots), default=-1) + 1
    pivot = ", ".join(f"SUM(CASE WHEN col = {c} THEN bit ELSE 0 END)" for c in range(columns))
    inner, params = _held_statement(
        slots,
        "DISTINCT a.organization_id AS org, w.col AS col, w.bit AS bit",
        f"a.organization_id IN (SELECT id FROM {Organization._meta.db_table} WHERE path LIKE %s)",
    )
    sql = f"SELECT org, {pivot} FROM ({inner}) held GROUP BY org"
    return {org: [int(m) for m in masks] for org, *masks in _fetch(sql, [*params, organization.path + "%"])}


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
        verb=REMINDED_VERB,
        at__gte=_local_start(since),
    ).order_by("-at")
    found: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        found[event.subject_id].append(event)
    return found


def _state(held: int, rule: Rule, window: Window, today: date) -> str:
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


def compliance_board(*, organization: Organization, start: date, end: date, today: date | None = None) -> Board:
    """Every required kind of every branch-level organization under `organization`, window by window.

    Which windows held something comes from one statement as bit masks; the states and totals are
    bit arithmetic on them. Branches reached by a local rule for a kind resolve that kind window by
    window. Cells with their counts are built only for the rows shown (Board.fill).
    """
    today = today or timezone.localdate()
    branches = branches_of(organization)
    book = RuleBook.load()
    slots = board_slots(book, start, end)
    slot_of = {(s.kind, s.frequency, s.window.start): s for s in slots}
    masks = held_masks(slots, organization)
    board = Board(organization, start, end, today, [], {}, [], slots)

    # The national plan of each kind, and its windows as bit masks by column: all, past, open, future
    # and open but ending within DUE_SOON_DAYS.
    national: dict[str, Plan] = {}
    columns: dict[str, list[tuple[int, int, int, int, int, int]]] = {}
    for kind, rule in NATIONAL_RULES.items():
        national[kind] = [(rule, s) for s in slots if s.kind == kind and s.frequency == rule.frequency]
        by_column: dict[int, list[int]] = {}
        for _rule, s in national[kind]:
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
        columns[kind] = [(column, *bits) for column, bits in by_column.items()]  # type: ignore[misc]
    reached = {kind: _reached_by(book, kind, start, end) for kind in REQUIRED_KINDS}

    counted: dict[str, list[int]] = {
        kind: [0, 0, 0, 0, 0] for kind in REQUIRED_KINDS
    }  # held missed due upcoming exempt
    no_masks = [0] * (max((s.column for s in slots), default=-1) + 1)
    for branch in branches:
        held_bits = masks.get(branch.pk, no_masks)
        plans: dict[str, Plan] = {}
        missed = 0
        for kind in REQUIRED_KINDS:
            national_rule = NATIONAL_RULES[kind]
            if not branch.needs_met(national_rule):
                continue
            kind_totals = counted[kind]
            if any(
                branch.path.startswith(p) and (not sector or sector == branch.sector) for p, sector in reached[kind]
            ):
                plan = _plan(book, branch, kind, start, end, slot_of)
                for rule, s in plan:
                    state = _state(held_bits[s.column] & s.bit, rule, s.window, today)
                    kind_totals[(HELD, MISSED, DUE, UPCOMING, EXEMPT).index(state)] += 1
                    missed += state == MISSED
                    if state == DUE and (s.window.end - today).days <= DUE_SOON_DAYS:
                        board.due_soon.append(Cell(branch.pk, kind, s.window, rule, DUE, 0))
                plans[kind] = plan
                continue
            plans[kind] = national[kind]
            for column, every, past, open_, future, soon in columns[kind]:
                held = held_bits[column] & every
                kind_totals[0] += held.bit_count()
                late = (past & ~held).bit_count()
                kind_totals[1] += late
                kind_totals[2] += (open_ & ~held).bit_count()
                kind_totals[3] += (future & ~held).bit_count()
                missed += late
                if soon & ~held:
                    board.due_soon += [
                        Cell(branch.pk, kind, s.window, rule, DUE, 0)
                        for rule, s in national[kind]
                        if s.column == column and s.bit & soon & ~held
                    ]
        board.rows.append(BoardRow(branch, missed, plans, board))
    states = (HELD, MISSED, DUE, UPCOMING, EXEMPT)
    board.totals = {
        kind: Counter({s: n for s, n in zip(states, counts, strict=True) if n}) for kind, counts in counted.items()
    }
    return board


@transaction.atomic
def compliance_remind(*, organization: Organization, actor: AnyActor = None, today: date | None = None) -> list[Event]:
    """Record a reminder on each branch under `organization` with a required activity due soon and not held.

    There is no message channel: the reminder is an event on the organization, addressed to its
    secretary, shown on the board. A branch already reminded today is not reminded again.
    """
    today = today or timezone.localdate()
    board = compliance_board(organization=organization, start=today, end=today, today=today)
    due: dict[int, list[Cell]] = defaultdict(list)
    for cell in board.due_soon:
        due[cell.organization_id].append(cell)
    organizations = Organization.objects.select_for_update().filter(pk__in=list(due)).order_by("pk")
    locked = {org.pk: org for org in organizations}
    already = set(
        Event.objects.filter(
            subject_type=ContentType.objects.get_for_model(Organization),
            verb=REMINDED_VERB,
            subject_id__in=list(due),
            data__on=today.isoformat(),
        ).values_list("subject_id", flat=True)
    )
    recorded: list[Event] = []
    for pk, cells in due.items():
        if pk in already or pk not in locked:
            continue
        organization = locked[pk]
        recorded.append(
            event_record(
                subject=organization,
                actor=actor,
                verb=REMINDED_VERB,
                note=", ".join(f"{c.kind} {c.label}" for c in cells),
                data={
                    "on": today.isoformat(),
                    "secretary_id": organization.secretary_id,
                    "due": [{"kind": c.kind, "window": c.label, "ends": c.window.end.isoformat()} for c in cells],
                },
            )
        )
    return recorded

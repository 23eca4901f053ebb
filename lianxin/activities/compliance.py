"""The compliance board: for each branch-level organization of a subtree, each required kind and
each period window overlapping the asked dates, whether the activity was held, with the rule and
its source. It lists organizations and kinds and never ranks people.

Cost: one query for the branches, one for the overrides, one grouped count of held activities per
(organization, kind, month) and one for the reminders; the rest is arithmetic in memory.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Activity
from lianxin.activities.rules import (
    NATIONAL_RULES,
    REQUIRED_KINDS,
    Rule,
    RuleBook,
    Window,
    window_containing,
    windows,
)
from lianxin.core.models import Event
from lianxin.core.services import event_record
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

    def due_soon(self, today: date, days: int = DUE_SOON_DAYS) -> bool:
        return self.state == DUE and (self.window.end - today).days <= days


@dataclass
class BoardRow:
    organization: Organization
    cells: dict[str, list[Cell]] = field(default_factory=dict)
    reminders: list[Event] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(1 for cells in self.cells.values() for c in cells if c.state == MISSED)

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

    def cells(self) -> list[Cell]:
        return [c for row in self.rows for cells in row.cells.values() for c in cells]

    def due_soon(self, days: int = DUE_SOON_DAYS) -> list[Cell]:
        return [c for c in self.cells() if c.due_soon(self.today, days)]


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def branches_of(organization: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(
            path__startswith=organization.path,
            kind__in=Organization.BRANCH_KINDS,
            status=Organization.Status.ACTIVE,
        )
        .only("id", "path", "depth", "code", "name", "short_name", "kind", "sector", "secretary_id")
        .order_by("path")
    )


def kind_ranges(book: RuleBook, start: date, end: date) -> dict[str, tuple[date, date]]:
    """For each required kind, the days its windows overlapping [start, end] can cover, whatever
    frequency an override gives it (a quarter's monthly kinds need that quarter only)."""
    ranges: dict[str, tuple[date, date]] = {}
    for kind in REQUIRED_KINDS:
        frequencies = {NATIONAL_RULES[kind].frequency} | {
            override.frequency for _key, override, _path in book.by_kind.get(kind, ()) if override.frequency
        }
        ranges[kind] = (
            min(window_containing(f, start).start for f in frequencies),
            max(window_containing(f, end).end for f in frequencies),
        )
    return ranges


def held_counts(
    organization: Organization, ranges: dict[str, tuple[date, date]]
) -> dict[tuple[int, str, int], list[int]]:
    """Held activities of the subtree per (organization, kind, year), as counts by local month (index 1-12).

    One grouped query returning one row per organization, kind and year with twelve monthly
    counts: integers only, so no per-row date conversion.
    """
    tz = timezone.get_default_timezone()
    in_range = Q()
    for kind, (first, last) in ranges.items():
        in_range |= Q(
            kind=kind, starts_at__gte=_local_start(first), starts_at__lt=_local_start(last + timedelta(days=1))
        )
    monthly = {f"m{m}": Count("pk", filter=Q(month=m)) for m in range(1, 13)}
    rows = (
        Activity.objects.filter(in_range, organization__path__startswith=organization.path, status=Activity.Status.HELD)
        .annotate(year=ExtractYear("starts_at", tzinfo=tz), month=ExtractMonth("starts_at", tzinfo=tz))
        .order_by()
        .values_list("organization_id", "kind", "year")
        .annotate(**monthly)
    )
    # Read straight from the cursor: the columns are plain integers and text, and ~16,000 rows for
    # a city's quarter would otherwise each pass through the queryset's converters.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(org_id, kind, int(year)): [0, *months] for org_id, kind, year, *months in cursor.fetchall()}


def reminders_of(organizations: list[Organization], since: date) -> dict[int, list[Event]]:
    if not organizations:
        return {}
    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Organization),
        verb=REMINDED_VERB,
        at__gte=_local_start(since),
    ).order_by("-at")
    if len(organizations) <= 500:
        events = events.filter(subject_id__in=[o.pk for o in organizations])
    wanted = {o.pk for o in organizations}
    found: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.subject_id in wanted:
            found[event.subject_id].append(event)
    return found


def _plan(book: RuleBook, org: Organization, kind: str, start: date, end: date) -> list[tuple[Rule, Window]]:
    """The rule in force and its window, window by window from `start` to `end`."""
    plan: list[tuple[Rule, Window]] = []
    day = start
    while day <= end:
        rule = book.rule_for(org, kind, day)
        if rule is None:
            break
        window = window_containing(rule.frequency or NATIONAL_RULES[kind].frequency, day)
        plan.append((rule, window))
        day = window.end + timedelta(days=1)
    return plan


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


def compliance_board(*, organization: Organization, start: date, end: date, today: date | None = None) -> Board:
    """Every required kind of every branch-level organization under `organization`, window by window.

    Kinds without local overrides share one plan of windows for every branch; only kinds with
    overrides resolve the rule per branch.
    """
    today = today or timezone.localdate()
    branches = branches_of(organization)
    book = RuleBook.load()
    counts = held_counts(organization, kind_ranges(book, start, end))
    reminders = reminders_of(branches, start)
    national = {
        kind: [(rule, window) for window in windows(rule.frequency, start, end)]
        for kind, rule in NATIONAL_RULES.items()
    }
    rows: list[BoardRow] = []
    counted: dict[str, dict[str, int]] = {kind: dict.fromkeys(STATE_LABELS, 0) for kind in REQUIRED_KINDS}
    is_branch = set(Organization.BRANCH_KINDS)
    for org in branches:
        row = BoardRow(org, reminders=reminders.get(org.pk, []))
        for kind in REQUIRED_KINDS:
            if kind in book.by_kind:
                plan = _plan(book, org, kind, start, end)
            else:
                plan = national[kind] if org.kind in is_branch else []
            if not plan:
                continue
            cells: list[Cell] = []
            kind_totals = counted[kind]
            for rule, window in plan:
                months = counts.get((org.pk, kind, window.start.year))
                held = sum(months[window.start.month : window.end.month + 1]) if months else 0
                state = _state(held, rule, window, today)
                cells.append(Cell(org.pk, kind, window, rule, state, held))
                kind_totals[state] += 1
            row.cells[kind] = cells
        rows.append(row)
    totals = {kind: Counter({state: n for state, n in states.items() if n}) for kind, states in counted.items()}
    return Board(organization, start, end, today, rows, totals)


@transaction.atomic
def compliance_remind(*, organization: Organization, actor: object = None, today: date | None = None) -> list[Event]:
    """Record a reminder on each branch under `organization` with a required activity due soon and not held.

    There is no message channel: the reminder is an event on the organization, addressed to its
    secretary, shown on the board. A branch already reminded today is not reminded again.
    """
    today = today or timezone.localdate()
    board = compliance_board(organization=organization, start=today, end=today, today=today)
    due: dict[int, list[Cell]] = defaultdict(list)
    for cell in board.due_soon():
        due[cell.organization_id].append(cell)
    list(Organization.objects.select_for_update().filter(pk__in=list(due)).order_by("pk").values_list("pk"))
    already = set(
        Event.objects.filter(
            subject_type=ContentType.objects.get_for_model(Organization),
            verb=REMINDED_VERB,
            subject_id__in=list(due),
            data__on=today.isoformat(),
        ).values_list("subject_id", flat=True)
    )
    recorded: list[Event] = []
    for row in board.rows:
        cells = due.get(row.organization.pk)
        if not cells or row.organization.pk in already:
            continue
        recorded.append(
            event_record(
                subject=row.organization,
                actor=actor,
                verb=REMINDED_VERB,
                note=", ".join(f"{c.kind} {c.label}" for c in cells),
                data={
                    "on": today.isoformat(),
                    "secretary_id": row.organization.secretary_id,
                    "due": [{"kind": c.kind, "window": c.label, "ends": c.window.end.isoformat()} for c in cells],
                },
            )
        )
    return recorded

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
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Activity
from lianxin.activities.rules import NATIONAL_RULES, REQUIRED_KINDS, Rule, RuleBook, Window, window_containing
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


@dataclass(frozen=True)
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
        .select_related("secretary")
        .order_by("path")
    )


def held_counts(organization: Organization, first: date, last: date) -> dict[tuple[int, str, date], int]:
    """Held activities of the subtree per (organization, kind, first day of the local month)."""
    rows = (
        Activity.objects.filter(
            organization__path__startswith=organization.path,
            status=Activity.Status.HELD,
            kind__in=REQUIRED_KINDS,
            starts_at__gte=_local_start(first),
            starts_at__lt=_local_start(last + timedelta(days=1)),
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_default_timezone()))
        .order_by()
        .values_list("organization_id", "kind", "month")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[int, str, date], int] = {}
    for org_id, kind, month, n in rows:
        day = month.date() if isinstance(month, datetime) else month
        counts[(org_id, kind, day)] = n
    return counts


def _months(window: Window) -> list[date]:
    months, day = [], window.start
    while day <= window.end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


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


def compliance_board(*, organization: Organization, start: date, end: date, today: date | None = None) -> Board:
    """Every required kind of every branch-level organization under `organization`, window by window."""
    today = today or timezone.localdate()
    branches = branches_of(organization)
    book = RuleBook.load()
    first, last = date(start.year, 1, 1), date(end.year, 12, 31)
    counts = held_counts(organization, first, last)
    reminders = reminders_of(branches, start)
    rows: list[BoardRow] = []
    totals: dict[str, Counter[str]] = {kind: Counter() for kind in REQUIRED_KINDS}
    for org in branches:
        row = BoardRow(org, reminders=reminders.get(org.pk, []))
        for kind in REQUIRED_KINDS:
            cells: list[Cell] = []
            day = start
            while day <= end:
                rule = book.rule_for(org, kind, day)
                if rule is None:
                    break
                window = window_containing(rule.frequency or NATIONAL_RULES[kind].frequency, day)
                held = sum(counts.get((org.pk, kind, month), 0) for month in _months(window))
                if held:
                    state = HELD
                elif rule.exempt:
                    state = EXEMPT
                elif window.end < today:
                    state = MISSED
                elif window.start > today:
                    state = UPCOMING
                else:
                    state = DUE
                cells.append(Cell(org.pk, kind, window, rule, state, held))
                totals[kind][state] += 1
                day = window.end + timedelta(days=1)
            if cells:
                row.cells[kind] = cells
        rows.append(row)
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
    recorded: list[Event] = []
    for row in board.rows:
        cells = due.get(row.organization.pk)
        if not cells or any(e.data.get("on") == today.isoformat() for e in row.reminders):
            continue
        secretary = row.organization.secretary
        recorded.append(
            event_record(
                subject=row.organization,
                actor=actor,
                verb=REMINDED_VERB,
                note=", ".join(f"{c.kind} {c.label}" for c in cells),
                data={
                    "on": today.isoformat(),
                    "secretary_id": secretary.pk if secretary else None,
                    "due": [{"kind": c.kind, "window": c.label, "ends": c.window.end.isoformat()} for c in cells],
                },
            )
        )
    return recorded

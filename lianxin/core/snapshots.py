"""Figure snapshots: figures of a large subtree computed in the background, so that its page reads one
row instead of computing while the viewer waits (ADR 17).

Tallies (ADR 16) sum; distinct counts over a subtree and a period (members present at least once) do
not, and a whole province's board walks every branch. So an app registers, in its `snapshots` module
(found the way the admin finds `admin` modules), each figure it keeps this way: `figure_register(
Figure(name, compute, periods, organizations))`. `snapshots_refresh` (command, task; every minute
beside `tallies_refresh`) computes, for every organization and period the figure names, those
snapshots missing or older than LIANXIN_SNAPSHOT_REFRESH_MINUTES, and deletes those no longer named.
A page reads a snapshot with `snapshot_read` while it is fresh: computed today, by the figure's
current version, less than LIANXIN_SNAPSHOT_STALE_MINUTES ago; otherwise it computes live as before.
What is stored is exactly what the figure's own computation returned at `computed_at`, which pages show.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from time import perf_counter
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from lianxin.core.models import FigureSnapshot
from lianxin.core.periods import Period


@dataclass(frozen=True)
class Computed:
    """What a figure's computation returns: JSON-able figures and, for a list too long to read whole
    on every page (a province's 200,000 branches), fixed-width records read by slices (`snapshot_items`)."""

    payload: dict[str, Any]
    items: bytes = b""


# (organization id, period, today) -> the figures.
Compute = Callable[[int, Period, date], Computed]
# One refresh at a time across processes (PostgreSQL's session advisory lock; SQLite has one writer).
LOCK_KEY = 0x6C78_736E  # "lxsn"


@dataclass(frozen=True)
class Figure:
    name: str
    compute: Compute
    periods: Callable[[date], Sequence[Period]]  # the periods kept, given today
    organizations: Callable[[], Sequence[int]]  # the subtrees kept (their roots' ids)
    version: int = 1  # raised when the payload's shape changes: older snapshots are not read


_FIGURES: dict[str, Figure] = {}
_discovered = False


def figure_register(figure: Figure) -> None:
    """Declare a figure (at import of an app's `snapshots` module); the same name twice is an error."""
    if figure.name in _FIGURES and _FIGURES[figure.name] != figure:
        raise ValueError(f"figure {figure.name!r} is registered twice")
    _FIGURES[figure.name] = figure


def figures() -> list[Figure]:
    global _discovered
    if not _discovered:
        autodiscover_modules("snapshots")
        _discovered = True
    return list(_FIGURES.values())


def refresh_minutes() -> int:
    return int(settings.LIANXIN_SNAPSHOT_REFRESH_MINUTES)


@dataclass(frozen=True)
class Snapshot:
    pk: int
    payload: dict[str, Any]
    computed_at: datetime


def snapshot_read(name: str, organization_id: int, period: Period) -> Snapshot | None:
    """The fresh snapshot of `name` for the subtree of `organization_id` and `period`, or None."""
    figure = next((f for f in figures() if f.name == name), None)
    if figure is None:
        return None
    found = (
        FigureSnapshot.objects.filter(
            name=name,
            organization_id=organization_id,
            start=period.start,
            end=period.end,
            version=figure.version,
            computed_for=timezone.localdate(),
            computed_at__gte=timezone.now() - timedelta(minutes=int(settings.LIANXIN_SNAPSHOT_STALE_MINUTES)),
        )
        .values_list("pk", "payload", "computed_at")
        .first()
    )
    return None if found is None else Snapshot(pk=found[0], payload=found[1], computed_at=found[2])


def snapshot_items(snapshot: Snapshot, start: int, length: int) -> bytes:
    """`length` bytes of a snapshot's items from byte `start` (0-based), read by the database as a slice."""
    if length <= 0:
        return b""
    part = (
        FigureSnapshot.objects.filter(pk=snapshot.pk)
        .annotate(part=Substr("items", start + 1, length, output_field=models.BinaryField()))
        .values_list("part", flat=True)
        .first()
    )
    return bytes(part or b"")


@dataclass(frozen=True)
class Refreshed:
    name: str
    computed: int  # snapshots computed and stored
    kept: int  # still fresh, left as they were
    dropped: int  # no longer named by the figure
    took_ms: int
    skipped: bool = False  # another refresh was running


def snapshots_refresh(*, force: bool = False, names: Sequence[str] = ()) -> list[Refreshed]:
    """Compute the snapshots of every registered figure (or those named) that are missing or due
    (every one when `force`), and delete those no longer named."""
    chosen = [f for f in figures() if not names or f.name in names]
    with _one_at_a_time() as alone:
        if not alone:
            return [Refreshed(f.name, 0, 0, 0, 0, skipped=True) for f in chosen]
        return [_refresh_one(figure, force=force) for figure in chosen]


@contextmanager
def _one_at_a_time() -> Iterator[bool]:
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        alone = bool(cursor.fetchone()[0])
    try:
        yield alone
    finally:
        if alone:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _refresh_one(figure: Figure, *, force: bool) -> Refreshed:
    clock = perf_counter()
    today = timezone.localdate()
    due_before = timezone.now() - timedelta(minutes=refresh_minutes())
    wanted = [(org, period) for org in figure.organizations() for period in figure.periods(today)]
    held = {
        (org, start, end): (pk, at, day, version)
        for pk, org, start, end, at, day, version in FigureSnapshot.objects.filter(name=figure.name).values_list(
            "pk", "organization_id", "start", "end", "computed_at", "computed_for", "version"
        )
    }
    computed = 0
    for org, period in wanted:
        have = held.pop((org, period.start, period.end), None)
        if not force and have is not None and have[1] >= due_before and have[2] == today and have[3] == figure.version:
            continue
        _compute_one(figure, org, period, today)
        computed += 1
    dropped, _ = FigureSnapshot.objects.filter(pk__in=[pk for pk, *_rest in held.values()]).delete()
    took = max(1, round((perf_counter() - clock) * 1000))
    return Refreshed(figure.name, computed, len(wanted) - computed, dropped, took)


def _compute_one(figure: Figure, organization_id: int, period: Period, today: date) -> None:
    """Compute one snapshot and store it as of when its computation began: every write committed
    before then is in it."""
    started, clock = timezone.now(), perf_counter()
    with transaction.atomic():
        computed = figure.compute(organization_id, period, today)
        FigureSnapshot.objects.update_or_create(
            name=figure.name,
            organization_id=organization_id,
            start=period.start,
            end=period.end,
            defaults={
                "computed_at": started,
                "computed_for": today,
                "version": figure.version,
                "took_ms": max(1, round((perf_counter() - clock) * 1000)),
                "payload": computed.payload,
                "items": computed.items,
            },
        )

"""Tallies: counts per organization that an app keeps in its own tables, so that figures for a whole
tree read a few rows instead of every base row (ADR 16).

An app that keeps tallies registers their refresh in its `tallies` module (found the way the admin
finds `admin` modules): `tally_register(name, refresh)`. A refresh recomputes cells exactly from
the base rows in set-based SQL: given a time, only the cells that changes recorded since then may
have touched; given None, every cell. `tallies_refresh` runs each in its own transaction and
records when it began (`TallyRun`), which pages show as "as of HH:MM". The upkeep runs it every
minute (`manage.py tallies_refresh`); `--all` rebuilds every cell, as after a bulk load in SQL.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from time import perf_counter
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from lianxin.core.models import TallyRun
from lianxin.core.periods import Period

# Changes are looked for from a little before the oldest transaction that was writing when the last
# refresh began (it may commit later, with events stamped before): this much for the clocks of the
# application servers and the database to differ, and for an event stamped just before its write.
CLOCK_SKEW = timedelta(minutes=1)

Refresh = Callable[[datetime | None], int]

_REFRESHES: dict[str, Refresh] = {}
_discovered = False


def tally_register(name: str, refresh: Refresh) -> None:
    """Declare an app's tallies (at import of its `tallies` module); the same name twice is an error."""
    if name in _REFRESHES and _REFRESHES[name] is not refresh:
        raise ValueError(f"tallies {name!r} are registered twice")
    _REFRESHES[name] = refresh


def tally_names() -> list[str]:
    global _discovered
    if not _discovered:
        autodiscover_modules("tallies")
        _discovered = True
    return list(_REFRESHES)


@dataclass(frozen=True)
class Refreshed:
    name: str
    cells: int  # cells written (inserted, changed or deleted)
    full: bool
    took_ms: int
    skipped: bool = False  # another refresh of the same tallies was running


def tallies_refresh(*, full: bool = False, names: Sequence[str] = ()) -> list[Refreshed]:
    """Refresh every registered tally (or those named): changed cells, or all of them when `full`."""
    return [_refresh_one(name, full=full) for name in tally_names() if not names or name in names]


def _refresh_one(name: str, *, full: bool) -> Refreshed:
    started, clock = timezone.now(), perf_counter()
    TallyRun.objects.get_or_create(name=name, defaults={"refreshed_at": started})  # took_ms 0: never refreshed
    with transaction.atomic():
        # One refresh of the same tallies at a time; an overlapping run leaves it to the other.
        run = TallyRun.objects.select_for_update(skip_locked=True).filter(name=name).first()
        if run is None:
            return Refreshed(name=name, cells=0, full=full, took_ms=0, skipped=True)
        next_from = oldest_write_began(started) - CLOCK_SKEW
        since = None if full or run.took_ms == 0 else run.changes_from
        cells = _REFRESHES[name](since)
        took = max(1, round((perf_counter() - clock) * 1000))
        TallyRun.objects.filter(pk=run.pk).update(refreshed_at=started, changes_from=next_from, took_ms=took)
    return Refreshed(name=name, cells=cells, full=since is None, took_ms=took)


def oldest_write_began(now: datetime) -> datetime:
    """When the oldest transaction that has written and not yet committed began (else `now`):
    every event this refresh cannot see yet is stamped after it. SQLite has one writer at a time."""
    if connection.vendor != "postgresql":
        return now
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        oldest = cursor.fetchone()[0]
    return min(now, oldest) if oldest is not None else now


def tallied_at(name: str) -> datetime | None:
    """When the tallies named were last refreshed (every write committed before it is counted)."""
    run = TallyRun.objects.filter(name=name, took_ms__gt=0).values_list("refreshed_at", flat=True).first()
    return run


# ------------------------------------------------------------------ writing cells in SQL


def cells_write(
    table: str,
    *,
    keys: Sequence[str],
    values: Sequence[str],
    select: tuple[str, Sequence[Any]],
    scope: tuple[str, Sequence[Any]] = ("", ()),
) -> int:
    """Make the cells of `table` within `scope` (a WHERE on its columns; empty: the whole table)
    exactly the rows of `select`, whose columns are `keys` then `values` in that order.

    The rows are computed once into a temporary table; then only the differences are written
    (cells gone deleted, changed ones updated, new ones inserted), so a refresh that finds nothing
    changed rewrites nothing. Returns the number of cells written."""
    q = connection.ops.quote_name
    new = q(f"new_{table}")
    cols = [*keys, *values]
    match = " AND ".join(f"n.{q(k)} = {q(table)}.{q(k)}" for k in keys)
    differs = " OR ".join(f"n.{q(v)} <> {q(table)}.{q(v)}" for v in values)
    where, where_params = scope
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {new}")
        cursor.execute(f"CREATE TEMPORARY TABLE {new} AS {select[0]}", list(select[1]))
        cursor.execute(
            f"DELETE FROM {q(table)} WHERE {where or '1 = 1'} AND NOT EXISTS (SELECT 1 FROM {new} n WHERE {match})",
            list(where_params),
        )
        written += max(int(cursor.rowcount), 0)
        cursor.execute(
            f"UPDATE {q(table)} SET {', '.join(f'{q(v)} = n.{q(v)}' for v in values)} "
            f"FROM {new} n WHERE {match} AND ({differs})"
        )
        written += max(int(cursor.rowcount), 0)
        listed = ", ".join(q(c) for c in cols)
        cursor.execute(
            f"INSERT INTO {q(table)} ({listed}) SELECT {', '.join(f'n.{q(c)}' for c in cols)} FROM {new} n "
            f"WHERE NOT EXISTS (SELECT 1 FROM {q(table)} WHERE {match})"
        )
        written += max(int(cursor.rowcount), 0)
        cursor.execute(f"DROP TABLE {new}")
    return written


def in_list(column: str, ids: Sequence[int]) -> tuple[str, list[int]]:
    """`column IN (%s, ...)` for a WHERE, with its parameters."""
    if not ids:
        return "1 = 0", []
    return f"{connection.ops.quote_name(column)} IN ({', '.join(['%s'] * len(ids))})", list(ids)


# A SELECT and its parameters.
Cells = tuple[str, Sequence[Any]]
# Rolls a SELECT of cells (organization_id, keys, values) up the tree: each organization's own
# values and its subtree's (`<value>_subtree`); the organizations app knows how (rollups.py).
RollUp = Callable[[str], str]
# Past this many organizations changed in one month, the whole month is recomputed.
MANY = 500


@dataclass(frozen=True)
class MonthlyTally:
    """A tally kept per organization, month (the first day) and `keys`, with `values` of the
    organization's own and, in `<value>_subtree`, of its whole subtree."""

    table: str
    keys: tuple[str, ...]  # after organization_id and month
    values: tuple[str, ...]
    cells: Callable[[list[int] | None, Period | None], Cells]  # the exact own cells (None: all)
    roll_up: RollUp

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.values, *(f"{v}_subtree" for v in self.values))

    def rolled(self, organizations: list[int] | None, period: Period | None) -> Cells:
        sql, params = self.cells(organizations, period)
        return self.roll_up(f"({sql})"), params


def monthly_cells_write(tally: MonthlyTally, changed: Iterable[tuple[int, date]] | None) -> int:
    """Make the cells of `tally` exact: all of them (`changed` None), or those that the changes of
    these (organization, day) touch, in the organizations and in each of their ancestors."""
    keys = ("organization_id", "month", *tally.keys)
    if changed is None:
        return cells_write(tally.table, keys=keys, values=tally.columns, select=tally.rolled(None, None))
    by_month: dict[date, set[int]] = defaultdict(set)
    for organization_id, day in changed:
        by_month[day.replace(day=1)].add(organization_id)
    written = 0
    for month, organizations in sorted(by_month.items()):
        period = Period.month_of(month)
        if len(organizations) > MANY:
            select = tally.rolled(None, period)
            written += cells_write(
                tally.table, keys=keys, values=tally.columns, select=select, scope=("month = %s", [month])
            )
        else:
            written += _month_deltas_write(tally, month, sorted(organizations))
    return written


def _month_deltas_write(tally: MonthlyTally, month: date, organizations: list[int]) -> int:
    """Add to the cells of these organizations and of their ancestors, in one month, the change in
    the organizations' own counts (recounted from the base rows, less what the tally holds)."""
    q = connection.ops.quote_name
    table, keys = q(tally.table), ("organization_id", "month", *tally.keys)
    cells, params = tally.cells(organizations, Period.month_of(month))
    where, ids = in_list("organization_id", organizations)
    listed = ", ".join(keys)
    was = (
        f"SELECT {listed}, {', '.join(f'-{v} AS {v}' for v in tally.values)} FROM {table} WHERE month = %s AND {where}"
    )
    changes = (
        f"(SELECT {listed}, {', '.join(f'SUM({v}) AS {v}' for v in tally.values)} FROM ({cells} UNION ALL {was}) x"
        f" GROUP BY {listed} HAVING {' OR '.join(f'SUM({v}) <> 0' for v in tally.values)})"
    )
    return deltas_write(
        tally.table, keys=keys, values=tally.columns, select=(tally.roll_up(changes), [*params, month, *ids])
    )


def deltas_write(table: str, *, keys: Sequence[str], values: Sequence[str], select: Cells) -> int:
    """Add the rows of `select` (`keys`, then `values`) to the cells of `table`, inserting the cells
    missing and deleting those left with nothing in their subtree (every `subtree` or `*_subtree` value 0)."""
    q = connection.ops.quote_name
    table, delta = q(table), q(f"delta_{table}")
    match = " AND ".join(f"n.{q(k)} = {table}.{q(k)}" for k in keys)
    empty = " AND ".join(f"{q(v)} = 0" for v in values if v == "subtree" or v.endswith("_subtree"))
    cols = [*keys, *values]
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {delta}")
        cursor.execute(f"CREATE TEMPORARY TABLE {delta} AS {select[0]}", list(select[1]))
        cursor.execute(
            f"UPDATE {table} SET {', '.join(f'{q(v)} = {table}.{q(v)} + n.{q(v)}' for v in values)}"
            f" FROM {delta} n WHERE {match}"
        )
        written += max(int(cursor.rowcount), 0)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(q(c) for c in cols)}) SELECT {', '.join(f'n.{q(c)}' for c in cols)}"
            f" FROM {delta} n WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {match})"
        )
        written += max(int(cursor.rowcount), 0)
        cursor.execute(f"DELETE FROM {table} WHERE {empty} AND EXISTS (SELECT 1 FROM {delta} n WHERE {match})")
        cursor.execute(f"DROP TABLE {delta}")
    return written

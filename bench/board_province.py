"""The province's compliance board and coverage pages read from figure snapshots (ADR 17), each beside
the same figures computed live in the same run, and the time of the snapshots' refresh.

Usage (PostgreSQL; a copy of a province database, since snapshots are written and the copy migrated):

    createdb -h 127.0.0.1 -U postgres -T lianxin_p10 lianxin_p10_copy
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_p10_copy .venv/bin/python bench/board_province.py

For the province root (depth 1), the admin of the whole tree, today's defaults:
1. the snapshots' refresh (`snapshots_refresh --force`): the whole run, and each snapshot's time;
2. the board page, current quarter, first page of 100 branches, whole HTML through the test client,
   from the snapshot and live (the snapshot treated as stale), and the board's totals alone
   (`board_page` from the snapshot, `compliance_board` live);
3. the coverage page, this year so far, whole HTML, from the snapshot and live, and `coverage` alone;
   and the whole of last year, `coverage_read` from its snapshot and `coverage` live.

The snapshot's figures must equal the live ones before anything is timed (nothing writes meanwhile).
With --read-only (a database that may not be written or migrated, such as a shared one): the live
figures only, and the board's page of rows as the snapshot path builds it (without reading the snapshot).
Results go to bench/results/board_province-<database>-<vendor>.json.
"""

import argparse
import os
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.expressions import RawSQL  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import interleaved, report, summary  # noqa: E402
from lianxin.accounts.models import User  # noqa: E402
from lianxin.activities.selectors.compliance import compliance_board  # noqa: E402
from lianxin.activities.selectors.coverage import coverage  # noqa: E402
from lianxin.activities.selectors.snapshots import BOARD, COVERAGE, board_page, coverage_read  # noqa: E402
from lianxin.core.models import FigureSnapshot  # noqa: E402
from lianxin.core.periods import Period  # noqa: E402
from lianxin.core.snapshots import snapshots_refresh  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402

SIZE = {"postgresql": "pg_column_size(payload)", "sqlite": "length(payload)"}
# Live: every snapshot is older than zero minutes, so none is read.
LIVE = override_settings(LIANXIN_SNAPSHOT_STALE_MINUTES=0)


def live(fn: Any) -> Any:
    def run() -> Any:
        with LIVE:
            return fn()

    return run


def get(client: Client, name: str, query: dict[str, str], *, expect_snapshot: bool) -> Any:
    def run() -> Any:
        response = client.get(reverse(name), query)
        assert response.status_code == 200, response.status_code
        assert (b'id="figures-as-of"' in response.content) is expect_snapshot
        return response

    return run


def bench_refresh(results: list[dict[str, Any]], refreshes: int, root: Organization) -> None:
    samples = []
    for _ in range(refreshes):
        started = time.perf_counter()
        runs = snapshots_refresh(force=True)
        samples.append((time.perf_counter() - started) * 1000)
    each = [
        {"figure": name, "from": str(start), "to": str(end), "took_ms": took, "payload_bytes": size}
        for name, start, end, took, size in FigureSnapshot.objects.annotate(size=RawSQL(SIZE[connection.vendor], []))
        .filter(organization_id=root.pk)
        .order_by("name", "-end")
        .values_list("name", "start", "end", "took_ms", "size")
    ]
    results.append(
        {
            "figure": f"snapshots_refresh --force ({sum(r.computed for r in runs)} snapshots)",
            **summary(samples),
            "each_of_the_root_last_run": each,
        }
    )


def bench_board(results: list[dict[str, Any]], runs: int, client: Client, root: Organization) -> None:
    period = Period.quarter_of(timezone.localdate())
    stored = board_page(organization=root, period=period, number=1, per_page=100)
    fresh = compliance_board(organization=root, start=period.start, end=period.end)
    assert stored.as_of is not None and stored.board.totals == fresh.totals
    assert stored.page.paginator.count == len(fresh.rows) and stored.due_soon == len(fresh.due_soon)
    query = {"org": root.code}
    results.append(
        {
            "figure": f"board page, province, {period.start} to {period.end}, first page "
            f"({len(fresh.rows):,} branches): whole HTML",
            "numbers_agree": True,
            **interleaved(
                {
                    "snapshot": get(client, "activities:compliance", query, expect_snapshot=True),
                    "live": live(get(client, "activities:compliance", query, expect_snapshot=False)),
                },
                runs,
                warmup=1,
            ),
        }
    )

    def totals_live() -> Any:
        board = compliance_board(organization=root, start=period.start, end=period.end)
        board.fill(board.rows[:100])
        return board.totals

    results.append(
        {
            "figure": "board totals and first page filled, selector only",
            **interleaved(
                {
                    "snapshot": lambda: board_page(organization=root, period=period, number=1, per_page=100),
                    "live": totals_live,
                },
                runs,
                warmup=1,
            ),
        }
    )


def bench_coverage(results: list[dict[str, Any]], runs: int, client: Client, root: Organization) -> None:
    today = timezone.localdate()
    for period, page in ((Period.year_so_far(today), True), (Period.year(today.year - 1), False)):
        stored, as_of = coverage_read(organization=root, period=period)
        fresh = coverage(organization=root, period=period)
        assert as_of is not None and stored == fresh, (stored, fresh)
        query = {"org": root.code, **period.query()}
        if page:
            timed = {
                "snapshot": get(client, "activities:coverage", query, expect_snapshot=True),
                "live": live(get(client, "activities:coverage", query, expect_snapshot=False)),
            }
        else:
            timed = {
                "snapshot": lambda period=period: coverage_read(organization=root, period=period),
                "live": lambda period=period: coverage(organization=root, period=period),
            }
        results.append(
            {
                "figure": f"coverage, province, {period.start} to {period.end} ({fresh.members:,} members covered): "
                + ("whole HTML" if page else "figures only"),
                "numbers_agree": True,
                **interleaved(timed, runs, warmup=1),
            }
        )


def bench_read_only(results: list[dict[str, Any]], runs: int, root: Organization) -> None:
    """On a database that may not be written (nor migrated): the live figures, which are what each
    snapshot's refresh costs, and the board's page of rows as the snapshot path builds it."""
    today = timezone.localdate()
    quarter = Period.quarter_of(today)
    board = compliance_board(organization=root, start=quarter.start, end=quarter.end)
    first = [row.organization.pk for row in board.rows[:100]]

    def live_board() -> Any:
        found = compliance_board(organization=root, start=quarter.start, end=quarter.end)
        found.fill(found.rows[:100])
        return found

    def page_rows() -> Any:
        found = compliance_board(organization=root, start=quarter.start, end=quarter.end, only=first)
        found.fill(found.rows)
        return found

    results.append(
        {
            "figure": f"board selector, province, {quarter.start} to {quarter.end} ({len(board.rows):,} branches)",
            **interleaved({"first_page_rows_only": page_rows, "live": live_board}, runs, warmup=1),
        }
    )
    for period in (Period.year_so_far(today), Period.year(today.year - 1)):
        results.append(
            {
                "figure": f"coverage, province, {period.start} to {period.end}, live",
                **interleaved({"live": partial(coverage, organization=root, period=period)}, runs, 1),
            }
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--refreshes", type=int, default=3)
    parser.add_argument("--only", default="refresh,board,coverage")
    parser.add_argument("--read-only", action="store_true", help="Neither migrate nor write: live figures only.")
    args = parser.parse_args()
    only = set(args.only.split(","))
    (root,) = Organization.objects.get_root_nodes()
    database = str(connection.settings_dict["NAME"])
    if args.read_only:
        results_read: list[dict[str, Any]] = []
        bench_read_only(results_read, args.runs, root)
        report(f"board_province-{database}", {"root": root.name, "read_only": True}, results_read)
        return
    call_command("migrate", verbosity=0)
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    assert admin is not None, "no superuser to read the pages as"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    branches = Organization.objects.filter(path__startswith=root.path, kind__in=Organization.BRANCH_KINDS).count()
    results: list[dict[str, Any]] = []
    if "refresh" in only or not FigureSnapshot.objects.filter(name__in=[BOARD, COVERAGE]).exists():
        bench_refresh(results, args.refreshes, root)
    if "board" in only:
        bench_board(results, args.runs, client, root)
    if "coverage" in only:
        bench_coverage(results, args.runs, client, root)
    meta = {"root": root.name, "branches": branches, "cpus": os.cpu_count(), "database_name": database}
    report(f"board_province-{database}", meta, results)


if __name__ == "__main__":
    main()

"""Benchmarks for issue 15 (figures that read only their subtree), each beside the hand-written SQL
of the earlier benchmarks, with the plan of each figure's heaviest statement.

Usage (PostgreSQL; LIANXIN_ROOT runs the same figures from another checkout, to compare):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/statements_run.py

1. The compliance board, whole city, the last complete quarter: the board with its totals and
   first page of 100 rows filled, beside bench/activity_run.py's RAW_BOARD.
2. Coverage, whole city, the last 365 days, beside RAW_COVERAGE.
3. Demand figures, the whole tree and the subtree with most demands at each of --depths, 365 days,
   beside RAW_STATS.
4. Service figures of that district, 365 days, beside RAW_FIGURES.

Each figure must agree with its SQL before it is timed. The database must hold the city already
(bench/activity_run.py builds it); nothing is written. Results go to bench/results/statements-<vendor>.json.
"""

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("LIANXIN_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.activity_run import RAW_COVERAGE, board_checked, coverage_rows, last_quarter  # noqa: E402
from bench.common import interleaved, raw, report  # noqa: E402
from bench.demand_run import RAW_STATS, _bounds  # noqa: E402
from bench.service_run import raw_figures  # noqa: E402
from lianxin.activities.selectors.coverage import coverage  # noqa: E402
from lianxin.core.periods import Period  # noqa: E402
from lianxin.dashboards.figures import service_figures  # noqa: E402
from lianxin.demands.models import Demand  # noqa: E402
from lianxin.demands.selectors.stats import DemandStats, demand_stats  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402

PLAN_WORDS = ("Sort Method", "Batches", "Disk", "Index", "JIT", "Execution Time", "HashAggregate", "Nested Loop",
              "Seq Scan", "Buffers: shared", "temp", "Parallel", "Planning Time")  # fmt: skip


def plan_of(fn: Any) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest statement `fn` runs, with the work_mem it ran with."""
    with CaptureQueriesContext(connection) as seen:
        fn()
    heaviest = max(seen.captured_queries, key=lambda q: float(q["time"]))
    sql = heaviest["sql"]
    with connection.cursor() as cursor:
        memory = [q["sql"] for q in seen.captured_queries if "work_mem" in q["sql"]]
        cursor.execute("BEGIN")
        for setting in memory[:1]:
            cursor.execute(setting)
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
        cursor.execute("ROLLBACK")
    return [f"work_mem: {memory[0] if memory else 'server default'}"] + [
        line for line in lines if any(word in line for word in PLAN_WORDS)
    ]


def bench_board(results: list[dict[str, Any]], runs: int) -> None:
    city = Organization.objects.get(depth=1)
    today = timezone.localdate()
    start, end = last_quarter(today)
    board, board_raw, branches = board_checked(city, start, end, today)
    results.append(
        {
            "figure": f"compliance board, whole city, {start} to {end}, totals and first page ({branches:,} branches)",
            "numbers_agree": True,
            **interleaved({"selector": board, "raw_sql": board_raw}, runs),
            "plan": plan_of(board),
        }
    )


def bench_coverage(results: list[dict[str, Any]], runs: int) -> None:
    city = Organization.objects.get(depth=1)
    today = timezone.localdate()
    period = Period(today - timedelta(days=364), today)
    low, high = period.bounds
    params = {"path": city.path + "%", "low": low, "high": high}
    found = coverage(organization=city, period=period)
    mine = coverage_rows(found)
    assert mine == {tuple(row) for row in raw(RAW_COVERAGE, params)()}
    results.append(
        {
            "figure": f"coverage, whole city, {period.start} to {period.end} ({found.members:,} members covered)",
            "numbers_agree": True,
            **interleaved(
                {"selector": lambda: coverage(organization=city, period=period), "raw_sql": raw(RAW_COVERAGE, params)},
                runs,
            ),
            "plan": plan_of(lambda: coverage(organization=city, period=period)),
        }
    )


def busiest_district(low: Any, high: Any, depth: int) -> Organization:
    districts = list(Organization.objects.filter(depth=depth).order_by("path"))
    sizes = {
        d.pk: Demand.objects.filter(
            organization__path__startswith=d.path, created_at__gte=low, created_at__lt=high
        ).count()
        for d in districts
    }
    busiest: Organization = max(districts, key=lambda d: sizes[d.pk])
    return busiest


def figures_of(org: Organization, start: date, end: date) -> Callable[[], DemandStats]:
    def figures() -> DemandStats:
        return demand_stats(organization=org, start=start, end=end)

    return figures


def bench_demands(results: list[dict[str, Any]], runs: int, depths: list[int]) -> Organization:
    today = timezone.localdate()
    start = today - timedelta(days=364)
    low, high = _bounds(start, today)
    city = Organization.objects.get(depth=1)
    subtrees = [busiest_district(low, high, depth) for depth in depths]
    for org in (city, *subtrees):
        params = {"path": org.path + "%", "low": low, "high": high, "today": today, "tz": settings.TIME_ZONE}
        figures = figures_of(org, start, today)
        stats = figures()
        row = raw(RAW_STATS, params)()[0]
        assert row[0] == stats.collected and row[2] == stats.resolved and row[6] == stats.overdue, (row, stats)
        results.append(
            {
                "figure": f"demand figures, {org.short_name or org.name}, 365 days ({stats.collected:,} collected)",
                "numbers_agree": True,
                **interleaved(
                    {
                        "selector": figures,
                        "raw_sql": raw(RAW_STATS, params),
                    },
                    runs,
                ),
                "plan": plan_of(figures),
            }
        )
    return subtrees[0]


def bench_service(results: list[dict[str, Any]], runs: int, district: Organization) -> None:
    today = timezone.localdate()
    period = Period(today - timedelta(days=364), today)
    figures = service_figures(organization=district, period=period)
    theirs = raw_figures(district, period)
    assert theirs[0][0][0] == figures.sessions_held and theirs[1][0][0] == figures.participations
    assert theirs[5][0][0] == figures.wishes_posted
    assert theirs[6][0] == (figures.reports_by_community, figures.reports_by_home)
    results.append(
        {
            "figure": f"service figures, {district.short_name or district.name}, 365 days "
            f"({figures.sessions_held:,} sessions, {figures.orders_placed:,} orders)",
            "numbers_agree": True,
            **interleaved(
                {
                    "selector": lambda: service_figures(organization=district, period=period),
                    "raw_sql": lambda: raw_figures(district, period),
                },
                runs,
            ),
            "plan": plan_of(lambda: service_figures(organization=district, period=period)),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="board,coverage,demands,service")
    # The depths of the subtrees whose demand figures are timed beside the whole tree's: the one
    # with most demands at each (2: a district of the city; 3 in a province of cities).
    parser.add_argument("--depths", default="2")
    args = parser.parse_args()
    only = set(args.only.split(","))
    results: list[dict[str, Any]] = []
    if "board" in only:
        bench_board(results, args.runs)
    if "coverage" in only:
        bench_coverage(results, args.runs)
    if only & {"demands", "service"}:
        district = bench_demands(results, args.runs, [int(d) for d in args.depths.split(",")])
        if "service" in only:
            bench_service(results, args.runs, district)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()
    report("statements", {"root": str(ROOT), "jit": jit[0] if jit else None, "cpus": os.cpu_count()}, results)


if __name__ == "__main__":
    main()

"""Benchmarks for issue 4 (residents' demands), each beside a same-run baseline.

Usage (PostgreSQL, as in docs/performance.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/demand_run.py

1. The handler's inbox (demands:inbox) as the demo `handler` of 小沙街道, whole request,
   beside the inbox query through a bare cursor.
2. The public board (demands:board) for the whole city and last month, anonymous: served from
   the shared anonymous cache, and rendered afresh (cache cleared before each request),
   beside the board's figures and first page of items through a bare cursor.
3. The whole-city figures for the last 365 days (lianxin.demands.selectors.stats.demand_stats) beside
   hand-written SQL for the same numbers, which must agree first.
4. Similar-demand suggestions (lianxin.demands.rules.similarity.similar_open_demands) for a new
   text in the busiest town, beside fetching the same candidate rows through a bare cursor.

The city, the service data and the 200,000 demands are generated first when missing
(bench/demand_fixture.py). Results print as JSON lines and go to bench/results/demand-<vendor>.json.
"""

import argparse
import os
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import demand_fixture  # noqa: E402
from bench.common import ensure_city, interleaved, raw, report  # noqa: E402
from lianxin.accounts.models import User  # noqa: E402
from lianxin.demands.models import Demand  # noqa: E402
from lianxin.demands.rules.similarity import MAX_CANDIDATES, RECENT_DAYS, demand_text, similar_open_demands  # noqa: E402
from lianxin.demands.selectors.stats import demand_stats  # noqa: E402
from lianxin.organizations.models import Area, Organization  # noqa: E402

# ------------------------------------------------------------------ 1. the handler's inbox

RAW_INBOX = """
    SELECT d.id, d.title, d.deadline, d.status, c.name, a.name, u.name, e.name
    FROM demands_demand d JOIN organizations_organization u ON u.id = d.responsible_unit_id
    JOIN demands_demandcategory c ON c.id = d.category_id JOIN organizations_area a ON a.id = d.area_id
    LEFT JOIN organizations_organization e ON e.id = d.escalated_to_id
    WHERE u.path LIKE %(path)s AND d.status = 'assigned'
    ORDER BY d.deadline, d.id LIMIT 20"""


def bench_inbox(results: list[dict[str, Any]], runs: int) -> None:
    handler = User.objects.get(username="handler")
    town = Organization.objects.get(name__contains="小沙街道", depth=3)
    client = Client()
    client.force_login(handler)
    url = reverse("demands:inbox")
    assert client.get(url).status_code == 200
    waiting = Demand.objects.filter(responsible_unit__path__startswith=town.path, status="assigned").count()
    results.append(
        {
            "figure": f"handler's inbox, 小沙街道, {waiting:,} demands being handled (whole request)",
            **interleaved(
                {"page": lambda: client.get(url), "raw_sql": raw(RAW_INBOX, {"path": town.path + "%"})}, runs
            ),
        }
    )


# ------------------------------------------------------------------ 2. the public board

RAW_BOARD = [
    """SELECT count(*), count(*) FILTER (WHERE d.status IN ('resolved', 'closed')),
              count(*) FILTER (WHERE d.status IN ('duplicate', 'not_ours'))
       FROM demands_demand d JOIN organizations_organization o ON o.id = d.organization_id
       WHERE o.path LIKE %(path)s AND d.created_at >= %(low)s AND d.created_at < %(high)s""",
    """SELECT d.id, d.title, d.public_summary, d.resolved_at, c.name, a.name
       FROM demands_demand d JOIN organizations_organization o ON o.id = d.organization_id
       JOIN demands_demandcategory c ON c.id = d.category_id JOIN organizations_area a ON a.id = d.area_id
       WHERE o.path LIKE %(path)s AND d.status IN ('resolved', 'closed') AND d.summary_reviewed_at IS NOT NULL
         AND d.resolved_at >= %(low)s AND d.resolved_at < %(high)s
       ORDER BY d.resolved_at DESC, d.id DESC LIMIT 20""",
]


def _bounds(start: Any, end: Any) -> tuple[datetime, datetime]:
    low = timezone.make_aware(datetime.combine(start, time.min))
    return low, timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))


def bench_board(results: list[dict[str, Any]], runs: int) -> None:
    city = Organization.objects.get(depth=1)
    client = Client()
    url = reverse("demands:board")
    assert client.get(url).status_code == 200
    first = timezone.localdate().replace(day=1) - timedelta(days=1)
    low, high = _bounds(first.replace(day=1), first)
    params = {"path": city.path + "%", "low": low, "high": high}

    def fresh() -> Any:
        cache.clear()
        return client.get(url)

    def raw_board() -> None:
        for sql in RAW_BOARD:
            raw(sql, params)()

    results.append(
        {
            "figure": "public board, whole city, last month, anonymous (whole request)",
            **interleaved({"page_cached": lambda: client.get(url), "page_fresh": fresh, "raw_sql": raw_board}, runs),
        }
    )


# ------------------------------------------------------------------ 3. whole-city figures for a year

RAW_STATS = """
    SELECT count(*),
        count(*) FILTER (WHERE d.status IN ('accepted', 'assigned', 'resolved', 'closed', 'unresolvable')),
        count(*) FILTER (WHERE d.status IN ('resolved', 'closed')),
        count(*) FILTER (WHERE d.status = 'unresolvable'),
        count(*) FILTER (WHERE d.status = 'duplicate'),
        count(*) FILTER (WHERE d.status = 'not_ours'),
        count(*) FILTER (WHERE d.status = 'assigned' AND d.deadline < %(today)s),
        count(*) FILTER (WHERE d.status IN ('resolved', 'closed')
                         AND (d.resolved_at AT TIME ZONE %(tz)s)::date <= d.deadline),
        count(*) FILTER (WHERE d.satisfaction <> ''),
        count(*) FILTER (WHERE d.satisfaction IN ('satisfied', 'basic'))
    FROM demands_demand d JOIN organizations_organization o ON o.id = d.organization_id
    WHERE o.path LIKE %(path)s AND d.created_at >= %(low)s AND d.created_at < %(high)s"""


def bench_stats(results: list[dict[str, Any]], runs: int) -> None:
    from django.conf import settings

    city = Organization.objects.get(depth=1)
    today = timezone.localdate()
    start = today - timedelta(days=364)
    low, high = _bounds(start, today)
    params = {"path": city.path + "%", "low": low, "high": high, "today": today, "tz": settings.TIME_ZONE}
    stats = demand_stats(organization=city, start=start, end=today)
    row = raw(RAW_STATS, params)()[0]
    mine = (
        stats.collected,
        stats.accepted,
        stats.resolved,
        stats.closed_unresolved,
        stats.duplicates,
        stats.not_ours,
        stats.overdue,
        stats.on_time,
        stats.followed_up,
        stats.satisfied,
    )
    assert tuple(row) == mine, (row, mine)
    results.append(
        {
            "figure": f"whole-city figures for 365 days ({stats.collected:,} collected, {stats.resolved:,} resolved, "
            f"resolution rate {stats.resolution_rate}%)",
            "numbers_agree": True,
            **interleaved(
                {
                    "selector": lambda: demand_stats(organization=city, start=start, end=today),
                    "raw_sql": raw(RAW_STATS, params),
                },
                runs,
            ),
        }
    )


# ------------------------------------------------------------------ 4. similar-demand suggestions

RAW_CANDIDATES = """
    SELECT d.id, d.title, d.description, d.category_id
    FROM demands_demand d JOIN organizations_area a ON a.id = d.area_id
    WHERE d.status IN ('submitted', 'accepted', 'assigned') AND d.created_at >= %(since)s AND a.path LIKE %(path)s
    ORDER BY d.created_at DESC, d.id DESC LIMIT 2000"""


def bench_similar(results: list[dict[str, Any]], runs: int) -> None:
    # The town with the most open demands: the most candidates to compare.
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    towns = list(Area.objects.filter(kind=Area.Kind.TOWN))
    open_by_town = {
        t.pk: Demand.objects.filter(
            status__in=Demand.OPEN_STATUSES, created_at__gte=since, area__path__startswith=t.path
        ).count()
        for t in towns
    }
    town = max(towns, key=lambda t: open_by_town[t.pk])
    text = demand_text(
        "小区楼道堆放杂物堵塞消防通道", "最近一个月，楼道里堆满纸箱和旧家具，消防通道被堵住，存在火灾隐患。"
    )
    found = similar_open_demands(text=text, area=town)
    results.append(
        {
            "figure": f"similar-demand suggestions in {town.name} ({open_by_town[town.pk]:,} open demands of the "
            f"last {RECENT_DAYS} days; {len(found)} suggested)",
            **interleaved(
                {
                    "selector": lambda: similar_open_demands(text=text, area=town),
                    "raw_sql_candidates": raw(RAW_CANDIDATES, {"since": since, "path": town.path + "%"}),
                },
                runs,
            ),
        }
    )


class _Rollback(Exception):
    pass


def bench_similar_at_the_cap(results: list[dict[str, Any]], runs: int) -> None:
    """The worst case: a district with more recent open demands than the candidate cap.

    The fixture's status mix leaves few demands open, so for this figure the most recent
    closed demands of the largest district are reopened inside a transaction that is rolled back.
    """
    district = Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("path").first()
    assert district is not None
    text = demand_text("晚上广场舞音响声音太大", "小区广场每天晚上跳广场舞到十点，音响声音很大，影响老人孩子休息。")
    try:
        with transaction.atomic():
            recent = list(
                Demand.objects.filter(area__path__startswith=district.path)
                .order_by("-created_at")
                .values_list("pk", flat=True)[: MAX_CANDIDATES + 500]
            )
            Demand.objects.filter(pk__in=recent).update(status=Demand.Status.SUBMITTED, created_at=timezone.now())
            found = similar_open_demands(text=text, area=district)
            results.append(
                {
                    "figure": f"similar-demand suggestions in {district.name} with {len(recent):,} recent open demands "
                    f"(the {MAX_CANDIDATES:,}-candidate cap reached; {len(found)} suggested)",
                    **interleaved({"selector": lambda: similar_open_demands(text=text, area=district)}, runs),
                }
            )
            raise _Rollback
    except _Rollback:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    setup_test_environment()
    ensure_city()
    demand_fixture.build()
    results: list[dict[str, Any]] = []
    bench_inbox(results, args.runs)
    bench_board(results, args.runs)
    bench_stats(results, args.runs)
    bench_similar(results, args.runs)
    bench_similar_at_the_cap(results, args.runs)
    meta = {"demands": Demand.objects.count(), "organizations": Organization.objects.count(), "cpus": os.cpu_count()}
    report("demand", meta, results)


if __name__ == "__main__":
    main()

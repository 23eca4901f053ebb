"""The growth table of issue 15: the same figures, the same way, at each scale (the demo city, and
provinces of 10 and 55 cities built by bench/province.py), each beside its raw SQL in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_city .venv/bin/python bench/province_growth.py --label 1x
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_p10  .venv/bin/python bench/province_growth.py --label 10x
    .venv/bin/python bench/province_growth.py --table 1x,10x,55x     # the markdown table from the results

The whole tree is the root (the city at 1×, the province above); the district is the source city's
中共舟山市定海区委员会, whose rows are the same at every scale (each copied city has its own), so its figures show
whether a subtree's figure grows when the rest of the tree does. Pages are whole HTML through the
test client as the administrator. Nothing is written (the database is vacuumed and analyzed first,
as autovacuum would be after a bulk load). The board and coverage pages of a large subtree read
snapshots (ADR 17) when `manage.py snapshots_refresh` has run within their freshness, as every
minute under `make run`: each of those figures says how its page read it. Results:
bench/results/growth-<label>.json.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

if "--table" not in sys.argv:
    import django

    django.setup()

    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from bench.activity_run import RAW_COVERAGE, board_checked, coverage_rows, last_quarter
    from bench.common import interleaved, raw, vacuum
    from bench.demand_run import RAW_STATS, _bounds
    from bench.tallies_run import counts_sql
    from lianxin.accounts.models import User
    from lianxin.activities.selectors.coverage import coverage
    from lianxin.activities.selectors.snapshots import BOARD, COVERAGE
    from lianxin.core.periods import Period
    from lianxin.core.snapshots import snapshot_read
    from lianxin.demands.selectors.stats import demand_stats
    from lianxin.members.models import Member
    from lianxin.organizations.models import Organization
    from lianxin.organizations.selectors import member_counts

RESULTS = Path(__file__).resolve().parent / "results"
DISTRICT = "中共舟山市定海区委员会"


def page(client: "Client", url: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def figure(results: list[dict[str, Any]], name: str, fns: dict[str, Callable[[], Any]], runs: int) -> None:
    timed = interleaved(fns, runs)
    first = next(iter(timed.values()))
    row: dict[str, Any] = {"figure": name, "p50_ms": first["p50_ms"], "p95_ms": first["p95_ms"], "runs": runs}
    for label, t in list(timed.items())[1:]:
        row[f"{label}_p50_ms"] = t["p50_ms"]
        row[f"{label}_p95_ms"] = t["p95_ms"]
    print(json.dumps(row, ensure_ascii=False), flush=True)
    results.append(row)


def kept(name: str, org: "Organization", period: "Period") -> str:
    """How a page reads the figure: from a snapshot (ADR 17) or computed live."""
    return "page from a snapshot" if snapshot_read(name, org.pk, period) else "page computed live"


def board_measured(client: "Client", root: "Organization", today: date, runs: int) -> dict[str, Any]:
    """The whole tree's board for the last complete quarter: its page, the live selector and the raw SQL."""
    results: list[dict[str, Any]] = []
    start, end = last_quarter(today)
    board, board_raw, branches = board_checked(root, start, end, today)
    board_url = f"{reverse('activities:compliance')}?org={root.code}&from={start}&to={end}"
    quarter = Period(start, end)
    figure(results, f"compliance board, whole tree, {start}–{end} ({branches:,} branches; "
           f"{kept(BOARD, root, quarter)})", {
        "page": page(client, board_url), "selector": board, "raw": board_raw}, max(3, runs // 4))  # fmt: skip
    return results[0]


def measure(runs: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    setup_test_environment()
    vacuum()
    root = Organization.objects.get_root_nodes().first()
    district = Organization.objects.filter(name=DISTRICT).order_by("path").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    assert root is not None and district is not None and admin is not None, "a demo city or province"
    client = Client()
    client.force_login(admin)
    today = timezone.localdate()
    year = Period.year_so_far(today)  # coverage's default period, kept in snapshots for large subtrees
    results: list[dict[str, Any]] = []

    nodes = [root, *Organization.objects.get_children(root)]
    sql, params = counts_sql(root, nodes)
    figure(results, "subtree counts, root and its children", {
        "selector": lambda: member_counts(nodes=nodes), "raw": raw(sql, params)}, runs)  # fmt: skip
    figure(results, "organization tree page", {"page": page(client, reverse("organizations:tree"))}, runs)

    members = reverse("members:list")
    for label, query in (("whole tree", ""), (f"district {DISTRICT}", f"org={district.code}&")):
        figure(results, f"member list, {label}, first page", {"page": page(client, f"{members}?{query}")}, runs)
        figure(results, f"member list, {label}, last page", {"page": page(client, f"{members}?{query}last=1")}, runs)

    results.append(board_measured(client, root, today, runs))

    low, high = year.bounds
    for label, org in (("whole tree", root), (f"district {DISTRICT}", district)):
        coverage_raw = raw(RAW_COVERAGE, {"path": org.path + "%", "low": low, "high": high})
        assert coverage_rows(coverage(organization=org, period=year)) == {tuple(r) for r in coverage_raw()}
        coverage_url = f"{reverse('activities:coverage')}?org={org.code}&from={year.start}&to={year.end}"
        figure(results, f"coverage, {label}, {year.start}–{year.end} ({kept(COVERAGE, org, year)})", {
            "page": page(client, coverage_url), "selector": partial(coverage, organization=org, period=year),
            "raw": coverage_raw}, runs if org is district else max(3, runs // 4))  # fmt: skip

    year = Period(today - timedelta(days=364), today)
    low, high = _bounds(year.start, today)
    for label, org in (("whole tree", root), (f"district {DISTRICT}", district)):
        stats_raw = raw(RAW_STATS, {"path": org.path + "%", "low": low, "high": high, "today": today,
                                    "tz": settings.TIME_ZONE})  # fmt: skip
        stats = demand_stats(organization=org, start=year.start, end=today)
        assert stats_raw()[0][0] == stats.collected, "the demand figures agree with their SQL"
        figure(results, f"demand figures, {label}, 365 days ({stats.collected:,} collected)", {
            "selector": partial(demand_stats, organization=org, start=year.start, end=today),
            "raw": stats_raw}, runs)  # fmt: skip
    meta = {
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "cpus": os.cpu_count(),
        "when": timezone.now().isoformat(timespec="minutes"),
    }
    return meta, results


def table(labels: list[str]) -> None:
    """The growth table: each figure's p50 / p95 at each scale, and the growth of the p50 from the first to the last."""
    found = {label: json.loads((RESULTS / f"growth-{label}.json").read_text()) for label in labels}
    print("| figure | " + " | ".join(f"{label} p50 / p95 ms" for label in labels) + " | growth (p50) |")
    print("|---|" + "---|" * (len(labels) + 1))
    names = [r["figure"] for r in found[labels[0]]["results"]]
    for i, name in enumerate(names):
        rows = [found[label]["results"][i] for label in labels]
        cells = [f"{r['p50_ms']} / {r['p95_ms']}" for r in rows]
        growth = rows[-1]["p50_ms"] / rows[0]["p50_ms"] if rows[0]["p50_ms"] else 0
        print(f"| {name.split(' (')[0]} | " + " | ".join(cells) + f" | {growth:.1f}× |")
    for label in labels:
        print(f"{label}: {json.dumps(found[label]['meta'], ensure_ascii=False)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", help="the scale's name in the results (1x, 10x, 55x)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--table", help="print the growth table from the results of these labels, comma-separated")
    args = parser.parse_args()
    if args.table:
        table(args.table.split(","))
        return
    if not args.label:
        parser.error("--label or --table")
    meta, results = measure(args.runs)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"growth-{args.label}.json").write_text(
        json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2)
    )


if __name__ == "__main__":
    main()

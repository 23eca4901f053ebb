"""Benchmarks for the roster at city scale, each beside a raw-SQL or bare-library baseline.

Usage (PostgreSQL, as in docs/performance.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/run.py

The database is migrated and filled with `seed_demo --scale city` when it has no
organizations. Results print as a Markdown table and are saved to bench/results/.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import ensure_city, raw, report, timings, vacuum  # noqa: E402
from bench.member_pages import baseline as keyset_baseline  # noqa: E402
from lianxin.accounts.models import User  # noqa: E402
from lianxin.core.keyset import Position  # noqa: E402
from lianxin.members.models import Member  # noqa: E402
from lianxin.members.selectors.roster import MemberFilters, member_list_count, member_list_page  # noqa: E402
from lianxin.members.views.roster import COUNT_LIMIT, PAGE_SIZE  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402
from lianxin.organizations.selectors import member_counts  # noqa: E402

PARTY = list(Member.PARTY_MEMBER_CATEGORIES)
CURRENT = list(Member.CURRENT_CATEGORIES)


def bench_member_list(results: list[dict[str, Any]], runs: int) -> None:
    """A district's first and last keyset pages (bench/member_pages.py measures more positions and scopes)."""
    admin = User.objects.filter(is_superuser=True).first()
    assert admin is not None, "the demo city has an admin"
    client = Client()
    client.force_login(admin)
    district = Organization.objects.filter(depth=2).order_by("path").first()
    assert district is not None
    total = Member.objects.filter(organization__path__startswith=district.path, category__in=CURRENT).count()
    where = f"o.path LIKE %s AND m.category IN ({', '.join(['%s'] * len(CURRENT))})"
    today = timezone.localdate()
    filters = MemberFilters(organization=district)
    for label, position, order in (("first", Position(), "ASC"), ("last", Position(last=True), "DESC")):
        url = f"/members/?org={district.code}" + ("&last=1" if position.last else "")

        def get(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def selector(position: Position = position) -> None:
            member_list_page(user=admin, filters=filters, today=today, position=position, size=PAGE_SIZE)
            member_list_count(user=admin, filters=filters, today=today, limit=COUNT_LIMIT)

        def baseline(order: str = order) -> None:
            keyset_baseline(where, [district.path + "%", *CURRENT], order, None)

        page_t = timings(get, runs)
        sel_t = timings(selector, runs)
        base_t = timings(baseline, runs)
        results.append(
            {
                "figure": f"member list, district {district.name} ({total} people), {label} page",
                "page_p50_ms": page_t["p50_ms"],
                "page_p95_ms": page_t["p95_ms"],
                "selector_p50_ms": sel_t["p50_ms"],
                "selector_p95_ms": sel_t["p95_ms"],
                "raw_sql_p95_ms": base_t["p95_ms"],
                "ratio_selector_to_raw_p95": round(sel_t["p95_ms"] / base_t["p95_ms"], 2),
                "runs": runs,
                "baseline": "raw SQL: the page's keys on the index, those rows, the count up to 10,001",
                "target": "page p95 < 150 ms; selector within 2x of raw SQL",
            }
        )


def bench_counts(results: list[dict[str, Any]], runs: int) -> None:
    root = Organization.objects.get_root_nodes().first()
    assert root is not None
    nodes = [root, *Organization.objects.get_children(root)]
    sql = (
        "SELECT organization_id, SUM(own), SUM(subtree) FROM members_membertally "
        "WHERE organization_id = ANY(%s) AND category = ANY(%s) GROUP BY organization_id"
    )

    def baseline() -> None:
        raw(sql, [[n.pk for n in nodes], PARTY])()

    ours = timings(lambda: member_counts(nodes=nodes), runs)
    base = timings(baseline, runs)
    counts = member_counts(nodes=nodes)
    results.append(
        {
            "figure": f"subtree member counts: the city root and its {len(nodes) - 1} children "
            f"({counts[root.pk].subtree} Party members)",
            **ours,
            "baseline": "raw SQL: the member tally rows the selector reads (ADR 16)",
            "baseline_p95_ms": base["p95_ms"],
            "ratio_p95": round(ours["p95_ms"] / base["p95_ms"], 2),
            "target": "< 50 ms, within 2x of raw SQL",
        }
    )


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds and peak RSS (KiB) of a command, via GNU time."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as out:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-v", "-o", out.name, *cmd], capture_output=True, text=True, cwd=ROOT, env=os.environ
        )
        seconds = time.perf_counter() - start
        stats = Path(out.name).read_text()
    rss = next(int(line.split(":")[1]) for line in stats.splitlines() if "Maximum resident set size" in line)
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr[-2000:])
    return seconds, rss, proc.stdout[-500:]


def bench_spreadsheets(results: list[dict[str, Any]], rows: int) -> None:
    """Export the city as it is, then import `rows` new members and remove them again."""
    from bench.roster_fixture import make_roster_workbook, read_baseline, write_baseline
    from lianxin.core.models import Event

    manage = [sys.executable, "manage.py"]
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "export.xlsx"
        root = Organization.objects.get_root_nodes().first()
        assert root is not None
        seconds, rss, _out = run_measured([*manage, "export_members", "--org", root.code, str(dest)])
        exported = Member.objects.exclude(category=Member.Category.FORMER).count()
        base_write = timings(lambda: write_baseline(Path(tmp) / "base.xlsx", rows=exported), 1, warmup=0)
        results.append(
            {
                "figure": f"export of the whole city ({exported:,} rows)",
                "seconds": round(seconds, 1),
                "peak_rss_mib": round(rss / 1024),
                "baseline": "openpyxl write-only of as many rows of constants",
                "baseline_seconds": round(base_write["p50_ms"] / 1000, 1),
                "target": "< 30 s, < 1 GiB",
            }
        )

        src = Path(tmp) / "roster.xlsx"
        codes = list(
            Organization.objects.filter(status="active", numchild=0)
            .order_by("path")
            .values_list("code", flat=True)[:500]
        )
        make_roster_workbook(src, rows=rows, organizations=codes)
        base_read = timings(lambda: read_baseline(src), 1, warmup=0)
        last_id = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        seconds, rss, out = run_measured([*manage, "import_members", str(src)])
        created = Member.objects.filter(pk__gt=last_id).count()
        results.append(
            {
                "figure": f"import of a {rows:,}-row roster ({created:,} new members created)",
                "seconds": round(seconds, 1),
                "peak_rss_mib": round(rss / 1024),
                "baseline": "openpyxl read-only pass over the same file",
                "baseline_seconds": round(base_read["p50_ms"] / 1000, 1),
                "target": "< 60 s, < 1 GiB",
                "output": out.strip().splitlines()[-1] if out.strip() else "",
            }
        )
        # Leave the city as it was, so the next run measures the same thing.
        member_type = ContentType.objects.get_for_model(Member)
        Event.objects.filter(subject_type=member_type, subject_id__gt=last_id).delete()
        Member.objects.filter(pk__gt=last_id).delete()
    vacuum()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-spreadsheets", action="store_true")
    args = parser.parse_args()

    setup_test_environment()
    ensure_city()
    vacuum()
    results: list[dict[str, Any]] = []
    bench_member_list(results, args.runs)
    bench_counts(results, args.runs)
    if not args.skip_spreadsheets:
        bench_spreadsheets(results, args.rows)
    meta = {"members": Member.objects.count(), "organizations": Organization.objects.count()}
    report("roster", meta, results)


if __name__ == "__main__":
    main()

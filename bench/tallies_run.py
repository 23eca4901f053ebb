"""The organization tree's member counts and pages at city scale, beside raw SQL of the same rows,
and the time to refresh and to rebuild the tallies (ADR 16).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/tallies_run.py

The database is migrated and filled with `seed_demo --scale city` when it has no organizations.
Where the member tallies exist the baseline reads the tally rows the selector reads; on code
before them it is the per-organization GROUP BY over the roster that the counts were summed from.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.common import ensure_city, interleaved, raw, report, vacuum  # noqa: E402
from lianxin.accounts.models import User  # noqa: E402
from lianxin.members.models import Member  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402
from lianxin.organizations.selectors import PARTY_MEMBER_CATEGORIES, member_counts  # noqa: E402

PARTY = list(PARTY_MEMBER_CATEGORIES)
TALLIED = "members_membertally" in connection.introspection.table_names()


def counts_sql(node: Organization, nodes: list[Organization]) -> tuple[str, list[Any]]:
    """The raw SQL of the rows `member_counts` reads for a node and its children."""
    if TALLIED:
        return (
            "SELECT organization_id, SUM(own), SUM(subtree) FROM members_membertally "
            "WHERE organization_id = ANY(%s) AND category = ANY(%s) GROUP BY organization_id",
            [[n.pk for n in nodes], PARTY],
        )
    return (
        "SELECT o.path, COUNT(*) FROM members_member m JOIN organizations_organization o "
        "ON o.id = m.organization_id WHERE o.path LIKE %s AND m.category = ANY(%s) GROUP BY o.path",
        [node.path + "%", PARTY],
    )


def bench_counts(results: list[dict[str, Any]], runs: int, node: Organization, label: str) -> None:
    nodes = [node, *Organization.objects.get_children(node)]
    sql, params = counts_sql(node, nodes)
    timed = interleaved({"selector": lambda: member_counts(nodes=nodes), "raw": raw(sql, params)}, runs)
    counts = member_counts(nodes=nodes)
    results.append(
        {
            "figure": f"subtree member counts: {label} and its {len(nodes) - 1} children "
            f"({counts[node.pk].subtree} Party members)",
            "p50_ms": timed["selector"]["p50_ms"],
            "p95_ms": timed["selector"]["p95_ms"],
            "raw_sql_p50_ms": timed["raw"]["p50_ms"],
            "raw_sql_p95_ms": timed["raw"]["p95_ms"],
            "runs": runs,
            "tallied": TALLIED,
        }
    )


def bench_pages(results: list[dict[str, Any]], runs: int, root: Organization) -> None:
    admin = User.objects.filter(is_superuser=True).first()
    assert admin is not None, "the demo city has an admin"
    client = Client()
    client.force_login(admin)
    pages = {
        "tree page (the root)": (reverse("organizations:tree"), {}),
        "tree: the root's children (htmx)": (
            reverse("organizations:children", args=[root.pk]),
            {"HTTP_HX_REQUEST": "true"},
        ),
        "organization page of the root": (reverse("organizations:detail", args=[root.pk]), {}),
    }

    def getter(url: str, headers: dict[str, str]) -> Any:
        def get() -> None:
            response = client.get(url, **headers)  # type: ignore[arg-type]
            assert response.status_code == 200, response.status_code

        return get

    timed = interleaved({name: getter(url, headers) for name, (url, headers) in pages.items()}, runs)
    for name, t in timed.items():
        results.append({"figure": f"{name}, whole HTML response", **t, "tallied": TALLIED})


def bench_refresh(results: list[dict[str, Any]]) -> None:
    from lianxin.core.tallies import tallies_refresh

    for full in (True, False, True, False):
        start = time.perf_counter()
        runs = tallies_refresh(full=full)
        results.append(
            {
                "figure": "tallies rebuilt (--all)" if full else "tallies refreshed, nothing changed",
                "wall_ms": round((time.perf_counter() - start) * 1000, 1),
                **{f"{r.name}_ms": r.took_ms for r in runs},
                **{f"{r.name}_cells": r.cells for r in runs},
            }
        )


def bench_refresh_after_changes(results: list[dict[str, Any]], changes: int) -> None:
    """A refresh after `changes` members, activities and demands each had a timeline event (written
    here in SQL: the refresh recounts their organizations and months whether or not a count moved)."""
    from lianxin.core.tallies import tallies_refresh

    tallies_refresh()
    with connection.cursor() as cursor:
        for table, app, model in (
            ("members_member", "members", "member"),
            ("activities_activity", "activities", "activity"),
            ("demands_demand", "demands", "demand"),
        ):
            cursor.execute(
                "INSERT INTO core_event (subject_type_id, subject_id, at, verb, from_state, to_state, note, data)"
                " SELECT ct.id, s.id, now(), 'updated', '', '', 'bench', '{}'"
                f" FROM (SELECT id FROM {table} ORDER BY md5(id::text) LIMIT %s) s,"
                " django_content_type ct WHERE ct.app_label = %s AND ct.model = %s",
                [changes, app, model],
            )
    start = time.perf_counter()
    runs = tallies_refresh()
    results.append(
        {
            "figure": f"tallies refreshed after {changes} members, {changes} activities and {changes} demands changed",
            "wall_ms": round((time.perf_counter() - start) * 1000, 1),
            **{f"{r.name}_ms": r.took_ms for r in runs},
            **{f"{r.name}_cells": r.cells for r in runs},
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    setup_test_environment()
    ensure_city()
    vacuum()
    results: list[dict[str, Any]] = []
    if TALLIED:
        bench_refresh(results)
        for changes in (100, 1000):
            bench_refresh_after_changes(results, changes)
    root = Organization.objects.get_root_nodes().first()
    district = max(
        Organization.objects.filter(depth=2),
        key=lambda d: Member.objects.filter(organization__path__startswith=d.path).count(),
        default=None,
    )
    assert root is not None and district is not None
    bench_counts(results, args.runs, root, "the city root")
    bench_counts(results, args.runs, district, f"the district {district.name}")
    bench_pages(results, args.runs, root)
    meta = {"organizations": Organization.objects.count(), "tallied": TALLIED}
    report("tallies" if TALLIED else "tallies-before", meta, results)


if __name__ == "__main__":
    main()

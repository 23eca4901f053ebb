"""The member list under load: gunicorn with sync workers on loopback, wrk from a second process,
every request carrying a logged-in administrator's session (issue 15's figure: 4 workers,
16 connections, at least 100 requests/s with p99 under 300 ms).

Usage (PostgreSQL, as in docs/performance.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_p10 .venv/bin/python bench/roster_load.py

Pages measured: the first and last pages of the whole tree and of the largest district. Beside
them, in the same run: a static file through whitenoise (no Django), and the floor under the list
(bench/floor_urls.py): a signed-in empty answer, and the signed-in base page with no content.

`--in-process N` first reads each page N times in this process through the test client (the
template instrumentation of the test environment taken off): the wall time and the CPU time of
this process per page, p50, and the queries a page makes. `--in-process N --no-load` only that.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402

from bench.common import administrator_client, report  # noqa: E402
from bench.load import gunicorn_serving, wrk  # noqa: E402
from lianxin.members.models import Member  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402

STATIC_URL = "/static/vendor/htmx-2.0.11/htmx.min.js"
FLOOR = {
    "signed in, empty answer (the floor)": "/bench/floor/empty/",
    "signed in, base page with no content (the floor)": "/bench/floor/base/",
}


def largest_district() -> Organization:
    """The organization one level below the top with the most members under it."""
    top = Organization.objects.order_by("depth", "path").first()
    assert top is not None, "the database holds a city"
    districts = Organization.objects.filter(depth=top.depth + 1)
    sizes = {d.pk: Member.objects.filter(organization__path__startswith=d.path).count() for d in districts.only("path")}
    largest: Organization = districts.get(pk=max(sizes, key=lambda pk: sizes[pk]))
    return largest


def pages(client: Client) -> dict[str, str]:
    """The first and last pages of the whole tree and of the largest district (the list's keyset pages:
    `last=1` reads the end of the order backwards)."""
    district = largest_district()
    first = {"whole tree": "/members/", district.name: f"/members/?org={district.code}"}
    found = {}
    for name, path in first.items():
        found[f"{name}, first page"] = path
        found[f"{name}, last page"] = path + ("&" if "?" in path else "?") + "last=1"
    for path in found.values():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return found


def in_process(client: Client, paths: dict[str, str], runs: int) -> list[dict[str, Any]]:
    """Each page read `runs` times in turn in this process: p50 wall and CPU ms, and its queries."""
    teardown_test_environment()  # templates render as a server renders them, not instrumented
    try:
        wall: dict[str, list[float]] = {name: [] for name in paths}
        cpu: dict[str, list[float]] = {name: [] for name in paths}
        for i in range(runs + 5):
            for name, path in paths.items():
                w, c = time.perf_counter(), time.process_time()
                client.get(path)
                if i >= 5:  # the first rounds warm the caches
                    wall[name].append((time.perf_counter() - w) * 1000)
                    cpu[name].append((time.process_time() - c) * 1000)
        results = []
        for name, path in paths.items():
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            results.append(
                {
                    "figure": f"in process, {name}",
                    "path": path,
                    "wall_p50_ms": round(statistics.median(wall[name]), 2),
                    "cpu_p50_ms": round(statistics.median(cpu[name]), 2),
                    "queries": len(queries),
                    "runs": runs,
                }
            )
            print(results[-1], flush=True)
        return results
    finally:
        setup_test_environment()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--in-process", type=int, default=0, metavar="N", help="read each page N times in process")
    parser.add_argument("--no-load", action="store_true", help="only the in-process figures")
    args = parser.parse_args()

    client = administrator_client()
    cookie = f"Cookie: {settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    listed = pages(client)
    results = in_process(client, {**FLOOR, **listed}, args.in_process) if args.in_process else []
    if not args.no_load:
        paths = {"static file (whitenoise)": STATIC_URL, **FLOOR, **listed}
        runs: dict[str, Any] = {}
        with gunicorn_serving(args.workers, STATIC_URL) as base:
            for name, path in paths.items():
                wrk(base + path, 3, args.connections, [cookie])  # warm every worker
                runs[name] = {"path": path, **wrk(base + path, args.seconds, args.connections, [cookie])}
        results.append(
            {
                "figure": f"member list under load: gunicorn {args.workers} sync workers, wrk 2 threads, "
                f"{args.connections} connections, {args.seconds} s each, loopback, logged in as the administrator",
                **runs,
            }
        )
    sizes = Organization.objects.aggregate(organizations=Count("id"))
    report("roster-load", {**sizes, "members": Member.objects.count(), "cpus": os.cpu_count()}, results)


if __name__ == "__main__":
    main()

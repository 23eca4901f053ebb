"""Benchmarks for issue 13: the workbench (every role's home page) at city scale.

Usage (PostgreSQL, as in docs/performance.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/workbench_run.py

For each demo account the home page (GET /, through the test client, as a browser asks for it)
is timed beside its baseline from the same run: the SQL of every count the page shows, taken from
the very selectors and sent straight to the database (`SELECT count(*) FROM (<selector's SQL>)`),
so the difference is what the page costs beyond the database's own work. The counts the page
shows must equal the baseline's before anything is timed. Results print as JSON lines and go to
bench/results/workbench-<vendor>.json.
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

from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import QuerySet  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import ensure_city, interleaved, report, vacuum  # noqa: E402
from lianxin.accounts.models import User  # noqa: E402
from lianxin.activities.selectors.planning import activities_to_record  # noqa: E402
from lianxin.community.selectors.reports import reports_to_approve  # noqa: E402
from lianxin.demands.selectors.handling import demand_to_accept, demand_to_follow_up, demand_to_handle  # noqa: E402
from lianxin.members.selectors.development import (  # noqa: E402
    activists_due_for_review,
    applicants_waiting_for_talk,
    due_for_full_membership,
)
from lianxin.volunteering.selectors.orders import order_inbox_for_leader, orders_to_dispatch  # noqa: E402
from lianxin.wishes.selectors import wish_review_queue  # noqa: E402
from lianxin.workbench.selectors import staff_waiting  # noqa: E402

ACCOUNTS = ("admin", "dinghai", "secretary", "handler", "leader", "member")


def waiting_querysets(user: User) -> dict[str, QuerySet[Any]]:
    """The lists whose counts the user's workbench shows (the same selectors it asks)."""
    today = timezone.localdate()
    lists: dict[str, QuerySet[Any]] = {}
    if staff_waiting(user=user) is not None:
        lists |= {
            "demands_to_accept": demand_to_accept(user=user),
            "demands_to_handle": demand_to_handle(user=user),
            "follow_ups_due": demand_to_follow_up(user=user),
            "orders_to_dispatch": orders_to_dispatch(user=user),
            "wishes_to_review": wish_review_queue(user=user),
            "reports_to_approve": reports_to_approve(user=user),
            "activities_to_record": activities_to_record(user=user),
            "talks_due": applicants_waiting_for_talk(user=user, organization=None, today=today),
            "reviews_due": activists_due_for_review(user=user, organization=None, today=today),
            "full_membership_due": due_for_full_membership(user=user, organization=None, today=today),
        }
    elif user.username == "handler":
        lists["demands_to_handle"] = demand_to_handle(user=user)
    if user.username == "leader":
        lists["team_orders"] = order_inbox_for_leader(user=user)
    return lists


def raw_counts(lists: dict[str, QuerySet[Any]]) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for name, qs in lists.items():
            sql, params = qs.order_by().query.sql_with_params()
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS rows", params)
            counts[name] = cursor.fetchone()[0]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    ensure_city()
    vacuum()  # fresh statistics, as autovacuum leaves them shortly after a load
    results = []
    for username in ACCOUNTS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        lists = waiting_querysets(user)
        expected = raw_counts(lists)
        page = client.get("/")
        assert page.status_code == 200, (username, page.status_code)
        html = page.content.decode()
        for name, n in expected.items():
            assert f">{n:,}<" in html, (username, name, n)
        # A request empties the query log as it starts (request_started → reset_queries): count without that.
        request_started.disconnect(reset_queries)
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        query_count = len(queries)  # read now: the captured list is a view of the log the next request empties
        request_started.connect(reset_queries)
        timed = interleaved({"page": partial(client.get, "/"), "raw_counts": partial(raw_counts, lists)}, args.runs)
        results.append(
            {
                "figure": f"workbench GET / as {username}",
                "counts": expected,
                "queries": query_count,
                "page_ms": timed["page"],
                "baseline_raw_counts_ms": timed["raw_counts"],
            }
        )
    report("workbench", {"runs": args.runs, "started": time.strftime("%H:%M")}, results)


if __name__ == "__main__":
    main()

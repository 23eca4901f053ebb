"""The city's account of its work at city scale, issue 16's figures, each beside the raw SQL of its
biggest figure in the same run: the dashboard (驾驶舱), whole page, for the whole city and for its
largest district over a year, beside coverage (activities held by kind and distinct members present,
bench/activity_run.py's RAW_COVERAGE), with the queries a page makes; a briefing drafted (the "year in
review" template filled for the whole city, nothing written), beside the same; the yearly Party
statistics of the whole city, beside a count of its members by category at the year's end.

Usage (PostgreSQL, the city built by `seed_demo --scale city`, nothing written):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_city .venv/bin/python bench/dashboard_run.py

`--areas` times the dashboards of the city's area and the district's area too (their organizations,
ADR 20), beside the same coverage read by area, and skips the briefing and statistics.

`--period` is `year` (the last 365 days, computed live) or `so-far` (this year so far, the page's own
default, read from a figure snapshot where `snapshots_refresh` keeps one).
"""

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, teardown_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.activity_run import RAW_COVERAGE  # noqa: E402
from bench.common import administrator_client, interleaved, raw, report  # noqa: E402
from bench.roster_load import largest_district  # noqa: E402
from lianxin.briefings.drafting import draft_of  # noqa: E402
from lianxin.briefings.textfiles import briefing_template  # noqa: E402
from lianxin.core.periods import Period  # noqa: E402
from lianxin.dashboards.views import CHILDREN_COMPARED  # noqa: E402
from lianxin.members.models import Member  # noqa: E402
from lianxin.members.selectors.statistics import party_statistics  # noqa: E402
from lianxin.organizations.models import Area, Organization  # noqa: E402

RAW_MEMBERS = """
    SELECT m.category, count(*) FROM members_member m
    WHERE m.organization_id IN (SELECT id FROM organizations_organization WHERE path LIKE %(path)s)
    GROUP BY m.category"""


def coverage_sql(org: Organization, period: Period) -> Callable[[], Any]:
    low, high = period.bounds
    return raw(RAW_COVERAGE, {"path": org.path + "%", "low": low, "high": high})


# The same coverage of an area's organizations: those seated in the area or an area under it (ADR 20).
RAW_AREA_COVERAGE = RAW_COVERAGE.replace(
    "SELECT id FROM organizations_organization WHERE path LIKE %(path)s",
    "SELECT id FROM organizations_organization WHERE area_id IN"
    " (SELECT id FROM organizations_area WHERE path LIKE %(path)s)",
)


def area_coverage_sql(area: Area, period: Period) -> Callable[[], Any]:
    low, high = period.bounds
    return raw(RAW_AREA_COVERAGE, {"path": area.path + "%", "low": low, "high": high})


def dashboards(client: Client, nodes: list[Organization | Area], period: Period, runs: int) -> list[dict[str, Any]]:
    """Each subtree's whole dashboard page (an organization's, or an area's organizations') beside its
    coverage's raw SQL, with the queries a page makes."""
    urls = {}
    for node in nodes:
        key = "area" if isinstance(node, Area) else "org"
        urls[node] = f"/figures/dashboard/?{urlencode({key: node.code, **period.query()})}"
    queries = {}
    for node, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries[node] = len(captured)
    teardown_test_environment()  # templates render as a server renders them
    results = []
    for node, url in urls.items():
        area = isinstance(node, Area)
        baseline = area_coverage_sql(node, period) if area else coverage_sql(node, period)
        timed = interleaved(
            {"page": partial(client.get, url), "raw SQL of its biggest figure (coverage)": baseline}, runs, warmup=2
        )
        results.append(
            {
                "figure": f"dashboard, whole page, {'area ' * area}{node.name}, {period.start} to {period.end}",
                "children_compared": min(CHILDREN_COMPARED, node.get_children_count()),
                "queries": queries[node],
                **timed,
            }
        )
        print(results[-1], flush=True)
    return results


def briefing_and_statistics(city: Organization, period: Period, today: date, runs: int) -> list[dict[str, Any]]:
    """The year in review drafted for the whole city, and the city's Party statistics for this year."""
    text = briefing_template("year_in_review")
    assert text is not None, "the year in review template is there"
    draft: dict[str, Callable[[], Any]] = {
        "draft": partial(draft_of, text, city, period),
        "raw SQL of its biggest figure (coverage)": coverage_sql(city, period),
    }
    tables: dict[str, Callable[[], Any]] = {
        "tables and checks": partial(party_statistics, organization=city, year=today.year, today=today),
        "raw SQL: members by category": raw(RAW_MEMBERS, {"path": city.path + "%"}),
    }
    results = [
        {
            "figure": f"briefing drafted (year in review), {city.name}, {period.start} to {period.end}",
            **interleaved(draft, runs, warmup=1),
        },
        {"figure": f"Party statistics, {city.name}, {today.year}", **interleaved(tables, runs, warmup=1)},
    ]
    for result in results:
        print(result, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--period", choices=("year", "so-far"), default="year")
    parser.add_argument("--areas", action="store_true", help="the dashboards of the city's and district's areas too")
    args = parser.parse_args()
    client = administrator_client()
    today = timezone.localdate()
    period = Period(today - timedelta(days=364), today) if args.period == "year" else Period.year_so_far(today)
    city = Organization.objects.get(depth=1)
    district = largest_district()
    nodes: list[Organization | Area] = [city, district]
    if args.areas:
        nodes += [Area.objects.get(pk=city.area_id), Area.objects.get(pk=district.area_id)]
    results = dashboards(client, nodes, period, args.runs)
    if not args.areas:
        results += briefing_and_statistics(city, period, today, args.runs)
    sizes = Organization.objects.aggregate(organizations=Count("id"))
    report("dashboard", {**sizes, "members": Member.objects.count(), "cpus": os.cpu_count()}, results)


if __name__ == "__main__":
    main()

"""Benchmarks for issue 3 (volunteer services, wishes, figures), each beside a same-run baseline.

Usage (PostgreSQL, as in docs/performance.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/service_run.py

1. Service figures of the largest district for the last 365 days: the selector and the whole
   page, p50/p95, beside the same numbers from hand-written SQL.
2. Public pages under load: gunicorn on loopback, driven by wrk from a second process, for
   a static file through whitenoise (the baseline), the wish wall and the service menu.
3. 50 members claim one wish at the same moment: 50 threads, each with its own
   connection, released by a barrier.

The city and the service data are generated first when missing (bench/service_fixture.py).
Results print as JSON lines and are saved to bench/results/service-<vendor>.json.
"""

import argparse
import os
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from bench import service_fixture  # noqa: E402
from bench.common import ensure_city, interleaved, report, timings  # noqa: E402
from bench.load import gunicorn_serving, wrk  # noqa: E402
from lianxin.accounts.models import RoleAssignment, User  # noqa: E402
from lianxin.accounts.services import role_assign, user_create  # noqa: E402
from lianxin.core.models import Event  # noqa: E402
from lianxin.core.periods import Period  # noqa: E402
from lianxin.dashboards.figures import service_figures  # noqa: E402
from lianxin.members.models import Member  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402
from lianxin.volunteering.models import Session, SignUp  # noqa: E402
from lianxin.wishes.models import Wish, WishClaim  # noqa: E402
from lianxin.wishes.services import wish_claim, wish_post, wish_review  # noqa: E402

STATIC_URL = "/static/vendor/htmx-2.0.11/htmx.min.js"
PUBLIC_PAGES = {"static file (whitenoise)": STATIC_URL, "wish wall": "/wishes/", "service menu": "/volunteering/menu/"}


# ------------------------------------------------------------------ 1. figures vs raw SQL

# The same numbers as service_figures, written by hand: %(path)s is the subtree's path
# prefix, %(start)s/%(end)s the period's bounds as timestamps, %(d0)s/%(d1)s as dates.
RAW_FIGURES = [
    """SELECT count(*), coalesce(sum(s.beneficiaries) FILTER (WHERE s.order_id IS NULL), 0)
       FROM volunteering_session s JOIN volunteering_team t ON t.id = s.team_id
       JOIN organizations_organization o ON o.id = t.organization_id
       WHERE o.path LIKE %(path)s AND s.status = 'held' AND s.starts_at >= %(start)s AND s.starts_at < %(end)s""",
    """SELECT count(*), count(DISTINCT u.user_id), coalesce(sum(u.hours), 0)
       FROM volunteering_signup u JOIN volunteering_session s ON s.id = u.session_id
       JOIN volunteering_team t ON t.id = s.team_id JOIN organizations_organization o ON o.id = t.organization_id
       WHERE o.path LIKE %(path)s AND s.status = 'held' AND s.starts_at >= %(start)s AND s.starts_at < %(end)s
         AND u.starts_at >= %(start)s AND u.starts_at < %(end)s
         AND u.left_at IS NULL AND (u.checked_in_at IS NOT NULL OR u.hours > 0)""",
    """SELECT r.status, count(*) FILTER (WHERE r.created_at >= %(start)s AND r.created_at < %(end)s),
              count(*) FILTER (WHERE r.status IN ('served', 'rated', 'unrated')
                               AND r.served_at >= %(start)s AND r.served_at < %(end)s),
              sum(r.beneficiaries) FILTER (WHERE r.status IN ('served', 'rated', 'unrated')
                                           AND r.served_at >= %(start)s AND r.served_at < %(end)s),
              avg(r.rating) FILTER (WHERE r.status = 'rated' AND r.created_at >= %(start)s AND r.created_at < %(end)s)
       FROM volunteering_order r JOIN organizations_organization o ON o.id = r.owner_id
       WHERE o.path LIKE %(path)s AND ((r.created_at >= %(start)s AND r.created_at < %(end)s)
             OR (r.served_at >= %(start)s AND r.served_at < %(end)s))
       GROUP BY r.status""",
    """SELECT count(*), coalesce(sum(p.beneficiaries), 0) FROM volunteering_tourstop p
       JOIN volunteering_tour t ON t.id = p.tour_id JOIN organizations_organization o ON o.id = t.organization_id
       WHERE o.path LIKE %(path)s AND p.date >= %(d0)s AND p.date <= %(d1)s""",
    """SELECT count(*), coalesce(sum(r.hours), 0) FROM community_servicerecord r
       JOIN organizations_organization o ON o.id = r.community_id
       WHERE o.path LIKE %(path)s AND r.served_on >= %(d0)s AND r.served_on <= %(d1)s""",
    """SELECT count(*), count(*) FILTER (WHERE w.status IN ('claimed', 'fulfilled', 'confirmed')),
              count(*) FILTER (WHERE w.status IN ('fulfilled', 'confirmed'))
       FROM wishes_wish w JOIN organizations_organization o ON o.id = w.organization_id
       WHERE o.path LIKE %(path)s AND w.created_at >= %(start)s AND w.created_at < %(end)s
         AND w.status IN ('published', 'claimed', 'fulfilled', 'confirmed')""",
    """SELECT count(*) FILTER (WHERE c.path LIKE %(path)s), count(*) FILTER (WHERE h.path LIKE %(path)s)
       FROM community_communityreport r JOIN organizations_organization c ON c.id = r.community_id
       JOIN organizations_organization h ON h.id = r.home_organization_id
       WHERE (c.path LIKE %(path)s OR h.path LIKE %(path)s) AND r.reported_on >= %(d0)s AND r.reported_on <= %(d1)s
         AND (r.status = 'approved' OR (r.status = 'ended' AND r.decided_at IS NOT NULL))""",
    """SELECT count(*) FROM community_postclaim k JOIN community_servicepost p ON p.id = k.post_id
       JOIN organizations_organization o ON o.id = p.community_id
       WHERE o.path LIKE %(path)s AND k.claimed_at >= %(start)s AND k.claimed_at < %(end)s
         AND k.withdrawn_at IS NULL""",
]


def raw_figures(org: Organization, period: Period) -> list[list[tuple[Any, ...]]]:
    start, end = period.bounds
    params = {"path": org.path + "%", "start": start, "end": end, "d0": period.start, "d1": period.end}
    out = []
    with connection.cursor() as cursor:
        for sql in RAW_FIGURES:
            cursor.execute(sql, params)
            out.append(cursor.fetchall())
    return out


def bench_figures(results: list[dict[str, Any]], runs: int) -> None:
    # The district with the most sessions: the slowest case, not the average one.
    districts = list(Organization.objects.filter(depth=2).order_by("path"))
    by_sessions = {d.pk: Session.objects.filter(team__organization__path__startswith=d.path).count() for d in districts}
    district = max(districts, key=lambda d: by_sessions[d.pk])
    today = timezone.localdate()
    period = Period(today - timedelta(days=364), today)
    figures = service_figures(organization=district, period=period)
    raw = raw_figures(district, period)
    # The hand-written SQL must agree before its time means anything.
    assert raw[0][0][0] == figures.sessions_held and raw[1][0][0] == figures.participations
    assert raw[1][0][1] == figures.volunteers and raw[5][0][0] == figures.wishes_posted
    assert raw[6][0] == (figures.reports_by_community, figures.reports_by_home)
    scale = (
        f"{district.name}: {figures.sessions_held:,} sessions held, {figures.participations:,} participations, "
        f"{figures.volunteers:,} volunteers, {figures.orders_placed:,} orders, 365 days"
    )
    results.append(
        {
            "figure": f"service figures of the largest district for a year ({scale})",
            **interleaved(
                {
                    "selector": lambda: service_figures(organization=district, period=period),
                    "raw_sql": lambda: raw_figures(district, period),
                },
                runs,
            ),
        }
    )
    admin = User.objects.filter(is_superuser=True).first()
    assert admin is not None, "the demo city has an admin"
    client = Client()
    client.force_login(admin)
    url = f"/figures/?org={district.code}&from={period.start}&to={period.end}"
    api = f"/api/v1/service-figures?org={district.code}&from={period.start}&to={period.end}"
    assert client.get(url).status_code == 200 and client.get(api).status_code == 200
    results.append(
        {
            "figure": "the figures page and the API for the same district and year (whole request)",
            **interleaved(
                {
                    "page": lambda: client.get(url),
                    "api": lambda: client.get(api),
                    "raw_sql": lambda: raw_figures(district, period),
                },
                runs,
            ),
        }
    )
    rows = f"/figures/rows/participations/?org={district.code}&from={period.start}&to={period.end}&page=500"
    assert client.get(rows).status_code == 200
    results.append(
        {
            "figure": f"drill-down: page 500 of the {figures.participations:,} participations",
            "page": timings(lambda: client.get(rows), runs),
        }
    )


# ------------------------------------------------------------------ 2. public pages under load


def bench_load(results: list[dict[str, Any]], seconds: int, workers: int, connections: int) -> None:
    with gunicorn_serving(workers, STATIC_URL) as base:
        for path in PUBLIC_PAGES.values():
            with urllib.request.urlopen(base + path, timeout=10) as response:
                assert response.status == 200, path
        runs = {}
        for name, path in PUBLIC_PAGES.items():
            wrk(base + path, 3, connections)  # warm every worker: caches, connections, templates
            runs[name] = wrk(base + path, seconds, connections)
    static = runs["static file (whitenoise)"]["req_per_s"]
    for run in runs.values():
        run["ratio_to_static"] = round(run["req_per_s"] / static, 2)
    results.append(
        {
            "figure": f"public pages under load: gunicorn {workers} sync workers, wrk 2 threads, "
            f"{connections} connections, {seconds} s each, loopback, anonymous",
            **runs,
        }
    )


# ------------------------------------------------------------------ 3. fifty claimers at once

RACERS = 50


def racers(community: Organization) -> list[User]:
    """Fifty Party members with accounts (made once, reused by later runs)."""
    users = list(User.objects.filter(username__startswith="bench_racer_").order_by("username"))
    if len(users) >= RACERS:
        return users[:RACERS]
    members = Member.objects.filter(user__isnull=True, category__in=Member.CURRENT_CATEGORIES).order_by("id")
    for i, member in enumerate(members[: RACERS - len(users)], start=len(users)):
        user = user_create(username=f"bench_racer_{i:02d}", password=None, display_name=member.name)
        role_assign(user=user, role=RoleAssignment.Role.MEMBER, organization=None)
        member.user = user
        member.save(update_fields=["user"])
        users.append(user)
    return users


def open_wish(community: Organization) -> Wish:
    """A wish posted by the demo's resident and published, open for claims."""
    admin = User.objects.filter(is_superuser=True).first()
    assert admin is not None
    poster = User.objects.filter(username="resident").first() or admin
    with translation.override("en"):
        wish = wish_post(
            actor=poster,
            organization=community,
            title=f"基准测试心愿 {time.strftime('%Y-%m-%d %H:%M:%S')}",
            category=Wish.Category.DAILY_NEEDS,
            beneficiary_name="王秀英",
        )
        wish_review(wish=wish, actor=admin, approve=True)
    return wish


def bench_race(results: list[dict[str, Any]]) -> None:
    community = Organization.objects.filter(sector="community", kind="branch").order_by("path").first()
    assert community is not None
    wish = open_wish(community)
    users = racers(community)
    barrier = threading.Barrier(len(users))
    lock = threading.Lock()
    wins: list[int] = []
    refusals: list[str] = []
    unexpected: list[str] = []

    def claim(user: User) -> None:
        try:
            with translation.override("en"):
                mine = Wish.objects.get(pk=wish.pk)  # every claimer has loaded the open wish
                barrier.wait()
                try:
                    wish_claim(wish=mine, actor=user)
                except ValidationError as exc:
                    with lock:
                        refusals.extend(exc.messages)
                else:
                    with lock:
                        wins.append(user.pk)
        except BaseException as exc:  # reported below, never swallowed
            with lock:
                unexpected.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.perf_counter() - start
    wish.refresh_from_db()
    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Wish), subject_id=wish.pk, verb="claimed"
    ).count()
    outcome = {
        "claimers": len(users),
        "winners": len(wins),
        "refusals": len(refusals),
        "refusal_messages": sorted(set(refusals)),
        "unexpected_errors": unexpected,
        "wish_status": wish.status,
        "claimed_count": wish.claimed_count,
        "active_claims": WishClaim.objects.filter(wish=wish, withdrawn_at__isnull=True).count(),
        "claimed_events": events,
        "all_done_in_s": round(elapsed, 2),
    }
    results.append(
        {"figure": f"{len(users)} simultaneous claims of one wish", "consistent": race_consistent(outcome), **outcome}
    )


def race_consistent(outcome: dict[str, Any]) -> bool:
    """One winner, every other claimer refused with a message, one claim and one event on the wish."""
    return bool(
        outcome["winners"] == 1
        and outcome["refusals"] == outcome["claimers"] - 1
        and not outcome["unexpected_errors"]
        and outcome["claimed_count"] == 1
        and outcome["active_claims"] == 1
        and outcome["claimed_events"] == 1
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-figures", action="store_true")
    args = parser.parse_args()

    setup_test_environment()
    ensure_city()
    service_fixture.build()
    results: list[dict[str, Any]] = []
    if not args.skip_figures:
        bench_figures(results, args.runs)
    if not args.skip_load:
        bench_load(results, args.seconds, args.workers, args.connections)
    if connection.vendor == "postgresql":
        bench_race(results)
    meta = {
        "sessions": Session.objects.count(),
        "signups": SignUp.objects.count(),
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "cpus": os.cpu_count(),
    }
    report("service", meta, results)


if __name__ == "__main__":
    main()

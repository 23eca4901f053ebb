"""Benchmarks for issue 5 (organizational life), each beside hand-written SQL for the same numbers.

Usage (PostgreSQL, as in docs/performance.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/activity_run.py

1. The compliance board (lianxin.activities.selectors.compliance.compliance_board) for the whole city and
   the last complete quarter: every branch, every required kind that applies to it, every window, beside one
   hand-written statement giving the same count of cells per kind and state (target < 500 ms p95).
2. Coverage (lianxin.activities.selectors.coverage.coverage) for the largest district and the last 365
   days, beside hand-written SQL for the same sessions and distinct members (target < 300 ms p95).

Both must agree with their SQL before they are timed. The city and the activity fixture
(bench/activity_fixture.py) are generated first when missing. Results print as JSON lines and
go to bench/results/activity-<vendor>.json.
"""

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import activity_fixture  # noqa: E402
from bench.common import ensure_city, interleaved, raw, report  # noqa: E402
from lianxin.accounts.models import User  # noqa: E402
from lianxin.activities.models import Activity, Attendance, FrequencyRule  # noqa: E402
from lianxin.activities.rules.frequency import NATIONAL_RULES, REQUIRED_KINDS, windows  # noqa: E402
from lianxin.activities.selectors.compliance import compliance_board  # noqa: E402
from lianxin.activities.selectors.coverage import Coverage, coverage  # noqa: E402
from lianxin.core.periods import Period  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402

# ------------------------------------------------------------------ 1. the compliance board

RAW_BOARD = """
    WITH sub AS (
        SELECT id, path, kind FROM organizations_organization WHERE path LIKE %(path)s AND status = 'active'),
    full_members AS (
        SELECT m.organization_id, count(*) AS n FROM members_member m JOIN sub ON sub.id = m.organization_id
        WHERE m.category = 'full' GROUP BY 1),
    grouped AS (
        SELECT DISTINCT left(path, length(path) - %(steplen)s) AS parent FROM sub WHERE kind = 'group'),
    branch AS (
        SELECT s.id, s.kind = 'general_branch' OR coalesce(f.n, 0) >= 7 AS has_committee,
            g.parent IS NOT NULL AS has_groups
        FROM sub s LEFT JOIN full_members f ON f.organization_id = s.id LEFT JOIN grouped g ON g.parent = s.path
        WHERE s.kind = ANY(%(branch_kinds)s)),
    win (kind, needs, w_start, w_end) AS (
        SELECT * FROM unnest(%(kinds)s::text[], %(needs)s::text[], %(starts)s::date[], %(ends)s::date[])),
    held AS (
        SELECT a.organization_id, a.kind,
            date_trunc('month', a.starts_at AT TIME ZONE %(tz)s)::date AS month, count(*) AS n
        FROM unnest(%(range_kinds)s::text[], %(lows)s::timestamptz[], %(highs)s::timestamptz[]) r (kind, low, high)
        JOIN activities_activity a ON a.kind = r.kind AND a.starts_at >= r.low AND a.starts_at < r.high
        JOIN organizations_organization o ON o.id = a.organization_id
        WHERE o.path LIKE %(path)s AND a.status = 'held'
        GROUP BY 1, 2, 3),
    cell AS (
        SELECT w.kind,
            CASE WHEN coalesce(sum(h.n), 0) > 0 THEN 'held'
                 WHEN w.w_end < %(today)s THEN 'missed'
                 WHEN w.w_start > %(today)s THEN 'upcoming' ELSE 'due' END AS state
        FROM branch b JOIN win w ON w.needs = '' OR (w.needs = 'committee' AND b.has_committee)
            OR (w.needs = 'groups' AND b.has_groups)
        LEFT JOIN held h ON h.organization_id = b.id AND h.kind = w.kind AND h.month BETWEEN w.w_start AND w.w_end
        GROUP BY b.id, w.kind, w.w_start, w.w_end)
    SELECT kind, state, count(*) FROM cell GROUP BY 1, 2 ORDER BY 1, 2"""


def last_quarter(today: date) -> tuple[date, date]:
    first_of_this = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = first_of_this - timedelta(days=1)
    return date(end.year, (end.month - 1) // 3 * 3 + 1, 1), end


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def board_params(city: Organization, start: date, end: date, today: date) -> dict[str, Any]:
    """The windows of each kind's national rule overlapping the quarter, and for each kind the
    span of its windows, the only activities that can count."""
    kinds, needs, starts, ends = [], [], [], []
    lows, highs = [], []
    for kind in REQUIRED_KINDS:
        found = windows(NATIONAL_RULES[kind].frequency, start, end)
        for window in found:
            kinds.append(kind)
            needs.append(NATIONAL_RULES[kind].needs)
            starts.append(window.start)
            ends.append(window.end)
        lows.append(local_midnight(found[0].start))
        highs.append(local_midnight(found[-1].end + timedelta(days=1)))
    return {
        "path": city.path + "%",
        "branch_kinds": [str(k) for k in Organization.BRANCH_KINDS],
        "steplen": Organization.steplen,
        "range_kinds": list(REQUIRED_KINDS),
        "lows": lows,
        "highs": highs,
        "kinds": kinds,
        "needs": needs,
        "starts": starts,
        "ends": ends,
        "today": today,
        "tz": settings.TIME_ZONE,
    }


Timed = Callable[[], Any]


def board_checked(root: Organization, start: date, end: date, today: date) -> tuple[Timed, Timed, int]:
    """The board of root's subtree with its totals and first 100 rows filled, and RAW_BOARD for the same
    windows, after checking that their totals agree; and the number of branches."""
    board_raw = raw(RAW_BOARD, board_params(root, start, end, today))

    def board() -> Any:
        found = compliance_board(organization=root, start=start, end=end, today=today)
        found.fill(found.rows[:100])
        return found

    found = board()
    mine = sorted((kind, state, n) for kind, counter in found.totals.items() for state, n in counter.items() if n)
    theirs = sorted(tuple(row) for row in board_raw())
    assert mine == theirs, (mine, theirs)
    return board, board_raw, len(found.rows)


def bench_board(results: list[dict[str, Any]], runs: int) -> None:
    # The hand-written SQL applies the national rules; the fixture adds no local overrides.
    assert not FrequencyRule.objects.exists(), "the board SQL below knows only the national rules"
    city = Organization.objects.get(depth=1)
    today = timezone.localdate()
    start, end = last_quarter(today)
    params = board_params(city, start, end, today)
    board = compliance_board(organization=city, start=start, end=end, today=today)
    mine = sorted((kind, state, n) for kind, counter in board.totals.items() for state, n in counter.items() if n)
    theirs = sorted(tuple(row) for row in raw(RAW_BOARD, params)())
    assert mine == theirs, (mine, theirs)
    states: Counter[str] = Counter()
    for _kind, state, n in mine:
        states[state] += n
    results.append(
        {
            "figure": f"compliance board, whole city, {start:%Y} Q{(start.month - 1) // 3 + 1} "
            f"({len(board.rows):,} branches, {sum(states.values()):,} cells: {states['held']:,} held, "
            f"{states['missed']:,} missed)",
            "target_p95_ms": 500,
            "numbers_agree": True,
            **interleaved(
                {
                    "selector": lambda: compliance_board(organization=city, start=start, end=end, today=today),
                    "raw_sql": raw(RAW_BOARD, params),
                },
                runs,
            ),
        }
    )
    # What a city user waits for: the whole page, the board of the city with its first 100 rows.
    admin = User.objects.filter(is_superuser=True).first()
    assert admin is not None, "the demo city has an admin"
    client = Client()
    client.force_login(admin)
    url = f"/activities/compliance/?org={city.code}&from={start}&to={end}"

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    results.append(
        {
            "figure": f"compliance board page, whole HTML response, city, {start:%Y} Q{(start.month - 1) // 3 + 1}, "
            "first 100 rows",
            "target_p95_ms": 500,
            **interleaved({"page": get, "raw_sql": raw(RAW_BOARD, params)}, runs),
        }
    )


# ------------------------------------------------------------------ 2. coverage

RAW_COVERAGE = """
    WITH sub AS (SELECT id FROM organizations_organization WHERE path LIKE %(path)s)
    SELECT 'activities', a.kind, count(*) FROM activities_activity a
    WHERE a.organization_id IN (SELECT id FROM sub) AND a.status = 'held'
      AND a.starts_at >= %(low)s AND a.starts_at < %(high)s
    GROUP BY a.kind
    UNION ALL
    SELECT 'members', t.kind, count(DISTINCT t.member_id) FROM activities_attendance t
    WHERE t.organization_id IN (SELECT id FROM sub) AND t.status = 'present'
      AND t.starts_at >= %(low)s AND t.starts_at < %(high)s
    GROUP BY t.kind
    UNION ALL
    SELECT 'members', '', count(DISTINCT t.member_id) FROM activities_attendance t
    WHERE t.organization_id IN (SELECT id FROM sub) AND t.status = 'present'
      AND t.starts_at >= %(low)s AND t.starts_at < %(high)s
    UNION ALL
    SELECT 'party_members', '', count(*) FROM members_member m
    WHERE m.organization_id IN (SELECT id FROM sub) AND m.category IN ('probationary', 'full')"""


def coverage_rows(found: Coverage) -> set[tuple[Any, ...]]:
    """The coverage selector's figures in the shape RAW_COVERAGE returns them, to check one against the other."""
    rows: set[tuple[Any, ...]] = {("activities", line.kind, line.activities) for line in found.lines if line.activities}
    rows |= {("members", line.kind, line.members) for line in found.lines if line.members}
    rows |= {("members", "", found.members), ("party_members", "", found.party_members)}
    return rows


def bench_coverage(results: list[dict[str, Any]], runs: int) -> None:
    city = Organization.objects.get(depth=1)
    districts = list(Organization.objects.filter(depth=2, path__startswith=city.path))
    sizes = {d.pk: Attendance.objects.filter(organization__path__startswith=d.path).count() for d in districts}
    district = max(districts, key=lambda d: sizes[d.pk])
    today = timezone.localdate()
    period = Period(today - timedelta(days=364), today)
    low, high = period.bounds
    params = {"path": district.path + "%", "low": low, "high": high}
    found = coverage(organization=district, period=period)
    mine = coverage_rows(found)
    theirs = {tuple(row) for row in raw(RAW_COVERAGE, params)()}
    assert mine == theirs, (sorted(mine), sorted(theirs))
    results.append(
        {
            "figure": f"coverage, {district.short_name or district.name}, {period.start} to {period.end} "
            f"({sizes[district.pk]:,} attendance rows in the district, {found.activities:,} activities held, "
            f"{found.members:,} of {found.party_members:,} Party members covered: {found.share}%)",
            "target_p95_ms": 300,
            "numbers_agree": True,
            **interleaved(
                {
                    "selector": lambda: coverage(organization=district, period=period),
                    "raw_sql": raw(RAW_COVERAGE, params),
                },
                runs,
            ),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    ensure_city()
    activity_fixture.build()
    results: list[dict[str, Any]] = []
    bench_board(results, args.runs)
    bench_coverage(results, args.runs)
    meta = {
        "activities": Activity.objects.count(),
        "attendance": Attendance.objects.count(),
        "organizations": Organization.objects.count(),
        "cpus": os.cpu_count(),
    }
    report("activity", meta, results)


if __name__ == "__main__":
    main()

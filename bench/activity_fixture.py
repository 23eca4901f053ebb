"""Organizational life at city scale: two years of activities for every branch and about
1,000,000 attendance rows, on top of the demo city.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/activity_fixture.py

PostgreSQL only. Rows are generated inside the database with INSERT ... SELECT over
generate_series, in one transaction; everything is deterministic and a second run sees the
activities already there and does nothing.

What it adds, for every active branch-level organization (branch, joint, temporary and
general branch) over the 24 calendar months up to and including the current one:
- by the national default frequencies (docs/domain-rules.md §4): a branch congress in the middle
  month of each quarter, a Party lecture in the last month of each quarter, a theme Party day
  on the 28th of each month, a committee meeting each month where the branch has a committee (7 or
  more full members, or a general branch), a Party group meeting each month where it has active
  Party groups under it (the board's applicability rules, lianxin/activities/rules.py), an
  organizational life meeting and a democratic appraisal each December;
- some missed: about one branch congress in 23, one lecture in 29 and one theme day in 41 is
  never held, and every 97th branch skips every other congress; about one activity in 60 is
  cancelled; activities after the present are still planned;
- attendance: the roll of about one activity in four is entered in the system (which ones is
  deterministic), chosen so that the rows total about ATTENDANCE. A roll lists the branch's
  Party members (probationary and full): everyone for congresses, lectures, theme days, life
  meetings and appraisals; the first five for committee meetings; one of three groups in turn
  for group meetings. Of those held, about 88% present (checked in), 6% excused, 4% absent with
  a reason, 2% not recorded. The organization, kind and start are copied onto each row.
"""

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

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.common import ensure_city, vacuum  # noqa: E402
from lianxin.activities.models import Activity, Attendance  # noqa: E402
from lianxin.core.tallies import tallies_refresh  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402

ATTENDANCE = 1_000_000
MONTHS = 24
BRANCH_KINDS = tuple(str(k) for k in Organization.BRANCH_KINDS)

# kind, title, which months (a SQL condition on qm, the month of the quarter 0..2, and mon, the
# month 1..12), day of month, who is on the roll, and what a branch needs to hold it: a committee,
# Party groups or nothing.
SCHEDULE: list[tuple[str, str, str, int, str, str]] = [
    ("branch_congress", "支部党员大会", "qm = 1", 10, "all", ""),
    ("party_lecture", "党课", "qm = 2", 15, "all", ""),
    ("theme_day", "主题党日", "true", 28, "all", ""),
    ("committee_meeting", "支委会", "true", 5, "committee", "committee"),
    ("group_meeting", "党小组会", "true", 20, "group", "groups"),
    ("life_meeting", "组织生活会", "mon = 12", 18, "all", ""),
    ("appraisal", "民主评议党员", "mon = 12", 22, "all", ""),
]

TOPICS = [
    "学习贯彻党的二十大精神",
    "学习习近平新时代中国特色社会主义思想",
    "党章党规党纪学习",
    "传承红色基因 争做海岛先锋",
    "党员公益日志愿服务",
    "基层治理与为民服务",
    "共同富裕示范区建设",
    "廉洁自律警示教育",
]


def pick(index: str) -> str:
    quoted = ",".join(f"'{t}'" for t in TOPICS)
    return f"(ARRAY[{quoted}])[({index}) %% {len(TOPICS)} + 1]"


def schedule_sql() -> str:
    return " UNION ALL ".join(
        f"SELECT '{kind}'::text AS kind, '{title}'::text AS title, '{roll}'::text AS roll, {day} AS day, m.n AS month_n"
        f" FROM b_month m WHERE {cond.replace('qm', 'm.qm').replace('mon', 'm.mon')}"
        for kind, title, cond, day, roll, _needs in SCHEDULE
    )


def needs_sql() -> str:
    return " UNION ALL ".join(
        f"SELECT '{kind}'::text AS kind, '{needs}'::text AS needs"
        for kind, _title, _cond, _day, _roll, needs in SCHEDULE
    )


STEPS: list[tuple[str, str]] = [
    (
        "numbered helper tables",
        """
        CREATE TEMP TABLE b_branch AS
            SELECT row_number() OVER (ORDER BY o.path) - 1 AS rn, o.id, o.short_name, o.name,
                (SELECT count(*) FROM members_member m WHERE m.organization_id = o.id
                    AND m.category = 'full') AS full_members,
                (SELECT count(*) FROM members_member m WHERE m.organization_id = o.id
                    AND m.category IN ('probationary', 'full')) AS members,
                o.kind = 'general_branch' AS general,
                EXISTS (SELECT 1 FROM organizations_organization g WHERE g.kind = 'group' AND g.status = 'active'
                    AND g.depth = o.depth + 1 AND g.path LIKE o.path || '%%') AS has_groups
            FROM organizations_organization o
            WHERE o.kind = ANY(%(branch_kinds)s) AND o.status = 'active';
        CREATE UNIQUE INDEX ON b_branch (id);
        CREATE TEMP TABLE b_member AS
            SELECT m.organization_id, m.id AS member_id,
                row_number() OVER (PARTITION BY m.organization_id ORDER BY m.id) - 1 AS rn
            FROM members_member m JOIN b_branch b ON b.id = m.organization_id
            WHERE m.category IN ('probationary', 'full');
        CREATE INDEX ON b_member (organization_id, rn);
        CREATE TEMP TABLE b_month AS
            SELECT n, d::date AS first_day, extract(month FROM d)::int AS mon,
                (extract(month FROM d)::int - 1) %% 3 AS qm,
                (extract(year FROM d)::int * 4 + (extract(month FROM d)::int - 1) / 3) AS quarter_n
            FROM generate_series(0, %(months)s - 1) n
            CROSS JOIN LATERAL (SELECT date_trunc('month', (now() AT TIME ZONE %(tz)s))
                - interval '1 month' * (%(months)s - 1 - n) AS d) dd;
        CREATE TEMP TABLE b_admin AS
            SELECT id FROM accounts_user WHERE is_superuser ORDER BY id LIMIT 1;
        ANALYZE b_branch, b_member, b_month""",
    ),
    (
        "activities",
        f"""
        CREATE TEMP TABLE b_plan AS
            SELECT b.id AS organization_id, b.rn AS branch_rn, s.kind, s.title, s.roll, s.month_n, mo.quarter_n,
                (((mo.first_day + (s.day - 1 + CASE WHEN s.day < 25 THEN b.rn %% 3 ELSE 0 END)::int)::timestamp
                    + interval '1 hour' * (CASE WHEN b.rn %% 4 = 0 THEN 9 ELSE 14 + b.rn %% 5 END))
                    AT TIME ZONE %(tz)s) AS starts_at
            FROM b_branch b
            CROSS JOIN ({schedule_sql()}) s
            JOIN ({needs_sql()}) nd ON nd.kind = s.kind
            JOIN b_month mo ON mo.n = s.month_n
            WHERE (nd.needs = '' OR (nd.needs = 'committee' AND (b.general OR b.full_members >= 7))
                   OR (nd.needs = 'groups' AND b.has_groups))
              AND NOT (s.kind = 'branch_congress'
                       AND ((b.rn * 7 + mo.quarter_n) %% 23 = 0 OR (b.rn %% 97 = 0 AND mo.quarter_n %% 2 = 0)))
              AND NOT (s.kind = 'party_lecture' AND (b.rn * 11 + mo.quarter_n) %% 29 = 0)
              AND NOT (s.kind = 'theme_day' AND (b.rn * 3 + s.month_n) %% 41 = 0);
        INSERT INTO activities_activity (organization_id, kind, title, topic, status, starts_at, ends_at, place,
            is_online, host, recorder, minutes, cancel_reason, checkin_code, joint_event_id, created_by_id,
            created_at, updated_at)
        SELECT p.organization_id, p.kind,
            to_char(p.starts_at AT TIME ZONE %(tz)s, 'YYYY年FMMM月') || p.title,
            {pick("p.branch_rn + p.month_n")},
            CASE WHEN p.starts_at > now() THEN 'planned'
                 WHEN (p.branch_rn + p.month_n * 7) %% 60 = 0 THEN 'cancelled' ELSE 'held' END,
            p.starts_at, p.starts_at + interval '90 minutes',
            CASE WHEN (p.branch_rn + p.month_n) %% 10 = 0 THEN '线上会议' ELSE '党员活动室' END,
            (p.branch_rn + p.month_n) %% 10 = 0,
            CASE WHEN p.starts_at > now() THEN '' ELSE '支部书记' END,
            CASE WHEN p.starts_at > now() THEN '' ELSE '组织委员' END,
            CASE WHEN p.starts_at > now() OR (p.branch_rn + p.month_n * 7) %% 60 = 0 THEN ''
                 ELSE '会议传达学习了有关精神，党员结合工作实际交流发言，对下阶段工作作出安排。' END,
            CASE WHEN p.starts_at <= now() AND (p.branch_rn + p.month_n * 7) %% 60 = 0
                 THEN '台风预警，活动取消' ELSE '' END,
            lpad((((p.branch_rn * 7919 + p.month_n * 104729) %% 1000000))::text, 6, '0'),
            NULL, (SELECT id FROM b_admin), p.starts_at - interval '10 days', least(p.starts_at, now())
        FROM b_plan p
        ORDER BY p.starts_at, p.organization_id""",
    ),
    (
        "attendance",
        """
        CREATE TEMP TABLE b_roll AS
            SELECT a.id AS activity_id, a.organization_id, a.kind, a.starts_at, a.status,
                CASE a.kind WHEN 'committee_meeting' THEN 'committee' WHEN 'group_meeting' THEN 'group'
                     ELSE 'all' END AS roll,
                extract(month FROM a.starts_at AT TIME ZONE %(tz)s)::int AS mon
            FROM activities_activity a
            WHERE a.id > %(start)s AND a.status <> 'cancelled'
              AND (a.id * 2654435761) %% 1000 < %(permille)s;
        INSERT INTO activities_attendance (activity_id, member_id, role, status, reason, checked_in_at,
            organization_id, kind, starts_at)
        SELECT r.activity_id, m.member_id, 'expected',
            CASE WHEN r.status = 'planned' THEN 'unknown'
                 WHEN x.v < 88 THEN 'present' WHEN x.v < 94 THEN 'excused' WHEN x.v < 98 THEN 'absent'
                 ELSE 'unknown' END,
            CASE WHEN r.status = 'planned' THEN ''
                 WHEN x.v >= 88 AND x.v < 94 THEN '出差请假' WHEN x.v >= 94 AND x.v < 98 THEN '出海作业' ELSE '' END,
            CASE WHEN r.status = 'held' AND x.v < 88 THEN r.starts_at - interval '1 minute' * (x.v %% 15) END,
            r.organization_id, r.kind, r.starts_at
        FROM b_roll r
        JOIN b_member m ON m.organization_id = r.organization_id
        CROSS JOIN LATERAL (SELECT ((m.member_id * 7919 + r.activity_id * 31) %% 100)::int AS v) x
        WHERE r.roll = 'all' OR (r.roll = 'committee' AND m.rn < 5) OR (r.roll = 'group' AND m.rn %% 3 = r.mon %% 3)
        ORDER BY r.activity_id, m.member_id""",
    ),
]


POTENTIAL_SQL = """
    SELECT coalesce(sum(CASE WHEN a.kind = 'committee_meeting' THEN least(b.members, 5)
                             WHEN a.kind = 'group_meeting' THEN b.members / 3
                             ELSE b.members END), 0)
    FROM activities_activity a JOIN b_branch b ON b.id = a.organization_id
    WHERE a.id > %(start)s AND a.status <> 'cancelled'"""


def params() -> dict[str, Any]:
    return {"tz": settings.TIME_ZONE, "months": MONTHS, "branch_kinds": list(BRANCH_KINDS)}


def build() -> bool:
    """Add the activities and attendance; False when an earlier run already did."""
    assert connection.vendor == "postgresql", "the activity fixture runs on PostgreSQL"
    # The demo city may hold a little organizational life of its own; the fixture's rows are the bulk.
    if Attendance.objects.count() >= ATTENDANCE // 2:
        return False
    values = params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM activities_activity")
        values["start"] = cursor.fetchone()[0]
        for label, sql in STEPS:
            start = time.perf_counter()
            if label == "attendance":
                cursor.execute(POTENTIAL_SQL, values)
                potential = cursor.fetchone()[0] or 1
                values["permille"] = min(1000, round(ATTENDANCE * 1000 / potential))
                print(f"rolls entered for about {values['permille'] / 10:.1f}% of activities", flush=True)
            for statement in sql.split(";"):
                if statement.strip():
                    cursor.execute(statement, values)
            print(f"{label}: {time.perf_counter() - start:.1f} s", flush=True)
    # The rows were written in SQL, without timeline events: the tallies are rebuilt from all of them.
    for run in tallies_refresh(full=True):
        print(f"{run.name} tallies rebuilt: {run.took_ms / 1000:.1f} s, {run.cells} cells written", flush=True)
    vacuum()
    return True


def main() -> None:
    ensure_city()
    start = time.perf_counter()
    if build():
        print(f"activity fixture built in {time.perf_counter() - start:.0f} s")
    else:
        print("activity fixture already present; nothing to do")
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, status, count(*) FROM activities_activity GROUP BY 1, 2 ORDER BY 1, 2")
        for kind, status, count in cursor.fetchall():
            print(f"  {kind} {status}: {count:,}")
    print(f"activities_activity: {Activity.objects.count():,}")
    print(f"activities_attendance: {Attendance.objects.count():,}")


if __name__ == "__main__":
    main()

"""Volunteer services, wishes and community reporting at city scale, on top of the demo city.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/service_fixture.py

PostgreSQL only. Rows are generated inside the database with INSERT ... SELECT over
generate_series, which writes 500,000 sign-ups in seconds where the ORM would take minutes.
Everything is deterministic (row i is always the same) and written in one transaction;
a second run sees the sessions already there and does nothing.

What it adds (counts are the defaults):
- 20,000 volunteer accounts; 600 teams owned by organizations at every level, 2 items each;
- 24,000 orders placed over the last two years, in every state, ratings 1-5 on the rated ones;
- 50,000 sessions over the last two years (one per served order, the rest free-standing;
  5% cancelled, the last days' still planned) and 500,000 sign-ups, 90% of them checked
  in with hours on held sessions;
- 40 tours of 10 stops; 4,000 wishes in every state, with their claims;
- 6,000 community reports, 800 service posts with 6,000 claims, 30,000 service records.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.common import ensure_city, vacuum  # noqa: E402
from lianxin.volunteering.models import Session  # noqa: E402

VOLUNTEERS = 20_000
TEAMS = 600
ORDERS = 24_000
SESSIONS = 50_000
SIGNUPS = 500_000
TOURS = 40
WISHES = 4_000
REPORTS = 6_000
POSTS = 800
POST_CLAIMS = 6_000
RECORDS = 30_000

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰海波宁红建国志文斌浩宇晨阳欣怡子涵梓轩"


def name_sql(i: str) -> str:
    """A Chinese name for row `i`, written in SQL."""
    return (
        f"substr('{SURNAMES}', ({i} %% {len(SURNAMES)})::int + 1, 1)"
        f" || substr('{GIVEN}', (({i} / 7) %% {len(GIVEN)})::int + 1, 1)"
        f" || substr('{GIVEN}', (({i} / 3) %% {len(GIVEN)})::int + 1, 1)"
    )


# Each step is one statement; %(name)s placeholders are the counts above.
STEPS: list[tuple[str, str]] = [
    (
        "volunteer accounts",
        f"""
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
            is_active, date_joined, display_name, mobile, mobile_hash)
        SELECT '!', false, 'vol' || lpad(i::text, 6, '0'), '', '', '', false, true, now(), {name_sql("i")}, '', ''
        FROM generate_series(1, %(volunteers)s) i""",
    ),
    (
        "numbered helper tables",
        """
        CREATE TEMP TABLE b_user AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id FROM accounts_user WHERE username LIKE 'vol%%';
        CREATE TEMP TABLE b_owner AS
            SELECT row_number() OVER (ORDER BY path) - 1 AS rn, id, area_id FROM organizations_organization
            WHERE depth BETWEEN 2 AND 4;
        CREATE TEMP TABLE b_community AS
            SELECT row_number() OVER (ORDER BY path) - 1 AS rn, id FROM organizations_organization
            WHERE sector = 'community' AND kind = 'branch';
        CREATE TEMP TABLE b_member AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id, organization_id FROM members_member
            WHERE category IN ('full', 'probationary') AND organization_id IS NOT NULL;
        CREATE TEMP TABLE b_category AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id FROM volunteering_servicecategory
            WHERE parent_id IS NULL""",
    ),
    (
        "teams",
        """
        INSERT INTO volunteering_team (name, kind, organization_id, description, is_active, feed_token, created_at)
        SELECT '志愿服务队' || i, CASE WHEN i %% 10 = 0 THEN 'vanguard' ELSE 'team' END, o.id, '', true,
            md5('team' || i) || md5('feed' || i), now() - interval '800 days'
        FROM generate_series(0, %(teams)s - 1) i
        JOIN b_owner o ON o.rn = (i * 7) %% (SELECT count(*) FROM b_owner)""",
    ),
    (
        "team numbering",
        """
        CREATE TEMP TABLE b_team AS
            SELECT row_number() OVER (ORDER BY t.id) - 1 AS rn, t.id, t.organization_id, o.area_id
            FROM volunteering_team t JOIN organizations_organization o ON o.id = t.organization_id
            WHERE t.name LIKE '志愿服务队%%'""",
    ),
    (
        "service items",
        """
        INSERT INTO volunteering_serviceitem (team_id, category_id, title, description, is_active, created_at)
        SELECT t.id, c.id, '服务项目' || t.rn || '-' || k, '上门或到社区提供服务', k < 2 OR t.rn %% 5 <> 0,
            now() - interval '700 days'
        FROM b_team t CROSS JOIN generate_series(0, 1) k
        JOIN b_category c ON c.rn = (t.rn + k * 3) %% (SELECT count(*) FROM b_category)""",
    ),
    (
        "orders",
        """
        INSERT INTO volunteering_order (place, starts_on, ends_on, expected_beneficiaries, note, status, decline_reason,
            beneficiaries, service_note, rating, rating_comment, created_at, dispatched_at, accepted_at, served_at,
            closed_at, area_id, ordered_by_id, ordering_organization_id, owner_id, item_id, team_id)
        SELECT '社区服务点' || (i %% 97), (x.at + interval '3 days')::date, (x.at + interval '4 days')::date,
            30, '', x.status, '',
            CASE WHEN x.status IN ('served', 'rated', 'unrated') THEN 20 + i %% 50 END, '',
            CASE WHEN x.status = 'rated' THEN 5 - (CASE WHEN i %% 7 = 0 THEN 2 WHEN i %% 3 = 0 THEN 1 ELSE 0 END) END,
            '', x.at,
            CASE WHEN x.status NOT IN ('ordered', 'cancelled') THEN x.at + interval '1 day' END,
            CASE WHEN x.status NOT IN ('ordered', 'dispatched', 'cancelled') THEN x.at + interval '2 days' END,
            CASE WHEN x.status IN ('served', 'rated', 'unrated') THEN x.at + interval '3 days 2 hours' END,
            CASE WHEN x.status IN ('rated', 'unrated', 'cancelled') THEN x.at + interval '6 days' END,
            t.area_id, NULL, NULL, t.organization_id, it.id,
            CASE WHEN x.status <> 'ordered' THEN t.id END
        FROM generate_series(0, %(orders)s - 1) i
        CROSS JOIN LATERAL (SELECT
            now() - interval '1 hour' * ((i * 7919) %% 17400 + 170) AS at,
            (ARRAY['ordered','dispatched','accepted','cancelled','served','served','served','unrated','unrated',
                   'unrated','rated','rated','rated','rated','rated','rated','rated','rated','rated','rated'])
                [i %% 20 + 1] AS status) x
        JOIN b_team t ON t.rn = i %% %(teams)s
        JOIN volunteering_serviceitem it ON it.team_id = t.id AND it.title = '服务项目' || t.rn || '-0'""",
    ),
    (
        "sessions of served orders",
        """
        INSERT INTO volunteering_session (title, place, starts_at, ends_at, slots, signed_up_count, status,
            checkin_code, beneficiaries, created_at, updated_at, area_id, created_by_id, item_id, order_id, team_id)
        SELECT '点单服务', o.place, o.served_at - interval '2 hours', o.served_at, 12, 0, 'held',
            lpad((o.id %% 1000000)::text, 6, '0'), NULL, o.accepted_at, o.served_at, o.area_id, NULL, o.item_id,
            o.id, o.team_id
        FROM volunteering_order o WHERE o.status IN ('served', 'rated', 'unrated') AND o.place LIKE '社区服务点%%'""",
    ),
    (
        "free-standing sessions",
        """
        INSERT INTO volunteering_session (title, place, starts_at, ends_at, slots, signed_up_count, status,
            checkin_code, beneficiaries, created_at, updated_at, area_id, created_by_id, item_id, order_id, team_id)
        SELECT '志愿服务活动' || i, '党群服务中心', x.at, x.at + interval '2 hours', 12, 0,
            CASE WHEN i %% 20 = 0 THEN 'cancelled' WHEN x.at < now() THEN 'held' ELSE 'planned' END,
            lpad(((i * 7919) %% 1000000)::text, 6, '0'),
            CASE WHEN i %% 20 <> 0 AND x.at < now() THEN 10 + i %% 40 END,
            x.at - interval '10 days', x.at, t.area_id, NULL, NULL, NULL, t.id
        FROM generate_series(0, %(sessions)s - 1 - (SELECT count(*) FROM volunteering_session)) i
        CROSS JOIN LATERAL (SELECT date_trunc('hour', now()) - interval '1 hour' * ((i * 7919) %% 17520 - 240) AS at) x
        JOIN b_team t ON t.rn = (i * 13) %% %(teams)s""",
    ),
    (
        "session numbering",
        """
        CREATE TEMP TABLE b_session AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id, starts_at, ends_at, status
            FROM volunteering_session WHERE status <> 'cancelled'""",
    ),
    (
        "sign-ups",
        """
        INSERT INTO volunteering_signup (starts_at, ends_at, signed_up_at, left_at, checked_in_at, checked_out_at,
            hours, session_id, user_id)
        SELECT s.starts_at, s.ends_at, s.starts_at - interval '3 days',
            CASE WHEN j %% 37 = 0 THEN s.starts_at - interval '1 day' END,
            CASE WHEN s.status = 'held' AND j %% 10 <> 0 AND j %% 37 <> 0 THEN s.starts_at END,
            CASE WHEN s.status = 'held' AND j %% 10 <> 0 AND j %% 37 <> 0 THEN s.ends_at END,
            CASE WHEN s.status = 'held' AND j %% 10 <> 0 AND j %% 37 <> 0 THEN 2.0 ELSE 0 END,
            s.id, u.id
        FROM generate_series(0, %(signups)s - 1) j
        JOIN b_session s ON s.rn = j %% (SELECT count(*) FROM b_session)
        JOIN b_user u ON u.rn = (s.rn * 7 + (j / (SELECT count(*) FROM b_session)) * 997) %% %(volunteers)s""",
    ),
    (
        "signed-up counts",
        """
        UPDATE volunteering_session s SET signed_up_count = c.n
        FROM (SELECT session_id, count(*) n FROM volunteering_signup WHERE left_at IS NULL GROUP BY session_id) c
        WHERE c.session_id = s.id""",
    ),
    (
        "tours and stops",
        """
        INSERT INTO volunteering_tour (title, organization_id, starts_on, ends_on, description, is_published,
            created_by_id, created_at)
        SELECT '巡回服务' || i, o.id, (now() - interval '1 day' * (i * 17))::date,
            (now() - interval '1 day' * (i * 17) + interval '9 days')::date, '', true, NULL, now()
        FROM generate_series(0, %(tours)s - 1) i JOIN b_owner o ON o.rn = (i * 31) %% (SELECT count(*) FROM b_owner);
        INSERT INTO volunteering_tourstop (tour_id, area_id, date, place, starts_at, ends_at, beneficiaries)
        SELECT t.id, o.area_id, t.starts_on + k, '文化礼堂', '09:00', '11:30', 50 + (t.id + k) %% 150
        FROM volunteering_tour t JOIN organizations_organization o ON o.id = t.organization_id
        CROSS JOIN generate_series(0, 9) k WHERE t.title LIKE '巡回服务%%'""",
    ),
    (
        "wishes",
        f"""
        INSERT INTO wishes_wish (kind, title, description, category, beneficiary_name, beneficiary_phone, amount,
            status, reject_reason, capacity, claimed_count, created_at, published_at, fulfilled_at, confirmed_at,
            organization_id, posted_by_id)
        SELECT CASE WHEN i %% 10 = 0 THEN 'warm_task' ELSE 'wish' END, '微心愿' || i, '',
            (ARRAY['daily_needs','study','medical','company','other'])[i %% 5 + 1], {name_sql("i")}, '',
            50 + i %% 400, x.status, '', CASE WHEN i %% 10 = 0 THEN 3 ELSE 1 END,
            CASE WHEN x.status IN ('claimed','fulfilled','confirmed') THEN CASE WHEN i %% 10 = 0 THEN 3 ELSE 1 END
                 ELSE 0 END,
            x.at, CASE WHEN x.status NOT IN ('submitted','rejected') THEN x.at + interval '1 day' END,
            CASE WHEN x.status IN ('fulfilled','confirmed') THEN x.at + interval '5 days' END,
            CASE WHEN x.status = 'confirmed' THEN x.at + interval '7 days' END, c.id, NULL
        FROM generate_series(0, %(wishes)s - 1) i
        CROSS JOIN LATERAL (SELECT now() - interval '1 hour' * ((i * 7919) %% 17400 + 200) AS at,
            (ARRAY['submitted','rejected','published','published','published','published','published','published',
                   'claimed','claimed','claimed','claimed','fulfilled','fulfilled','fulfilled','fulfilled',
                   'confirmed','confirmed','confirmed','confirmed'])[i %% 20 + 1] AS status) x
        JOIN b_community c ON c.rn = (i * 11) %% (SELECT count(*) FROM b_community)""",
    ),
    (
        "wish claims",
        """
        INSERT INTO wishes_wishclaim (claimed_at, withdrawn_at, note, claimer_id, organization_id, wish_id)
        SELECT w.published_at + interval '1 day', NULL, '', u.id, NULL, w.id
        FROM wishes_wish w CROSS JOIN generate_series(0, 2) k
        JOIN b_user u ON u.rn = (w.id * 3 + k) %% %(volunteers)s
        WHERE w.title LIKE '微心愿%%' AND w.status IN ('claimed','fulfilled','confirmed') AND k < w.capacity""",
    ),
    (
        "community reports",
        """
        INSERT INTO community_communityreport (status, reported_on, decided_at, reject_reason, ended_on, note,
            community_id, decided_by_id, home_organization_id, member_id)
        SELECT x.status, x.day, CASE WHEN x.status <> 'pending' THEN x.day + interval '2 days' END,
            CASE WHEN x.status = 'rejected' THEN '不在本社区居住' ELSE '' END,
            CASE WHEN x.status = 'ended' THEN x.day + 200 END, '', c.id, NULL, m.organization_id, m.id
        FROM generate_series(0, %(reports)s - 1) i
        CROSS JOIN LATERAL (SELECT (now() - interval '1 day' * ((i * 37) %% 725))::date AS day,
            (ARRAY['approved','approved','approved','approved','approved','approved','approved','pending',
                   'rejected','ended'])[i %% 10 + 1] AS status) x
        JOIN b_member m ON m.rn = i * ((SELECT count(*) FROM b_member) / %(reports)s)
        JOIN b_community c ON c.rn = (i * 5) %% (SELECT count(*) FROM b_community)""",
    ),
    (
        "service posts and claims",
        """
        INSERT INTO community_servicepost (community_id, title, category, description, capacity, is_open, created_at)
        SELECT c.id, '服务岗位' || i,
            (ARRAY['governance','environment','safety','civility','care','policy','skills','other'])[i %% 8 + 1],
            '', 10, true, now() - interval '730 days'
        FROM generate_series(0, %(posts)s - 1) i
        JOIN b_community c ON c.rn = (i * 3) %% (SELECT count(*) FROM b_community);
        CREATE TEMP TABLE b_post AS SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id
            FROM community_servicepost WHERE title LIKE '服务岗位%%';
        INSERT INTO community_postclaim (post_id, member_id, claimed_at, withdrawn_at)
        SELECT p.id, m.id, now() - interval '1 hour' * ((i * 7919) %% 17400),
            CASE WHEN i %% 15 = 0 THEN now() END
        FROM generate_series(0, %(post_claims)s - 1) i
        JOIN b_post p ON p.rn = i %% %(posts)s
        JOIN b_member m ON m.rn = i %% (SELECT count(*) FROM b_member)""",
    ),
    (
        "service records",
        """
        INSERT INTO community_servicerecord (member_id, community_id, claim_id, served_on, hours, description, photo,
            created_at)
        SELECT r.member_id, r.community_id, NULL, (now() - interval '1 day' * ((i * 37) %% 725))::date,
            1 + (i %% 4) * 0.5, '参与社区服务', '', now()
        FROM generate_series(0, %(records)s - 1) i
        JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS rn, member_id, community_id
              FROM community_communityreport WHERE status = 'approved') r
          ON r.rn = i %% (SELECT count(*) FROM community_communityreport WHERE status = 'approved')""",
    ),
]

COUNTS = {
    "volunteers": VOLUNTEERS,
    "teams": TEAMS,
    "orders": ORDERS,
    "sessions": SESSIONS,
    "signups": SIGNUPS,
    "tours": TOURS,
    "wishes": WISHES,
    "reports": REPORTS,
    "posts": POSTS,
    "post_claims": POST_CLAIMS,
    "records": RECORDS,
}


def build() -> bool:
    """Add the service data; False when an earlier run already did."""
    assert connection.vendor == "postgresql", "the service fixture runs on PostgreSQL"
    if Session.objects.count() >= SESSIONS:
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        for label, sql in STEPS:
            start = time.perf_counter()
            for statement in sql.split(";"):
                if statement.strip():
                    cursor.execute(statement, COUNTS)
            print(f"{label}: {time.perf_counter() - start:.1f} s", flush=True)
    vacuum()
    return True


def main() -> None:
    ensure_city()
    start = time.perf_counter()
    if build():
        print(f"service fixture built in {time.perf_counter() - start:.0f} s")
    else:
        print("service fixture already present; nothing to do")
    with connection.cursor() as cursor:
        for table in (
            "volunteering_session",
            "volunteering_signup",
            "volunteering_order",
            "wishes_wish",
            "community_servicerecord",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            print(f"{table}: {cursor.fetchone()[0]:,}")


if __name__ == "__main__":
    main()

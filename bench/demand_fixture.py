"""Residents' demands at city scale, on top of the demo city and the service data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/demand_fixture.py

PostgreSQL only. Rows are generated inside the database with INSERT ... SELECT over
generate_series, in one transaction; everything is deterministic (row i is always the same)
and a second run sees the demands already there and does nothing.

What it adds (counts are the defaults):
- 200,000 demands collected over the last two years by the village and community
  organizations, one after another in time (ids follow the collection order), from every
  source: visits, research topics, 民生面对面 sessions, the 12345 hotline (with work order
  numbers), residents' own submissions, Open311 clients, other modules, staff;
- the records they came from: 40 visits and 4 face-to-face sessions per village or community,
  16 research topics per town (about 640, a fifth of them key topics, as seed 001 counts 636);
- a status mix like a working year: about 2% duplicates (pointing to an earlier demand of the
  same place with the same text), 2% not ours, 1.5% closed as unresolvable, the recent ones
  still waiting, accepted or being handled, a few long overdue, most resolved and followed up;
- responsible units (the town, the village or community itself, or a district department),
  deadlines counted in working days with the holiday calendar, late resolutions escalated to
  the unit's parent organization;
- follow-ups (satisfied, basically satisfied; unsatisfied sends a demand back: one round more);
- reviewed public summaries for two thirds of the resolved demands;
- hot spots grouping the square-dance noise complaints of some places;
- the timeline: an Event for every change (collected, accepted, assigned, resolved, ...).

Titles and descriptions are built from the demo's pieces (place, problem, when, what is asked)
so the similarity suggestions have real Chinese text to compare.
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
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.common import ensure_city, vacuum  # noqa: E402
from lianxin.core.tallies import tallies_refresh  # noqa: E402
from lianxin.demands.models import LOOKUP_ALPHABET, Demand, FaceToFace, ResearchTopic, Visit  # noqa: E402
from lianxin.demo.demand_demo import ASKS, PERSONAL, PLACES, PROBLEMS, WHEN  # noqa: E402

DEMANDS = 200_000
DAYS = 730
VISITS_PER_UNIT = 40
SESSIONS_PER_UNIT = 4
TOPICS_PER_TOWN = 16
# Every DANCE_EVERY-th village or community has square dancing next door: a fifth of its
# demands are noise complaints about it, grouped into a hot spot.
DANCE_EVERY = 25

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰海波宁红建国志文斌浩宇晨阳欣怡子涵梓轩"

THEMES = ["基层治理", "民生服务", "海岛共富", "物业管理", "渔农民增收", "老旧小区改造", "养老服务", "营商环境"]
SOURCES = ["visit"] * 30 + ["research"] * 5 + ["face_to_face"] * 10 + ["hotline"] * 30 + ["public"] * 15
SOURCES += ["open311"] * 2 + ["module"] * 3 + ["staff"] * 5


def name_sql(i: str) -> str:
    """A Chinese name for row `i`, written in SQL."""
    return (
        f"substr('{SURNAMES}', ({i} %% {len(SURNAMES)})::int + 1, 1)"
        f" || substr('{GIVEN}', (({i} / 7) %% {len(GIVEN)})::int + 1, 1)"
        f" || substr('{GIVEN}', (({i} / 3) %% {len(GIVEN)})::int + 1, 1)"
    )


def pick_sql(options: list[str], index: str) -> str:
    """options[index mod len], written in SQL."""
    quoted = ",".join("'" + o.replace("'", "''") + "'" for o in options)
    return f"(ARRAY[{quoted}])[({index}) %% {len(options)} + 1]"


def lookup_code_sql(i: str) -> str:
    """An 8-character lookup code for row `i`: an affine permutation of 0..31^8-1 in base 31, so
    no two rows share one."""
    base = len(LOOKUP_ALPHABET)
    x = f"((({i})::bigint * 2654435761 + 7777777) %% {base**8})"
    return " || ".join(f"substr('{LOOKUP_ALPHABET}', ({x} / {base**k} %% {base})::int + 1, 1)" for k in range(8))


def local(ts: str) -> str:
    """The local date of a timestamp column."""
    return f"({ts} AT TIME ZONE %(tz)s)::date"


# Each step is one or more statements; %(name)s placeholders come from params().
STEPS: list[tuple[str, str]] = [
    (
        "numbered helper tables",
        """
        CREATE TEMP TABLE b_start AS SELECT coalesce(max(id), 0) AS id FROM demands_demand;
        CREATE TEMP TABLE b_unit AS
            SELECT row_number() OVER (ORDER BY u.path) - 1 AS rn, u.id, u.area_id, u.path, a.name AS area_name,
                substr(u.path, 1, 12) AS town_path, substr(u.path, 1, 8) AS district_path
            FROM (SELECT DISTINCT ON (o.area_id) o.id, o.area_id, o.path FROM organizations_organization o
                  JOIN organizations_area a ON a.id = o.area_id
                  WHERE o.sector IN ('village', 'community') AND a.kind IN ('village', 'community')
                    AND o.status = 'active'
                  ORDER BY o.area_id, o.depth, o.path) u
            JOIN organizations_area a ON a.id = u.area_id;
        CREATE TEMP TABLE b_town AS
            SELECT row_number() OVER (ORDER BY o.path) - 1 AS rn, o.id, o.path FROM organizations_organization o
            WHERE o.path IN (SELECT DISTINCT town_path FROM b_unit);
        ALTER TABLE b_unit ADD COLUMN town_id bigint, ADD COLUMN town_rn bigint;
        UPDATE b_unit u SET town_id = t.id, town_rn = t.rn FROM b_town t WHERE t.path = u.town_path;
        CREATE UNIQUE INDEX ON b_unit (rn);
        CREATE TEMP TABLE b_dept AS
            SELECT row_number() OVER (PARTITION BY substr(o.path, 1, 8) ORDER BY o.path) - 1 AS drn, o.id,
                substr(o.path, 1, 8) AS district_path
            FROM organizations_organization o JOIN organizations_area a ON a.id = o.area_id
            WHERE o.sector = 'organ' AND o.kind = 'branch' AND a.kind = 'district' AND o.status = 'active';
        CREATE UNIQUE INDEX ON b_dept (district_path, drn);
        CREATE TEMP TABLE b_dcount AS SELECT district_path, count(*) AS n FROM b_dept GROUP BY district_path;
        CREATE TEMP TABLE b_category AS SELECT id, code, deadline_days FROM demands_demandcategory;
        CREATE TEMP TABLE b_problem (rn int PRIMARY KEY, code text, title text, detail text, resolution text,
            summary text, placed boolean);
        CREATE TEMP TABLE b_day AS
            SELECT d::date AS day,
                coalesce(h.is_workday, extract(isodow FROM d) < 6) AS working
            FROM generate_series(current_date - %(days)s - 10, current_date + 120, interval '1 day') d
            LEFT JOIN core_holiday h ON h.date = d::date;
        CREATE TEMP TABLE b_workday AS
            SELECT day, working, sum(working::int) OVER (ORDER BY day) AS n FROM b_day;
        CREATE TEMP TABLE b_nth AS SELECT n, day FROM b_workday WHERE working;
        CREATE UNIQUE INDEX ON b_nth (n);
        CREATE UNIQUE INDEX ON b_workday (day);
        CREATE TEMP TABLE b_admin AS
            SELECT id FROM accounts_user WHERE is_superuser ORDER BY id LIMIT 1""",
    ),
    (
        "visits, research topics and face-to-face sessions",
        f"""
        INSERT INTO demands_visit (kind, organization_id, area_id, visited, visitors, visited_on, findings, topic_id,
            created_by_id, created_at)
        SELECT (ARRAY['household','household','household','enterprise','member','fishery'])[v %% 6 + 1],
            u.id, u.area_id, u.area_name || (v %% 60 + 1) || '号住户', {name_sql("v")} || '、' || {name_sql("v + 11")},
            current_date - ((v * 7919) %% %(days)s)::int, '走访了解住户生产生活情况，收集意见建议', NULL, NULL,
            now() - interval '1 day' * ((v * 7919) %% %(days)s)
        FROM generate_series(0, %(visits_per_unit)s * (SELECT count(*) FROM b_unit) - 1) v
        JOIN b_unit u ON u.rn = v %% (SELECT count(*) FROM b_unit);
        CREATE TEMP TABLE b_visit AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id FROM demands_visit
            WHERE id > (SELECT coalesce(max(id), 0) FROM demands_visit)
                - %(visits_per_unit)s * (SELECT count(*) FROM b_unit);
        CREATE UNIQUE INDEX ON b_visit (rn);
        INSERT INTO demands_facetoface (title, organization_id, area_id, held_on, place, attendance, notes,
            created_by_id, created_at)
        SELECT '民生面对面·' || u.area_name || '第' || (f / (SELECT count(*) FROM b_unit) + 1) || '场', u.id, u.area_id,
            current_date - ((f * 389) %% %(days)s)::int, u.area_name || '党群服务站', 20 + f %% 60,
            '居民面对面反映问题，现场登记', NULL, now() - interval '1 day' * ((f * 389) %% %(days)s)
        FROM generate_series(0, %(sessions_per_unit)s * (SELECT count(*) FROM b_unit) - 1) f
        JOIN b_unit u ON u.rn = f %% (SELECT count(*) FROM b_unit);
        CREATE TEMP TABLE b_f2f AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id FROM demands_facetoface
            WHERE id > (SELECT coalesce(max(id), 0) FROM demands_facetoface)
                - %(sessions_per_unit)s * (SELECT count(*) FROM b_unit);
        CREATE UNIQUE INDEX ON b_f2f (rn);
        INSERT INTO demands_researchtopic (title, organization_id, leader, is_key, starts_on, ends_on, findings,
            conclusion, status, created_by_id, created_at)
        SELECT {pick_sql(THEMES, "t")}
                || '调研课题（' || (extract(year FROM current_date)::int - t %% 2) || '-'
                || (t / (SELECT count(*) FROM b_town) + 1) || '）',
            w.id, {name_sql("t + 5")}, t %% 5 = 0, current_date - 700 + ((t %% 16) * 40)::int,
            current_date - 700 + ((t %% 16) * 40)::int + 90, '走访企业和群众，梳理问题清单',
            CASE WHEN (t %% 16) < 14 THEN '形成调研报告，问题纳入整改清单' ELSE '' END,
            CASE WHEN (t %% 16) < 14 THEN 'concluded' ELSE 'ongoing' END, NULL, now() - interval '700 days'
        FROM generate_series(0, %(topics_per_town)s * (SELECT count(*) FROM b_town) - 1) t
        JOIN b_town w ON w.rn = t %% (SELECT count(*) FROM b_town);
        CREATE TEMP TABLE b_topic AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id FROM demands_researchtopic
            WHERE id > (SELECT coalesce(max(id), 0) FROM demands_researchtopic)
                - %(topics_per_town)s * (SELECT count(*) FROM b_town);
        CREATE UNIQUE INDEX ON b_topic (rn);
        ANALYZE b_unit, b_town, b_dept, b_dcount, b_category, b_problem, b_workday, b_nth, b_visit, b_f2f, b_topic""",
    ),
    (
        "demands",
        f"""
        INSERT INTO demands_demand (id, title, description, category_id, area_id, address, lat, "long", source,
            source_type_id, source_id, hotline_number, organization_id, submitter_name, submitter_phone,
            submitter_phone_hash, submitted_by_id, lookup_code, status, reason, duplicate_of_id, hot_spot_id,
            responsible_unit_id, deadline, resolution, rework_count, satisfaction, escalated_to_id, public_summary,
            summary_reviewed_by_id, summary_reviewed_at, created_at, accepted_at, assigned_at, resolved_at,
            closed_at, escalated_at)
        SELECT (SELECT id FROM b_start) + i + 1,
            u.area_name || CASE WHEN p.placed THEN x.place ELSE '居民' END || p.title,
            CASE WHEN p.placed THEN x.when_ || u.area_name || x.place || p.detail || '，' || x.ask
                 ELSE p.detail || '，' || x.ask || '（' || u.area_name || '居民）' END,
            c.id, u.area_id, u.area_name || x.place, NULL, NULL, x.source,
            CASE x.source WHEN 'visit' THEN %(ct_visit)s WHEN 'research' THEN %(ct_topic)s
                WHEN 'face_to_face' THEN %(ct_f2f)s END,
            CASE x.source
                WHEN 'visit' THEN (SELECT id FROM b_visit WHERE rn = x.b %% (SELECT count(*) FROM b_visit))
                WHEN 'research' THEN (SELECT id FROM b_topic
                    WHERE rn = u.town_rn + (SELECT count(*) FROM b_town) * ((x.b / 7) %% %(topics_per_town)s))
                WHEN 'face_to_face' THEN (SELECT id FROM b_f2f WHERE rn = x.b %% (SELECT count(*) FROM b_f2f)) END,
            -- Six digits after the date where the demo writes four: the two never share a number.
            CASE WHEN x.source = 'hotline'
                THEN 'ZS12345-' || to_char(x.created_at AT TIME ZONE %(tz)s, 'YYYYMMDD')
                    || '-' || lpad(i::text, 6, '0')
                ELSE '' END,
            u.id,
            CASE WHEN x.source IN ('hotline', 'public', 'face_to_face', 'visit') THEN {name_sql("x.b")} ELSE '' END,
            '', '', NULL, {lookup_code_sql("i")}, x.status,
            CASE x.status WHEN 'not_ours' THEN '经核实不属于本单位职责，已告知居民向相关部门反映'
                WHEN 'duplicate' THEN '与已受理的诉求反映同一问题，合并办理'
                WHEN 'unresolvable' THEN '受规划和资金限制，暂无法解决，已向居民解释说明' ELSE '' END,
            CASE WHEN x.status = 'duplicate' THEN (SELECT id FROM b_start) + x.b + 1 END, NULL,
            CASE WHEN x.handled THEN x.unit END,
            CASE WHEN x.handled THEN x.deadline END,
            CASE WHEN x.status IN ('resolved', 'closed') THEN p.resolution ELSE '' END,
            x.rework,
            CASE WHEN x.status = 'closed' THEN CASE WHEN r %% 100 < 86 THEN 'satisfied' ELSE 'basic' END
                WHEN x.rework > 0 THEN 'unsatisfied' ELSE '' END,
            NULL,
            CASE WHEN x.status IN ('resolved', 'closed') AND r %% 3 <> 0 THEN p.summary ELSE '' END,
            CASE WHEN x.status IN ('resolved', 'closed') AND r %% 3 <> 0 THEN (SELECT id FROM b_admin) END,
            CASE WHEN x.status IN ('resolved', 'closed') AND r %% 3 <> 0
                THEN least(x.resolved_at + interval '1 day', now() - interval '5 minutes') END,
            x.created_at,
            CASE WHEN x.accepted THEN x.created_at + interval '1 hour' * (1 + r %% 5) END,
            CASE WHEN x.handled THEN x.assigned_at END,
            CASE WHEN x.status IN ('resolved', 'closed') THEN x.resolved_at END,
            CASE WHEN x.status = 'closed' THEN least(x.resolved_at + interval '1 hour' * (20 + r %% 50),
                                                    now() - interval '10 minutes')
                 WHEN x.status = 'unresolvable' THEN least(x.assigned_at + interval '3 days', now() - interval '1 hour')
                 WHEN x.status IN ('not_ours', 'duplicate') THEN x.created_at + interval '1 hour' * (2 + r %% 6) END,
            NULL
        FROM generate_series(0, %(demands)s - 1) i
        CROSS JOIN LATERAL (SELECT ((i::bigint * 761 + i / 1000) %% 1000)::int AS r) rr
        CROSS JOIN LATERAL (SELECT
            %(hours)s * (%(demands)s - i)::float / %(demands)s AS age_h,
            CASE WHEN r < 20 AND i >= (SELECT count(*) FROM b_unit) THEN i - (SELECT count(*) FROM b_unit)
                 ELSE i END AS b) a
        JOIN b_unit u ON u.rn = a.b %% (SELECT count(*) FROM b_unit)
        JOIN b_problem p ON p.rn = CASE
            WHEN (a.b %% (SELECT count(*) FROM b_unit)) %% %(dance_every)s = 0
                 AND (a.b / (SELECT count(*) FROM b_unit)) %% 5 = 0 THEN %(dance)s
            ELSE ((a.b / (SELECT count(*) FROM b_unit)) * 7 + a.b) %% (SELECT count(*) FROM b_problem) END
        JOIN b_category c ON c.code = p.code
        CROSS JOIN LATERAL (SELECT
            now() - interval '1 hour' * a.age_h - interval '1 minute' * ((i * 7919) %% 50) AS created_at,
            CASE WHEN r < 20 AND a.b <> i THEN 'duplicate'
                 WHEN r < 40 THEN 'not_ours'
                 WHEN a.age_h < 6 THEN 'submitted'
                 WHEN a.age_h < 30 THEN (ARRAY['submitted', 'accepted', 'assigned'])[r %% 3 + 1]
                 WHEN r < 55 THEN 'unresolvable'
                 WHEN a.age_h < 24 * 14 THEN (ARRAY['assigned', 'assigned', 'assigned', 'assigned', 'resolved',
                     'resolved', 'closed', 'closed', 'closed', 'closed'])[r %% 10 + 1]
                 WHEN r < 62 THEN 'assigned'
                 WHEN r < 80 AND a.age_h < 24 * 60 THEN 'resolved'
                 ELSE 'closed' END AS status) s
        CROSS JOIN LATERAL (SELECT s.status IN ('accepted', 'assigned', 'resolved', 'closed', 'unresolvable')
            AS accepted, s.status IN ('assigned', 'resolved', 'closed', 'unresolvable') AS handled) h
        CROSS JOIN LATERAL (SELECT s.created_at + interval '1 hour' * (2 + r %% 5 + r %% 3) AS assigned_at,
            CASE WHEN (a.b * 7) %% 20 < 11 THEN u.town_id
                 WHEN (a.b * 7) %% 20 < 17 THEN u.id
                 ELSE coalesce((SELECT d.id FROM b_dept d JOIN b_dcount n ON n.district_path = d.district_path
                                WHERE d.district_path = u.district_path AND d.drn = a.b %% n.n), u.town_id) END AS unit,
            CASE WHEN s.status IN ('assigned', 'resolved', 'closed') AND r %% 23 = 0 AND a.age_h > 24 * 20
                 THEN 1 ELSE 0 END AS rework) g
        CROSS JOIN LATERAL (SELECT (SELECT n.day FROM b_workday w JOIN b_nth n ON n.n = w.n + c.deadline_days
                                    WHERE w.day = {local("g.assigned_at")}) AS deadline) dl
        CROSS JOIN LATERAL (SELECT s.created_at, s.status, h.accepted, h.handled, g.assigned_at, g.unit, g.rework,
            dl.deadline, a.b,
            {pick_sql(PLACES, "a.b / 3")} AS place,
            {pick_sql(WHEN, "i")} AS when_,
            {pick_sql(ASKS, "i / 5")} AS ask,
            {pick_sql(SOURCES, "i * 37 + i / 100")} AS source,
            greatest(g.assigned_at + interval '1 hour', least(now() - interval '20 minutes',
                CASE WHEN r %% 100 >= 92
                    THEN ((dl.deadline + 1 + r %% 4)::timestamp + interval '10 hours') AT TIME ZONE %(tz)s
                    ELSE g.assigned_at + interval '1 hour' * (2 + (i * 37) %% (c.deadline_days * 20)) END))
                AS resolved_at) x
        ORDER BY i""",
    ),
    (
        "sequence after explicit ids",
        """
        SELECT setval(pg_get_serial_sequence('demands_demand', 'id'), (SELECT max(id) FROM demands_demand))""",
    ),
    (
        "escalations of late handling",
        f"""
        UPDATE demands_demand d SET escalated_to_id = p.id,
            escalated_at = ((d.deadline + 1)::timestamp + interval '1 hour') AT TIME ZONE %(tz)s
        FROM organizations_organization o, organizations_organization p
        WHERE d.id > (SELECT id FROM b_start) AND o.id = d.responsible_unit_id
          AND p.path = substr(o.path, 1, length(o.path) - 4) AND d.deadline IS NOT NULL
          AND ((d.status = 'assigned' AND d.deadline < current_date)
               OR (d.status IN ('resolved', 'closed') AND {local("d.resolved_at")} > d.deadline + 1)
               OR (d.status = 'unresolvable' AND {local("d.closed_at")} > d.deadline + 1))
          AND ((d.deadline + 1)::timestamp + interval '1 hour') AT TIME ZONE %(tz)s < now()""",
    ),
    (
        "hot spots of square-dance noise",
        """
        INSERT INTO demands_hotspot (title, area_id, category_id, created_by_id, created_at)
        SELECT d.area_name || '广场舞噪音扰民', d.area_id, d.category_id, (SELECT id FROM b_admin), d.first_at
        FROM (SELECT u.area_name, dd.area_id, dd.category_id, min(dd.created_at) AS first_at
              FROM demands_demand dd JOIN b_unit u ON u.area_id = dd.area_id
              WHERE dd.id > (SELECT id FROM b_start) AND dd.title LIKE '%%广场舞%%'
              GROUP BY u.area_name, dd.area_id, dd.category_id HAVING count(*) >= 20) d;
        UPDATE demands_demand d SET hot_spot_id = h.id FROM demands_hotspot h
        WHERE d.id > (SELECT id FROM b_start) AND d.title LIKE '%%广场舞%%' AND h.area_id = d.area_id
          AND h.title LIKE '%%广场舞噪音扰民'""",
    ),
    (
        "follow-ups",
        """
        INSERT INTO demands_followup (demand_id, round, result, comment, by_resident, recorded_by_id, at)
        SELECT d.id, 1, 'unsatisfied', '问题还没有彻底解决', d.id %% 4 = 0, NULL,
            d.assigned_at + (coalesce(d.resolved_at, now()) - d.assigned_at) / 2
        FROM demands_demand d WHERE d.id > (SELECT id FROM b_start) AND d.rework_count = 1;
        INSERT INTO demands_followup (demand_id, round, result, comment, by_resident, recorded_by_id, at)
        SELECT d.id, d.rework_count + 1, d.satisfaction,
            CASE WHEN d.satisfaction = 'satisfied' THEN '处理及时，很满意' ELSE '基本解决了' END,
            d.id %% 4 = 0, NULL, d.closed_at
        FROM demands_demand d WHERE d.id > (SELECT id FROM b_start) AND d.status = 'closed'""",
    ),
    (
        "timeline events",
        """
        INSERT INTO core_event (subject_type_id, subject_id, actor_id, at, verb, from_state, to_state, note, data)
        SELECT %(ct_demand)s, d.id, NULL, e.at, e.verb, e.from_state, e.to_state, e.note, e.data
        FROM demands_demand d
        CROSS JOIN LATERAL (VALUES
            (d.created_at, 'collected', '', 'submitted', '', jsonb_build_object('source', d.source)),
            (d.accepted_at, 'accepted', 'submitted', 'accepted', '', '{}'::jsonb),
            (CASE WHEN d.status IN ('not_ours', 'duplicate') THEN d.closed_at END,
                d.status, 'submitted', d.status, d.reason,
                CASE WHEN d.duplicate_of_id IS NOT NULL THEN jsonb_build_object('duplicate_of', d.duplicate_of_id)
                     ELSE '{}'::jsonb END),
            (d.assigned_at, 'assigned', 'accepted', 'assigned', '',
                jsonb_build_object('deadline', d.deadline::text)),
            (d.escalated_at, 'escalated', '', '', '', jsonb_build_object('deadline', d.deadline::text)),
            (CASE WHEN d.rework_count = 1 THEN d.assigned_at + (coalesce(d.resolved_at, now()) - d.assigned_at) / 2 END,
                'sent_back', 'resolved', 'assigned', '', '{"round": 1, "result": "unsatisfied"}'::jsonb),
            (d.resolved_at, 'resolved', 'assigned', 'resolved', d.resolution, '{}'::jsonb),
            (CASE WHEN d.status = 'closed' THEN d.closed_at END, 'followed_up', 'resolved', 'closed', '',
                jsonb_build_object('result', d.satisfaction)),
            (CASE WHEN d.status = 'unresolvable' THEN d.closed_at END, 'unresolvable', 'assigned', 'unresolvable',
                d.reason, '{}'::jsonb),
            (d.summary_reviewed_at, 'summary_reviewed', '', '', d.public_summary, '{}'::jsonb)
        ) AS e(at, verb, from_state, to_state, note, data)
        WHERE d.id > (SELECT id FROM b_start) AND e.at IS NOT NULL""",
    ),
]


def params() -> dict[str, Any]:
    ct = ContentType.objects.get_for_model
    return {
        "demands": DEMANDS,
        "days": DAYS,
        "hours": DAYS * 24,
        "visits_per_unit": VISITS_PER_UNIT,
        "sessions_per_unit": SESSIONS_PER_UNIT,
        "topics_per_town": TOPICS_PER_TOWN,
        "dance_every": DANCE_EVERY,
        "dance": next(n for n, p in enumerate(PROBLEMS) if "广场舞" in p[1]),
        "tz": settings.TIME_ZONE,
        "ct_visit": ct(Visit).pk,
        "ct_topic": ct(ResearchTopic).pk,
        "ct_f2f": ct(FaceToFace).pk,
        "ct_demand": ct(Demand).pk,
    }


def build() -> bool:
    """Add the demands; False when an earlier run already did."""
    assert connection.vendor == "postgresql", "the demand fixture runs on PostgreSQL"
    if Demand.objects.count() >= DEMANDS:
        return False
    values = params()
    with transaction.atomic(), connection.cursor() as cursor:
        for label, sql in STEPS:
            start = time.perf_counter()
            for statement in sql.split(";"):
                if statement.strip():
                    cursor.execute(statement, values)
            if label == "numbered helper tables":
                cursor.executemany(
                    "INSERT INTO b_problem VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [(n, *problem, problem[1] not in PERSONAL) for n, problem in enumerate(PROBLEMS)],
                )
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
        print(f"demand fixture built in {time.perf_counter() - start:.0f} s")
    else:
        print("demand fixture already present; nothing to do")
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM demands_demand GROUP BY status ORDER BY 2 DESC")
        for status, count in cursor.fetchall():
            print(f"  {status}: {count:,}")
        for table in ("demands_demand", "demands_followup", "demands_visit", "demands_researchtopic", "core_event"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            print(f"{table}: {cursor.fetchone()[0]:,}")


if __name__ == "__main__":
    main()

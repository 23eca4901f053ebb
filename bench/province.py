"""A province on one machine: N copies of a demo city in one PostgreSQL database, built with SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_p10 .venv/bin/python bench/province.py \\
        --from lianxin_city --times 10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_p10 .venv/bin/python bench/province.py --check

The database DATABASE_URL names is created with CREATE DATABASE ... TEMPLATE <source> (the
source, a city built by `seed_demo --scale city`, is only read, and must have no open
connection while it is copied), then migrated. Both trees get a new root, the province
(its committee and its area); the source city moves under it and N-1 copies of the city are
added beside it, each under a city name of its own, with every table the city owns copied
by INSERT ... SELECT (bench/province_plan.py says which tables and how). Each copy is one
transaction, so a build stopped half-way leaves whole cities and a consistent tree.

At the end: sequences reset, VACUUM ANALYZE, and the check: the trees' find_problems() come
back empty, every copied table holds source rows × cities, and generic relations (an Event's
subject) point at rows that exist as often as in the source. Foreign keys are PostgreSQL's
own, checked when each copy commits.
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

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from psycopg import sql  # noqa: E402

from bench.common import vacuum  # noqa: E402
from bench.province_plan import TREES, Copy, content_types, copied_models, generic_pairs, plan  # noqa: E402
from lianxin.organizations.models import Area, Organization  # noqa: E402

PROVINCE_AREA = {"name": "浙江省", "code": "330000", "kind": Area.Kind.CITY}
PROVINCE_COMMITTEE = {
    "name": "中共浙江省委员会",
    "short_name": "浙江省委",
    "code": "ZJ",
    "kind": Organization.Kind.COMMITTEE,
    "sector": Organization.Sector.ORGAN,
}
# The copies' city names: FIRST[k % 10] + SECOND[k // 10 % 10] (东阳, 西阳, ... 江溪), then numbered.
FIRST, SECOND = "东西南北青白金云海江", "阳山州宁川湖安平林溪"
MAIN_TABLES = [
    "organizations_area",
    "organizations_organization",
    "accounts_user",
    "members_member",
    "activities_activity",
    "activities_attendance",
    "demands_demand",
    "demands_followup",
    "volunteering_order",
    "volunteering_session",
    "volunteering_signup",
    "wishes_wish",
    "wishes_wishclaim",
    "community_communityreport",
    "community_servicerecord",
    "notifications_notification",
    "core_event",
]


def cursor_rows(statement: str, params: Any = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def execute(statement: str, params: Any = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return int(cursor.rowcount)


def create_database(source: str) -> None:
    """CREATE DATABASE <DATABASE_URL's database> TEMPLATE <source>, from the server's postgres database."""
    db = settings.DATABASES["default"]
    target = db["NAME"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None, dbname="postgres"
    ) as admin:
        admin.autocommit = True
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone():
            raise SystemExit(f"database {target} exists already; drop it first or use --check")
        holders = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [source]).fetchone()
        if holders and holders[0]:
            raise SystemExit(f"{source} has {holders[0]} open connection(s); it can be a template only without")
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(source)))


def city_stem(k: int) -> str:
    stem = FIRST[k % 10] + SECOND[k // 10 % 10]
    return stem if k < 100 else f"{stem}{k // 100}"


def step(model: type[models.Model], n: int) -> str:
    """The n-th step of a path in the model's alphabet, padded to its steplen."""
    alphabet: str = model.alphabet  # type: ignore[attr-defined]
    digits = ""
    while n:
        n, d = divmod(n, len(alphabet))
        digits = alphabet[d] + digits
    return digits.rjust(model.steplen, alphabet[0])  # type: ignore[attr-defined]


def tree_params(model: type[models.Model], times: int) -> list[dict[str, Any]]:
    """For each city k (0 the source): where its top node sits under the province's root, and
    how its codes and names read. Tops are numbered in their codes' order (node_order_by)."""
    top = model.objects.get(depth=1)  # type: ignore[attr-defined]
    width = len(str(times - 1))
    prefixes = [""] + [f"K{k:0{width}d}" for k in range(1, times)]
    order = sorted(range(times), key=lambda k: prefixes[k] + top.code)
    stem = Area.objects.get(depth=1).name.removesuffix("市")
    root = step(model, 1)
    return [
        {
            "k": k,
            "path_prefix": root + step(model, order.index(k) + 1),
            "path_cut": 2 * model.steplen + 1,  # type: ignore[attr-defined]
            "code_prefix": prefixes[k],
            "stem": stem,
            "new_stem": city_stem(k),
        }
        for k in range(times)
    ]


def province_root(params: dict[type[models.Model], list[dict[str, Any]]], copies: dict[str, Copy]) -> None:
    """Move the source city under a new root in both trees; the roots take the id just below
    their table's offset, outside every copy."""
    for model in TREES:
        table, city = model._meta.db_table, params[model][0]
        execute(f"UPDATE {table} SET path = '~' || path")
        execute(
            f"UPDATE {table} SET path = %(path_prefix)s || substr(path, {model.steplen + 2}), depth = depth + 1",  # type: ignore[attr-defined]
            city,
        )
    root = step(Area, 1)
    area = Area.objects.create(
        id=copies["organizations_area"].offset - 1, path=root, depth=1, numchild=1, **PROVINCE_AREA
    )
    Organization.objects.create(
        id=copies["organizations_organization"].offset - 1,
        path=step(Organization, 1),
        depth=1,
        numchild=1,
        area=area,
        **PROVINCE_COMMITTEE,
    )


def record_source(copies: list[Copy], times: int) -> None:
    """Keep the source's counts in the database (bench_province), for --check and partial builds."""
    execute(
        "CREATE TABLE bench_province (table_name text PRIMARY KEY, source_rows bigint, copied_rows bigint,"
        " max_id bigint, id_offset bigint)"
    )
    execute("CREATE TABLE bench_province_build (times int, done int)")
    execute("INSERT INTO bench_province_build VALUES (%s, 0)", [times])
    for copy in copies:
        rows = cursor_rows(f'SELECT count(*) FROM "{copy.table}"')[0][0]
        where = f"WHERE {copy.where}" if copy.where else ""
        copied = cursor_rows(f'SELECT count(*) FROM "{copy.table}" {where}')[0][0]
        execute(
            "INSERT INTO bench_province VALUES (%s, %s, %s, %s, %s)",
            [copy.table, rows, copied, copy.max_id, copy.offset],
        )


def copy_city(k: int, copies: list[Copy], params: dict[type[models.Model], list[dict[str, Any]]]) -> int:
    """City k: every table's rows, in one transaction; the roots count one child more."""
    inserted = 0
    with transaction.atomic():
        for copy in copies:
            if copy.max_id:
                inserted += execute(copy.sql(), params[copy.model][k] if copy.model in TREES else {"k": k})
        for model in TREES:
            execute(f"UPDATE {model._meta.db_table} SET numchild = numchild + 1 WHERE depth = 1")
        rename_pinyin(k, copies)
        execute("UPDATE bench_province_build SET done = %s", [k])
        execute("SET CONSTRAINTS ALL IMMEDIATE")
    return inserted


def rename_pinyin(k: int, copies: list[Copy]) -> None:
    """The pinyin initials of the copy's renamed tree nodes, written as save() writes them."""
    for copy in copies:
        if copy.model in TREES:
            low = k * copy.offset
            renamed = list(
                copy.model._default_manager.filter(id__gt=low, id__lte=low + copy.max_id, name__contains=city_stem(k))
            )
            for node in renamed:
                node.fill_pinyin()  # type: ignore[attr-defined]
            copy.model._default_manager.bulk_update(renamed, ["pinyin"], batch_size=1000)


def reset_sequences(copies: list[Copy]) -> None:
    for copy in copies:
        execute(
            f"SELECT setval(pg_get_serial_sequence('\"{copy.table}\"', 'id'),"
            f' coalesce(max(id), 0) + 1, false) FROM "{copy.table}"'
        )


def timed(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"{label}: {now - started:.1f} s", flush=True)
    return now


def build(source: str, times: int) -> None:
    started = at = time.perf_counter()
    create_database(source)
    at = timed(f"create database from template {source}", at)
    call_command("migrate", verbosity=0)
    at = timed("migrate", at)
    max_ids = {
        m._meta.db_table: cursor_rows(f'SELECT coalesce(max(id), 0) FROM "{m._meta.db_table}"')[0][0]
        for m in copied_models()
    }
    copies = plan(max_ids)
    params = {model: tree_params(model, times) for model in TREES}
    with transaction.atomic():
        record_source(copies, times)
        province_root(params, {c.table: c for c in copies})
    at = timed(f"province root ({len(copies)} tables to copy)", at)
    for k in range(1, times):
        rows = copy_city(k, copies, params)
        at = timed(f"city {k + 1}/{times} ({city_stem(k)}, {rows:,} rows)", at)
    reset_sequences(copies)
    at = timed("sequences", at)
    vacuum()
    timed("VACUUM ANALYZE", at)
    timed("built", started)


def tree_problems() -> dict[str, int]:
    problems = {}
    for model in TREES:
        found = model.objects.find_problems()  # type: ignore[attr-defined]
        problems[model._meta.db_table] = sum(len(ids) for ids in found)
    return problems


def generic_orphans() -> int:
    """Rows whose generic relation (an Event's subject, a demand's source) names no row: PostgreSQL
    does not hold these, so they are counted here; a copy adds as many as the source had."""
    models_ = copied_models()
    targets = [(ct, m._meta.db_table) for m, ct in content_types(models_).items()]
    orphans = 0
    for model in models_:
        for type_field, id_field in generic_pairs(model):
            for ct, table in targets:
                orphans += cursor_rows(
                    f'SELECT count(*) FROM "{model._meta.db_table}" e WHERE "{type_field.column}" = %s AND NOT EXISTS'
                    f' (SELECT 1 FROM "{table}" x WHERE x.id = e."{id_field.column}")',
                    [ct],
                )[0][0]
    return orphans


def check() -> bool:
    """Trees without problems and every copied table at source rows × cities; prints the rows
    of the main tables and the database's size."""
    ((times, done),) = cursor_rows("SELECT times, done FROM bench_province_build")
    cities = done + 1
    print(f"cities: {cities} of {times}")
    problems = tree_problems()
    print(f"tree problems: {problems}")
    wrong = []
    for table, rows, copied, _max_id, _offset in cursor_rows("SELECT * FROM bench_province ORDER BY table_name"):
        expected = rows + done * copied + (1 if table in {m._meta.db_table for m in TREES} else 0)
        actual = cursor_rows(f'SELECT count(*) FROM "{table}"')[0][0]
        if actual != expected:
            wrong.append(f"{table}: {actual:,} rows, expected {expected:,}")
        if table in MAIN_TABLES:
            print(f"  {table}: {actual:,} ({actual / max(rows, 1):.1f}× the source's {rows:,})")
    for line in wrong:
        print(f"  WRONG {line}")
    orphans = generic_orphans()
    print(f"generic relations naming no row: {orphans:,}")
    size = cursor_rows("SELECT pg_size_pretty(pg_database_size(current_database()))")[0][0]
    print(f"database size: {size}")
    return not wrong and not any(problems.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", help="the city database to copy (used as a template)")
    parser.add_argument("--times", type=int, default=10, help="cities in the province, the source's included")
    parser.add_argument("--check", action="store_true", help="only check a database built before")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the province fixture runs on PostgreSQL"
    if not args.check:
        if not args.source or args.times < 2:
            parser.error("--from SOURCE and --times 2 or more are needed to build")
        build(args.source, args.times)
    started = time.perf_counter()
    ok = check()
    timed("check", started)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

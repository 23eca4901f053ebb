"""Import and export at province scale (issue 15): a 100,000-row roster sheet imported into one
district, and that district's roster exported, each beside its baseline from the same run.

Usage (PostgreSQL; the import writes, so run it on a copy of the province, made when nothing is
connected to it, and dropped afterwards):

    createdb -h 127.0.0.1 -U postgres -T lianxin_p10 lianxin_p10_io
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_p10_io .venv/bin/python bench/province_io.py
    dropdb -h 127.0.0.1 -U postgres lianxin_p10_io

Figures, each measured in a fresh process (wall time, and the process's peak resident memory from
getrusage, Django and the interpreter included):

1. import: the sheet uploaded on the import page by an administrator of the district, run by the
   import task as a worker runs it (the test settings' immediate task backend runs it inside the
   upload's request), every row a new member of the district's branches. Baseline: python-calamine
   reading the same sheet bare, and PostgreSQL COPY of its cells into a temporary table (rolled back).
2. the same sheet again: every row found unchanged, nothing written.
3. export: the district's roster through the export page (the list's default filter: current
   members), and the first city's. Baseline: the same rows fetched with one hand-written
   statement through a server-side cursor and written with the bare xlsx writer, values as
   stored (no decryption, no labels).
4. a ledger of the district: the attendance rows of organizational life over the last year
   (the coverage page's export). Baseline: the same rows by hand-written SQL and the bare writer.

The sheet is made with bench/roster_fixture.py over the district's branch codes (names are not
unique in a province of copied cities) and kept under /tmp. Results go to
bench/results/province-io-<vendor>.json.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The code measured: LIANXIN_ROOT names another checkout (the previous code, with --before).
sys.path.insert(0, str(ROOT))
sys.path.insert(0, os.environ.get("LIANXIN_ROOT") or str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from lianxin.accounts.models import RoleAssignment, User  # noqa: E402
from lianxin.members.models import Member, RosterImport  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402

SHARED = {"lianxin_city", "lianxin_p10", "lianxin_p55"}
# The ID numbers of the sheet start with a region code the demo's people do not use: all rows are new.
REGION = "330981"
REGION_BEFORE = "330982"  # the sheet the previous code imports (--before), new rows too
# The roster's stored columns, in the sheet's order (the baseline export writes them as stored).
EXPORT_SQL = """
    SELECT m.name, m.sex, m.id_number, m.ethnicity, m.birth_date, m.native_place, m.education, m.occupation, m.category,
           m.leave_reason, m.applied_on, m.activist_on, m.candidate_on, m.joined_on, m.full_on, m.left_on,
           m.organization_id, m.work_unit, m.post, m.mobile, m.home_address, m.community_id, m.is_mobile,
           m.is_abroad, m.is_lost_contact, m.lost_contact_since, m.is_at_sea
    FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id
    WHERE o.path LIKE %(path)s AND m.category = ANY(%(categories)s)
    ORDER BY m.name, m.id
"""
ATTENDANCE_SQL = """
    SELECT a.starts_at AT TIME ZONE %(tz)s, o.name, a.kind, act.title, m.name
    FROM activities_attendance a
    JOIN organizations_organization o ON o.id = a.organization_id
    JOIN activities_activity act ON act.id = a.activity_id
    JOIN members_member m ON m.id = a.member_id
    WHERE o.path LIKE %(path)s AND a.status = 'present' AND a.starts_at >= %(low)s AND a.starts_at < %(high)s
    ORDER BY a.starts_at, a.id
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User and system time of this process so far: less moved by other work on the machine than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def district_of(name: str) -> Organization:
    """The organization named `name` (full or short name) under the first city, by path."""
    city = Organization.objects.filter(depth=2).order_by("path").first()
    assert city is not None, "the database holds a province"
    found: Organization | None = (
        Organization.objects.filter(Q(name=name) | Q(short_name=name), path__startswith=city.path, depth=3)
        .order_by("path")
        .first()
    )
    if found is None:
        raise SystemExit(f"no organization named {name} at depth 3 under {city.name}")
    return found


def administrator_of(org: Organization) -> User:
    """An administrator of `org` itself (scope: its subtree), or else the superuser."""
    role = (
        RoleAssignment.objects.filter(role=RoleAssignment.Role.ORG_ADMIN, organization=org, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if role is not None:
        return role.user
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    assert admin is not None
    return admin


def logged_in(user: User) -> Client:
    setup_test_environment()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def smallest_under(org: Organization) -> Organization:
    """A branch of `org`: the warm-up request reads it, so that the timed one finds modules, URLs and
    templates loaded, as in a server that has answered before."""
    leaf = Organization.objects.filter(path__startswith=org.path, numchild=0).order_by("-path").first()
    return leaf or org


# ---------------------------------------------------------------------- the measured steps (children)


def child_import(args: argparse.Namespace) -> dict[str, Any]:
    district = district_of(args.district)
    admin = administrator_of(district)
    client = logged_in(admin)
    url = reverse("members:import")
    assert client.get(url).status_code == 200  # warm-up
    before = Member.objects.filter(organization__path__startswith=district.path).count()
    started, cpu = time.perf_counter(), cpu_seconds()
    with open(args.workbook, "rb") as sheet:
        response = client.post(url, {"file": sheet})
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    assert response.status_code == 302, response.status_code
    done = RosterImport.objects.order_by("-pk").first()
    assert done is not None
    after = Member.objects.filter(organization__path__startswith=district.path).count()
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "cpu_seconds": cpu,
        "status": done.status,
        "message": done.message,
        "rows": done.total_rows,
        "created": done.created_count,
        "updated": done.updated_count,
        "unchanged": done.unchanged_count,
        "errors": done.error_count,
        "members_added": after - before,
        "importer": "superuser" if admin.is_superuser else f"administrator of {district.name}",
    }


def child_import_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """python-calamine over the sheet, bare, and COPY of every cell as text into a temporary table."""
    import python_calamine

    started, cpu = time.perf_counter(), cpu_seconds()
    book = python_calamine.CalamineWorkbook.from_path(args.workbook)
    rows = book.get_sheet_by_index(0).to_python()
    read = time.perf_counter() - started
    header, body = rows[0], rows[1:]
    width = len(header)
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(width))
        cursor.execute(f"CREATE TEMPORARY TABLE roster_baseline ({columns}) ON COMMIT DROP")
        with cursor.cursor.copy("COPY roster_baseline FROM STDIN") as copy:
            for row in body:
                copy.write_row([None if v == "" else str(v) for v in row])
        cursor.execute("SELECT count(*) FROM roster_baseline")
        (copied,) = cursor.fetchone()
        transaction.set_rollback(True)
    return {
        "seconds": time.perf_counter() - started,
        "read_seconds": read,
        "peak_mb": peak_mb(),
        "cpu_seconds": cpu_seconds() - cpu,
        "rows": copied,
    }


def child_export(args: argparse.Namespace) -> dict[str, Any]:
    org = district_of(args.district) if args.scope == "district" else Organization.objects.get(pk=args.org_id)
    admin = administrator_of(org)
    client = logged_in(admin)
    url = reverse("members:export")
    warm = client.get(url, {"org": smallest_under(org).code})
    assert warm.status_code == 200
    b"".join(warm.streaming_content)  # type: ignore[attr-defined]
    started, cpu = time.perf_counter(), cpu_seconds()
    response = client.get(url, {"org": org.code})
    assert response.status_code == 200, response.status_code
    path = Path(tempfile.gettempdir()) / f"province_io_export_{os.getpid()}.xlsx"
    with path.open("wb") as out:
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            out.write(chunk)
    response.close()
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    size = path.stat().st_size
    with zipfile.ZipFile(path) as book:  # the rows as written: every row element, less title, note and header
        rows = book.read("xl/worksheets/sheet1.xml").count(b"<row ") - 3
    path.unlink()
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "cpu_seconds": cpu,
        "rows": rows,
        "file_mb": size / 2**20,
        "organization": org.name,
    }


def _raw_export(sql: str, params: dict[str, Any], headers: list[str], sheet_title: str) -> dict[str, Any]:
    from lianxin.core.xlsx_writer import STYLE_BOLD, XlsxWriter

    started, cpu = time.perf_counter(), cpu_seconds()
    path = Path(tempfile.gettempdir()) / f"province_io_baseline_{os.getpid()}.xlsx"
    count = 0
    with transaction.atomic(), connection.connection.cursor(name="province_io") as cursor:  # server-side
        cursor.itersize = 2000
        cursor.execute(sql, params)
        with XlsxWriter(path, sheet_title=sheet_title, freeze_header=True) as sheet:
            sheet.append(headers, styles=dict.fromkeys(range(len(headers)), STYLE_BOLD))
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    sheet.append(row)
                count += len(batch)
    seconds = time.perf_counter() - started
    size = path.stat().st_size
    path.unlink()
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "cpu_seconds": cpu_seconds() - cpu,
        "rows": count,
        "file_mb": size / 2**20,
    }


def child_export_baseline(args: argparse.Namespace) -> dict[str, Any]:
    from lianxin.members.documents.roster import HEADERS

    org = district_of(args.district) if args.scope == "district" else Organization.objects.get(pk=args.org_id)
    connection.ensure_connection()
    params = {"path": org.path + "%", "categories": [str(c) for c in Member.CURRENT_CATEGORIES]}
    return _raw_export(EXPORT_SQL, params, list(HEADERS.values()), "党员名册")


def _year() -> tuple[Any, Any]:
    from lianxin.core.periods import Period

    today = timezone.localdate()
    return Period(today - timedelta(days=364), today), today


def child_ledger(args: argparse.Namespace) -> dict[str, Any]:
    district = district_of(args.district)
    admin = administrator_of(district)
    client = logged_in(admin)
    period, _today = _year()
    url = reverse("activities:coverage_xlsx")
    warm = client.get(url, {"org": smallest_under(district).code, **period.query()})
    assert warm.status_code == 200
    b"".join(warm.streaming_content)  # type: ignore[attr-defined]
    started, cpu = time.perf_counter(), cpu_seconds()
    response = client.get(url, {"org": district.code, **period.query()})
    assert response.status_code == 200, response.status_code
    size = len(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    response.close()
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": peak_mb(),
        "cpu_seconds": cpu_seconds() - cpu,
        "file_mb": size / 2**20,
    }


def child_ledger_baseline(args: argparse.Namespace) -> dict[str, Any]:
    district = district_of(args.district)
    period, _today = _year()
    low, high = period.bounds
    connection.ensure_connection()
    params = {"path": district.path + "%", "low": low, "high": high, "tz": settings.TIME_ZONE}
    return _raw_export(ATTENDANCE_SQL, params, ["开始时间", "组织", "类型", "活动", "党员"], "出席")


CHILDREN = {
    "import": child_import,
    "import-baseline": child_import_baseline,
    "export": child_export,
    "export-baseline": child_export_baseline,
    "ledger": child_ledger,
    "ledger-baseline": child_ledger_baseline,
}


# ------------------------------------------------------------------------------------- the driver


def run_child(name: str, args: argparse.Namespace, *, root: str = "", **extra: Any) -> dict[str, Any]:
    """Run one measured step in a fresh process (of the checkout `root`, when given)."""
    workbook = extra.pop("workbook", args.workbook)
    command = [sys.executable, __file__, "--child", name, "--district", args.district, "--workbook", str(workbook)]
    for key, value in extra.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    environment = {**os.environ, "LIANXIN_ROOT": root} if root else None
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{name} failed")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def workbook_for(district: Organization, rows: int, region: str = REGION) -> Path:
    from bench.roster_fixture import make_roster_workbook

    database = settings.DATABASES["default"]["NAME"]
    path = Path(tempfile.gettempdir()) / f"province_io_{district.code}_{rows}_{region}_{Path(database).name}.xlsx"
    if not path.exists():
        branches = list(
            Organization.objects.filter(path__startswith=district.path, numchild=0)
            .order_by("path")
            .values_list("code", flat=True)
        )
        print(f"writing {path} ({rows:,} rows over {len(branches):,} organizations)…", flush=True)
        make_roster_workbook(path, rows, branches, region=region)
    return path


def line(figure: str, mine: dict[str, Any], base: dict[str, Any] | None, target: str) -> dict[str, Any]:
    found = {"figure": figure, "measured": mine, "baseline": base, "target": target}
    print(json.dumps(found, ensure_ascii=False), flush=True)  # as it comes: a province's figures take a while
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--district", default="定海区委", help="a depth-3 organization under the first city")
    parser.add_argument("--workbook", default="")
    parser.add_argument("--only", default="import,again,export,city,ledger")
    parser.add_argument("--before", default="", help="a checkout of the previous code, measured beside this one")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--scope", default="district", help=argparse.SUPPRESS)
    parser.add_argument("--org-id", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="province_io_media_")
        print(json.dumps(CHILDREN[args.child](args), ensure_ascii=False))
        return
    database = settings.DATABASES["default"]["NAME"]
    only = set(args.only.split(","))
    if only & {"import", "again"} and Path(database).name in SHARED:
        raise SystemExit(f"the import writes: run it on a copy of {database}, not on {database} itself")
    district = district_of(args.district)
    city = Organization.objects.get(depth=2, path=district.path[: 2 * Organization.steplen])
    args.workbook = args.workbook or str(workbook_for(district, args.rows))
    sizes = {
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "district": district.name,
        "district_organizations": Organization.objects.filter(path__startswith=district.path).count(),
        "district_members_before": Member.objects.filter(organization__path__startswith=district.path).count(),
    }
    print(json.dumps(sizes, ensure_ascii=False), flush=True)
    results = []
    before = args.before
    exports: list[tuple[str, str, dict[str, Any], str]] = []
    if "export" in only:
        exports.append(("export", f"roster export of {district.name}", {}, "< 10 s, < 1 GiB"))
    if "city" in only:
        exports.append(("export", f"roster export of {city.name} (a city)", {"scope": "city", "org_id": city.pk}, ""))
    if "ledger" in only:
        exports.append(("ledger", f"attendance ledger of {district.name}, a year", {}, "< 10 s, < 1 GiB"))
    for child, figure, extra, target in exports:
        base = run_child(f"{child}-baseline", args, **extra)
        for root, suffix in [("", "")] + ([(before, ", previous code")] if before else []):
            mine = run_child(child, args, root=root, **extra)
            assert mine.setdefault("rows", base["rows"]) == base["rows"], (mine, base)
            results.append(line(figure + suffix, mine, base, "" if suffix else target))
    if "import" in only:
        results += imports_measured(args, district)
    if "again" in only:
        mine = run_child("import", args)
        assert mine["status"] == "done" and mine["unchanged"] == args.rows, mine
        results.append(line(f"the same {args.rows:,} rows again (all unchanged)", mine, None, "< 60 s, < 1 GiB"))
    from bench.common import report

    report("province-io", {**sizes, "rows": args.rows, "cpus": os.cpu_count()}, results)
    print()
    print(markdown(results))


def imports_measured(args: argparse.Namespace, district: Organization) -> list[dict[str, Any]]:
    """The import of new rows beside its baseline, and with --before the previous code's of other new rows."""
    base = run_child("import-baseline", args)
    mine = run_child("import", args)
    assert mine["status"] == "done" and mine["created"] == args.rows, mine
    results = [line(f"import of {args.rows:,} rows into {district.name}", mine, base, "< 60 s, < 1 GiB")]
    if args.before:
        other = workbook_for(district, args.rows, REGION_BEFORE)
        theirs = run_child("import", args, root=args.before, workbook=other)
        assert theirs["status"] == "done" and theirs["created"] == args.rows, theirs
        results.append(line(f"import of {args.rows:,} other new rows, previous code", theirs, base, ""))
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    """The results as the table of docs/performance.md: time (CPU time of the process), peak memory, baseline."""
    out = [
        "| figure | rows | time (CPU) | peak memory | baseline time (CPU) | baseline peak | time ÷ baseline | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        m, b = r["measured"], r["baseline"]
        mine = f"{m['seconds']:.1f} s ({m['cpu_seconds']:.1f} s)"
        theirs = ["—", "—", "—"]
        if b:
            theirs = [f"{b['seconds']:.1f} s ({b['cpu_seconds']:.1f} s)", f"{b['peak_mb']:.0f} MiB"]
            theirs.append(f"{m['seconds'] / b['seconds']:.1f}×")
        cells = [r["figure"], f"{m.get('rows', 0):,}", mine, f"{m['peak_mb']:.0f} MiB", *theirs, r["target"]]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    main()

"""The member list's pages at city scale and beyond: keyset pages beside the offset pages they replaced.

Usage (PostgreSQL, a copy of a city-scale demo database; the copy is written to):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench_copy .venv/bin/python bench/member_pages.py
    ... bench/member_pages.py --grow 10     # first copy the roster until it holds 10x the city's members
    ... bench/member_pages.py --filters     # the whole tree under the other filters
    ... bench/member_pages.py --old         # run from a checkout of the code before: the offset pages' HTML

For the whole tree (the city administrator), one district and one street-sized subtree, the
first, a middle and the last page and the page at an initial are read four ways: the page's
whole HTML through the test client, the selectors it calls (the keyset page and the bounded
count), the same statements through a bare cursor, and the offset page (core.selectors.page_of
over (name, id): a COUNT and an OFFSET walk) it replaced, timed apart and after. `--grow` copies
members (new ids, the same names and organizations), so each organization's roster grows too.
"""

import argparse
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import interleaved, raw, report, vacuum  # noqa: E402
from lianxin.accounts.models import User  # noqa: E402
from lianxin.core.selectors import page_of  # noqa: E402
from lianxin.members.models import Member  # noqa: E402
from lianxin.members.selectors.roster import MemberFilters, member_list_filtered  # noqa: E402
from lianxin.organizations.models import Organization  # noqa: E402

if "--old" not in sys.argv:  # the code before keyset pages has none of these
    from lianxin.core.keyset import Position
    from lianxin.core.params import cursor_text
    from lianxin.members.selectors.roster import LIST_KEY, member_list_count, member_list_page
    from lianxin.members.views.roster import COUNT_LIMIT

PAGE_SIZE = 50

CURRENT = list(Member.CURRENT_CATEGORIES)
COPIED = [
    f.column
    for f in Member._meta.concrete_fields
    if f.column not in ("id", "id_number_hash", "user_id", "created_at", "updated_at")
]


def grow(factor: int) -> None:
    """Copy the members present at the start until there are `factor` times as many (a bench's fixture)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM members_member")
        have = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM members_member WHERE id_number_hash LIKE 'copy%%'")
        originals = have - cursor.fetchone()[0]
        columns = ", ".join(COPIED)
        for k in range(have // originals, factor):
            cursor.execute(
                f"INSERT INTO members_member ({columns}, id_number_hash, created_at, updated_at) "
                f"SELECT {columns}, 'copy{k}-' || id, now(), now() FROM members_member "
                "WHERE id_number_hash NOT LIKE 'copy%%'"
            )
            print(f"copy {k}: {cursor.rowcount} members", flush=True)
    vacuum()


def keyset_sql(where: str, order: str) -> str:
    """The keyset page's statement as the selector sends it: keys on the index, LIMIT PAGE_SIZE + 1."""
    return (
        "SELECT m.id, m.pinyin, m.name FROM members_member m "
        f"JOIN organizations_organization o ON o.id = m.organization_id WHERE {where} "
        f"ORDER BY m.pinyin {order}, m.name {order}, m.id {order} LIMIT {PAGE_SIZE + 1}"
    )


def baseline(where: str, args: list[Any], order: str, after: tuple[str, list[Any]] | None) -> None:
    """Raw SQL of one new page: the keys (`after`: a comparison and its values), the rows shown, the bounded count."""
    keys_where, keys_args = (f"{where} AND {after[0]}", [*args, *after[1]]) if after else (where, args)
    found = raw(keyset_sql(keys_where, order), keys_args)()
    ids = [row[0] for row in found[:PAGE_SIZE]]
    raw(
        "SELECT m.*, o.*, e.* FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        "LEFT JOIN members_probationextension e ON e.member_id = m.id WHERE m.id = ANY(%s)",
        [ids],
    )()
    raw(
        f"SELECT COUNT(*) FROM (SELECT m.id FROM members_member m JOIN organizations_organization o "
        f"ON o.id = m.organization_id WHERE {where} LIMIT {COUNT_LIMIT + 1}) t",
        args,
    )()


def scopes() -> list[tuple[str, Organization | None]]:
    district = Organization.objects.filter(depth=2).order_by("path").first()
    assert district is not None, "a city-scale database"
    # A street-sized subtree: where the plan turns from the ordered index to each organization's range.
    street = Organization.objects.filter(depth=3, path__startswith=district.path).order_by("path").first()
    assert street is not None
    return [("whole tree", None), (f"district {district.name}", district), (f"subtree {street.name}", street)]


def measure(results: list[dict[str, Any]], runs: int, admin: User, client: Client, *, old: bool, old_runs: int) -> None:
    for label, org in scopes():
        if old:
            measure_old_pages(results, runs, client, label, org)
        else:
            measure_scope(results, runs, admin, client, label, org, old_runs)


def measure_old_pages(
    results: list[dict[str, Any]], runs: int, client: Client, label: str, org: Organization | None
) -> None:
    """The offset pages' HTML (`?page=N`), run from a checkout of the code before keyset pages."""
    qs = Member.objects.filter(category__in=CURRENT)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    total = qs.count()
    query = f"org={org.code}&" if org else ""
    pages = {"first": 1, "middle": total // PAGE_SIZE // 2 + 1, "last": -(-total // PAGE_SIZE)}
    fns: dict[str, Callable[[], Any]] = {
        name: partial(client.get, f"/members/?{query}page={n}") for name, n in pages.items()
    }
    for name, t in interleaved(fns, runs).items():
        results.append(
            {
                "figure": f"member list, {label} ({total:,} people), {name} page",
                "old page_p50_ms": t["p50_ms"],
                "old page_p95_ms": t["p95_ms"],
                "runs": runs,
            }
        )
        print(results[-1], flush=True)


def measure_scope(
    results: list[dict[str, Any]],
    runs: int,
    admin: User,
    client: Client,
    label: str,
    org: Organization | None,
    old_runs: int,
) -> None:
    today = timezone.localdate()
    placeholders = ", ".join(["%s"] * len(CURRENT))
    filters = MemberFilters(organization=org)
    where = f"m.category IN ({placeholders})" + (" AND o.path LIKE %s" if org else "")
    args: list[Any] = [*CURRENT, *([org.path + "%"] if org else [])]
    qs = member_list_filtered(user=admin, filters=filters, today=today).order_by(*LIST_KEY)
    total = qs.count()
    middle = list(qs.values_list(*LIST_KEY)[total // 2 : total // 2 + 1][0])
    query = f"org={org.code}&" if org else ""
    middle_page = total // PAGE_SIZE // 2 + 1
    old_pages: dict[str, int | str | None] = {"first": 1, "middle": middle_page, "last": "last", "letter w": None}
    after_middle = ("(m.pinyin, m.name, m.id) > (%s, %s, %s)", middle)
    cases: list[tuple[str, str, Position, str, tuple[str, list[Any]] | None]] = [
        ("first", "", Position(), "ASC", None),
        ("middle", f"after={cursor_text(middle)}", Position(after=tuple(middle)), "ASC", after_middle),
        ("last", "last=1", Position(last=True), "DESC", None),
        ("letter w", "letter=w", Position(start=("w",)), "ASC", ("m.pinyin >= %s", ["w"])),
    ]
    for name, params, position, order, after in cases:

        def page(url: str = f"/members/?{query}{params}") -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        def selectors(position: Position = position) -> None:
            member_list_page(user=admin, filters=filters, today=today, position=position, size=PAGE_SIZE)
            member_list_count(user=admin, filters=filters, today=today, limit=COUNT_LIMIT)

        def raw_sql(order: str = order, after: tuple[str, list[Any]] | None = after) -> None:
            baseline(where, args, order, after)

        fns: dict[str, Callable[[], Any]] = {"page": page, "selectors": selectors, "raw": raw_sql}
        t = interleaved(fns, runs)
        old = old_pages[name]
        if old is not None and old_runs:
            # Apart, and after: its COUNT and OFFSET walk read the whole list and evict what the others cache.
            old_qs = member_list_filtered(user=admin, filters=filters, today=today).order_by("name", "id")
            t |= interleaved({"old selector (page_of)": partial(page_of, old_qs, old, PAGE_SIZE)}, old_runs, 1)
        results.append(
            {
                "figure": f"member list, {label} ({total:,} people), {name} page",
                **{f"{k}_p50_ms": v["p50_ms"] for k, v in t.items()},
                **{f"{k}_p95_ms": v["p95_ms"] for k, v in t.items()},
                "runs": runs,
            }
        )
        print(results[-1], flush=True)


FILTERS = [
    ("a common surname", "q=王"),
    ("a name nobody has", "q=欧阳无名"),
    ("at sea", "flag=is_at_sea"),
    ("applicants", "category=applicant"),
    ("lost contact over 6 months", "warning=lost_contact"),
]


def measure_filters(results: list[dict[str, Any]], runs: int, client: Client) -> None:
    """The whole tree's first and last page under the other filters: what no index of the key serves."""
    for label, query in FILTERS:
        pages = {"first": f"/members/?{query}", "last": f"/members/?{query}&last=1"}
        fns: dict[str, Callable[[], Any]] = {name: partial(client.get, url) for name, url in pages.items()}
        for name, t in interleaved(fns, runs, 1).items():
            results.append(
                {
                    "figure": f"member list, whole tree, {label} ({query}), {name} page",
                    "page_p50_ms": t["p50_ms"],
                    "page_p95_ms": t["p95_ms"],
                    "runs": runs,
                }
            )
            print(results[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--grow", type=int, default=0, help="copy the roster to this many times its size first")
    parser.add_argument("--old", action="store_true", help="only the offset pages' HTML, from the code before")
    parser.add_argument("--old-runs", type=int, default=10, help="runs of the old page_of selector (0: none)")
    parser.add_argument("--filters", action="store_true", help="only the whole tree under other filters")
    args = parser.parse_args()
    if args.grow:
        grow(args.grow)
    setup_test_environment()
    admin = User.objects.filter(is_superuser=True).first()
    assert admin is not None, "the demo city has an admin"
    client = Client()
    client.force_login(admin)
    results: list[dict[str, Any]] = []
    if args.filters:
        measure_filters(results, args.runs, client)
    else:
        measure(results, args.runs, admin, client, old=args.old, old_runs=args.old_runs)
    members = Member.objects.count()
    name = f"member_pages{'-old' if args.old else ''}{'-filters' if args.filters else ''}-{members // 1000}k"
    report(name, {"members": members, "runs": args.runs}, results)


if __name__ == "__main__":
    main()

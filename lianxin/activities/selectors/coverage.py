"""Coverage of organizational life: for a subtree and a period, the activities held by kind and the
distinct members who attended (present), as counts and as a share of the subtree's current Party
members. Each figure is a queryset of its rows, so every number opens exactly what it counts.

Attendance carries copies of its activity's organization, kind and start, so the member counts
read one table through the att_org_time_kind index.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connections, router
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Sum, Value, When

from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.core.periods import Period
from lianxin.core.statements import statement_memory
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import (
    Subtree,
    per_organization_sql,
    per_organization_sums,
    reads_per_organization,
    subtree_organizations,
    subtree_where,
)


def _subtree(organization: Subtree) -> QuerySet[Organization, dict[str, Any]]:
    return subtree_organizations(organization).values("pk")


def held_activities(organization: Subtree, period: Period, kind: str = "") -> QuerySet[Activity]:
    start, end = period.bounds
    qs = Activity.objects.filter(
        organization__in=_subtree(organization),
        status=Activity.Status.HELD,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("organization").order_by("-starts_at", "-id")


def present_attendance(organization: Subtree, period: Period, kind: str = "") -> QuerySet[Attendance]:
    start, end = period.bounds
    qs = Attendance.objects.filter(
        organization__in=_subtree(organization),
        starts_at__gte=start,
        starts_at__lt=end,
        status=Attendance.Status.PRESENT,
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def present_count(organization: Subtree, period: Period) -> int:
    """How many present_attendance holds: below a root, added up organization by organization."""
    start, end = period.bounds
    rows = Attendance.objects.filter(status=Attendance.Status.PRESENT, starts_at__gte=start, starts_at__lt=end)
    found = per_organization_sums(rows, organization, {"n": Count("pk")})
    return present_attendance(organization, period).count() if found is None else int(found["n"] or 0)


def covered_members(organization: Subtree, period: Period, kind: str = "") -> QuerySet[Member]:
    """The distinct members present at least once, wherever they belong now."""
    ids = present_attendance(organization, period, kind).values("member_id")
    return Member.objects.filter(pk__in=ids).select_related("organization").order_by("organization__path", "name")


def party_members(organization: Subtree) -> QuerySet[Member]:
    return Member.objects.filter(
        organization__in=_subtree(organization), category__in=Member.PARTY_MEMBER_CATEGORIES
    ).select_related("organization")


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class KindLine:
    kind: str
    label: str
    activities: int
    members: int
    share: Decimal | None


@dataclass
class Coverage:
    organization: Subtree
    period: Period
    party_members: int
    activities: int
    members: int
    share: Decimal | None
    lines: list[KindLine] = field(default_factory=list)


def _members_by_kind(organization: Subtree, period: Period) -> tuple[int, dict[str, int]]:
    """Distinct members present, overall and by kind, from one pass: the rows are grouped by member
    (a hash, no sort of every row) into one flag per kind, then the members and flags are counted."""
    flags = {
        f"kind_{kind}": Max(Case(When(kind=kind, then=Value(1)), default=Value(0), output_field=IntegerField()))
        for kind in Kind.values
    }
    row = (
        present_attendance(organization, period)
        .order_by()
        .values("member_id")
        .annotate(**flags)
        .aggregate(members=Count("member_id"), **{f"n_{kind}": Sum(f"kind_{kind}") for kind in Kind.values})
    )
    return int(row["members"] or 0), {kind: int(row[f"n_{kind}"] or 0) for kind in Kind.values}


def _figures_per_organization(organization: Subtree, period: Period) -> tuple[dict[str, int], int, dict[str, int], int]:
    """The three figures of `coverage`, each organization's rows read from its own index range: the
    activities and Party members are sums over the organizations; the members present are grouped
    by member over the rows of them all, so one present in two organizations counts once."""
    start, end = period.bounds
    held = per_organization_sums(
        Activity.objects.filter(status=Activity.Status.HELD, starts_at__gte=start, starts_at__lt=end),
        organization,
        {kind: Count("pk", filter=Q(kind=kind)) for kind in Kind.values},
    )
    whole = per_organization_sums(
        Member.objects.filter(category__in=Member.PARTY_MEMBER_CATEGORIES), organization, {"n": Count("pk")}
    )
    assert held is not None and whole is not None  # coverage() asked reads_per_organization first
    database = connections[router.db_for_read(Attendance)]
    flags = ", ".join(f"MAX(CASE WHEN r.kind = %s THEN 1 ELSE 0 END) AS k{n}" for n in range(len(Kind.values)))
    where, where_params = subtree_where(organization, database.alias)
    per_member = per_organization_sql(
        f"r.member_id, {flags}",
        f"SELECT r.member_id, r.kind FROM {Attendance._meta.db_table} r WHERE r.organization_id = o.id"
        " AND r.status = %s AND r.starts_at >= %s AND r.starts_at < %s",
        where,
        "GROUP BY r.member_id",
    )
    sums = ", ".join(f"SUM(k{n})" for n in range(len(Kind.values)))
    bounds = [database.ops.adapt_datetimefield_value(bound) for bound in period.bounds]
    with database.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), {sums} FROM ({per_member}) m",
            [*Kind.values, Attendance.Status.PRESENT, *bounds, *where_params],
        )
        members, *per_kind = cursor.fetchone()
    return (
        {kind: int(n or 0) for kind, n in held.items()},
        int(members),
        {kind: int(n or 0) for kind, n in zip(Kind.values, per_kind, strict=True)},
        int(whole["n"] or 0),
    )


def coverage(*, organization: Subtree, period: Period) -> Coverage:
    """Three queries: held activities per kind, distinct members overall and per kind, Party members."""
    database = router.db_for_read(Attendance)
    with statement_memory(using=database):
        if reads_per_organization(organization, database):
            by_kind_activities, members, by_kind_members, whole = _figures_per_organization(organization, period)
        else:
            by_kind_activities = dict(
                held_activities(organization, period)
                .order_by()
                .values_list("kind")
                .annotate(n=Count("pk"))
                .values_list("kind", "n")
            )
            members, by_kind_members = _members_by_kind(organization, period)
            whole = party_members(organization).count()
    return coverage_of(organization, period, whole, members, by_kind_activities, by_kind_members)


def coverage_of(
    organization: Subtree,
    period: Period,
    party_members: int,
    members: int,
    activities_by_kind: dict[str, int],
    members_by_kind: dict[str, int],
) -> Coverage:
    """The figures as the page shows them, from their counts (computed now or read from a snapshot)."""
    lines = [
        KindLine(
            kind,
            str(label),
            activities_by_kind.get(kind, 0),
            members_by_kind.get(kind, 0),
            share(members_by_kind.get(kind, 0), party_members),
        )
        for kind, label in Kind.choices
    ]
    return Coverage(
        organization=organization,
        period=period,
        party_members=party_members,
        activities=sum(activities_by_kind.values()),
        members=members,
        share=share(members, party_members),
        lines=lines,
    )

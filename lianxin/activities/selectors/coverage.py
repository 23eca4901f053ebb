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
from django.db.models import Case, Count, IntegerField, Max, QuerySet, Sum, Value, When

from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.core.periods import Period
from lianxin.core.statements import statement_memory
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


def _subtree(organization: Organization) -> QuerySet[Organization, dict[str, Any]]:
    subtree: QuerySet[Organization] = Organization.objects.filter(path__startswith=organization.path)
    return subtree.values("pk")


def held_activities(organization: Organization, period: Period, kind: str = "") -> QuerySet[Activity]:
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


def present_attendance(organization: Organization, period: Period, kind: str = "") -> QuerySet[Attendance]:
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


def covered_members(organization: Organization, period: Period, kind: str = "") -> QuerySet[Member]:
    """The distinct members present at least once, wherever they belong now."""
    ids = present_attendance(organization, period, kind).values("member_id")
    return Member.objects.filter(pk__in=ids).select_related("organization").order_by("organization__path", "name")


def party_members(organization: Organization) -> QuerySet[Member]:
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
    organization: Organization
    period: Period
    party_members: int
    activities: int
    members: int
    share: Decimal | None
    lines: list[KindLine] = field(default_factory=list)


def _members_by_kind(organization: Organization, period: Period) -> tuple[int, dict[str, int]]:
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


# --------------------------------------------------------------- read per organization (PostgreSQL)


def _per_organization(organization: Organization) -> bool:
    """Whether the subtree's figures are read organization by organization, each from its own index
    range (a LATERAL join the planner may not flatten), rather than by one scan of the period's rows
    of every organization. Below a root, so a district's figures cost what the district holds however
    large the rest of the tree grows; a root holds all, and one scan reads all for less
    (docs/performance.md). SQLite's planner reads a subtree by its indexes as it is."""
    return organization.depth > 1 and connections[router.db_for_read(Attendance)].vendor == "postgresql"


def _lateral(select: str, inner: str, tail: str = "") -> str:
    """`inner` (rows of one organization `o`) for every organization of the subtree (path LIKE %s)."""
    tree = Organization._meta.db_table
    return f"SELECT {select} FROM {tree} o CROSS JOIN LATERAL ({inner} OFFSET 0) r WHERE o.path LIKE %s {tail}"


def _figures_per_organization(
    organization: Organization, period: Period
) -> tuple[dict[str, int], int, dict[str, int], int]:
    """The three figures of `coverage`, each organization's rows read by its own index."""
    database = connections[router.db_for_read(Attendance)]
    subtree = database.ops.prep_for_like_query(organization.path) + "%"
    bounds = [database.ops.adapt_datetimefield_value(bound) for bound in period.bounds]
    rows = "r.organization_id = o.id AND r.status = %s AND r.starts_at >= %s AND r.starts_at < %s"
    held = _lateral(
        "r.kind, COUNT(*)", f"SELECT r.kind FROM {Activity._meta.db_table} r WHERE {rows}", "GROUP BY r.kind"
    )
    flags = ", ".join(f"MAX(CASE WHEN r.kind = %s THEN 1 ELSE 0 END) AS k{n}" for n in range(len(Kind.values)))
    per_member = _lateral(
        f"r.member_id, {flags}",
        f"SELECT r.member_id, r.kind FROM {Attendance._meta.db_table} r WHERE {rows}",
        "GROUP BY r.member_id",
    )
    sums = ", ".join(f"SUM(k{n})" for n in range(len(Kind.values)))
    categories = list(Member.PARTY_MEMBER_CATEGORIES)
    marks = ", ".join(["%s"] * len(categories))
    whole_sql = _lateral(
        "COUNT(*)",
        f"SELECT 1 FROM {Member._meta.db_table} r WHERE r.organization_id = o.id AND r.category IN ({marks})",
    )
    with database.cursor() as cursor:
        cursor.execute(held, [Activity.Status.HELD, *bounds, subtree])
        by_kind_activities = {kind: n for kind, n in cursor.fetchall()}
        cursor.execute(
            f"SELECT COUNT(*), {sums} FROM ({per_member}) m",
            [*Kind.values, Attendance.Status.PRESENT, *bounds, subtree],
        )
        members, *per_kind = cursor.fetchone()
        cursor.execute(whole_sql, [*categories, subtree])
        (whole,) = cursor.fetchone()
    return (
        by_kind_activities,
        int(members),
        {k: int(n or 0) for k, n in zip(Kind.values, per_kind, strict=True)},
        int(whole),
    )


def coverage(*, organization: Organization, period: Period) -> Coverage:
    """Three queries: held activities per kind, distinct members overall and per kind, Party members."""
    with statement_memory(using=router.db_for_read(Attendance)):
        if _per_organization(organization):
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
    lines = [
        KindLine(
            kind,
            str(label),
            by_kind_activities.get(kind, 0),
            by_kind_members.get(kind, 0),
            share(by_kind_members.get(kind, 0), whole),
        )
        for kind, label in Kind.choices
    ]
    return Coverage(
        organization=organization,
        period=period,
        party_members=whole,
        activities=sum(by_kind_activities.values()),
        members=members,
        share=share(members, whole),
        lines=lines,
    )

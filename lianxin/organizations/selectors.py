"""Reads of the organization tree, always through the viewer's scope."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from django.db import connections, models
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.http import Http404

from lianxin.accounts.permissions import Scope, browse_scope, roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.tallies import tallied_at
from lianxin.organizations.models import TERM_END_WARNING_DAYS, Area, CommitteeSeat, Organization, ServiceCenter

# ------------------------------------------------------------------ the roster, seen from below
# Members belong to the members app, above this one: organizations reads them only through the
# reverse relation Member.organization (related_name "members"), by these category codes of
# members.Member.Category (tests/test_roster_codes.py holds them to it).
FULL = "full"
FORMER = "former"
PARTY_MEMBER_CATEGORIES = ("probationary", FULL)
# The name the members app registers its tallies under (lianxin/members/tallies.py).
MEMBER_TALLIES = "members"


def current_members(organization: Organization) -> QuerySet[models.Model]:
    """Everyone on the organization's roster now (former members are kept on record only)."""
    members: QuerySet[models.Model] = organization.members.exclude(category=FORMER)
    return members


def full_members(organization: Organization) -> QuerySet[models.Model]:
    members: QuerySet[models.Model] = organization.members.filter(category=FULL)
    return members


# ------------------------------------------------------------------ the tree


def organization_list_visible_to(*, user: Viewer, include_closed: bool = False) -> QuerySet[Organization]:
    qs: QuerySet[Organization] = Organization.objects.filter(browse_scope(user).q("path"))
    if not include_closed:
        qs = qs.filter(status=Organization.Status.ACTIVE)
    return qs.select_related("area")


def access_organization(user: Viewer, pk: int) -> Organization:
    org = organization_list_visible_to(user=user, include_closed=True).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def organization_by_code(
    *, user: Viewer | None, code: str | None, active_only: bool = False, scope: Scope | None = None
) -> Organization | None:
    """The organization with this code, or None when there is none the reader may see.

    `user` reads through their browse scope (or `scope`, when the caller scopes otherwise, e.g.
    by roster scope). `user=None` is the system: commands, tasks and the public pages' filters,
    where organizations are public facts, see every organization."""
    code = (code or "").strip()
    if not code:
        return None
    qs: QuerySet[Organization] = Organization.objects.filter(code=code)
    if scope is None and user is not None:
        scope = browse_scope(user)
    if scope is not None:
        qs = qs.filter(scope.q("path"))
    if active_only:
        qs = qs.filter(status=Organization.Status.ACTIVE)
    return qs.first()


def area_by_code(code: str | None) -> Area | None:
    """The area (a public place name) with this code, or None."""
    code = (code or "").strip()
    area: Area | None = Area.objects.filter(code=code).first() if code else None
    return area


def area_parent(area: Area) -> Area | None:
    parent: Area | None = Area.objects.get_parent(area)
    return parent


def organization_search(*, user: Viewer, query: str, limit: int = 50) -> QuerySet[Organization]:
    query = query.strip()
    qs = organization_list_visible_to(user=user, include_closed=True)
    if not query:
        return qs.none()
    found = Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__iexact=query)
    if query.isascii() and query.isalnum():
        found |= Q(pinyin__contains=query.lower())  # pinyin initials: 怡岛社区 answers "ydsq"
    return qs.filter(found).order_by("path")[:limit]


def scope_roots(*, user: Viewer) -> list[Organization]:
    """The top nodes a user's tree starts from: the roots, or each scoped subtree."""
    scope = browse_scope(user)
    if scope.everything:
        return list(Organization.objects.get_root_nodes().select_related("area"))
    return list(Organization.objects.filter(path__in=scope.paths).select_related("area").order_by("path"))


@dataclass(frozen=True)
class MemberCount:
    direct: int
    subtree: int


def member_counts(*, nodes: list[Organization]) -> dict[int, MemberCount]:
    """Party members (probationary and full) per node: directly in it and in its subtree, as of the
    last refresh of the member tallies (`members_tallied_at`).

    The members app keeps, per organization and category, its own count and its whole subtree's
    (members/models/tallies.py); they are read here through the reverse relation `member_tallies`,
    so each node costs its two Party-member rows, however large its subtree.
    """
    if not nodes:
        return {}
    rows = (
        Organization.objects.filter(pk__in=[n.pk for n in nodes], member_tallies__category__in=PARTY_MEMBER_CATEGORIES)
        .values_list("pk")
        .annotate(direct=Sum("member_tallies__own"), subtree=Sum("member_tallies__subtree"))
        .order_by()
    )
    found = {pk: MemberCount(direct=direct, subtree=subtree) for pk, direct, subtree in rows}
    return {n.pk: found.get(n.pk, MemberCount(direct=0, subtree=0)) for n in nodes}


def members_tallied_at() -> datetime | None:
    """When the member counts of the tree were last refreshed (shown beside them)."""
    return tallied_at(MEMBER_TALLIES)


def organization_children(*, user: Viewer, parent: Organization | None) -> list[Organization]:
    if parent is None:
        return scope_roots(user=user)
    return list(
        Organization.objects.get_children(parent).filter(status=Organization.Status.ACTIVE).select_related("area")
    )


def organization_ancestors_in_scope(*, scope: Scope, organization: Organization) -> list[Organization]:
    """Breadcrumbs: the ancestors the viewer may open, top first."""
    return [a for a in Organization.objects.get_ancestors(organization) if scope.contains(a.path)]


def organizations_due_for_election(*, user: Viewer, today: date) -> QuerySet[Organization]:
    """The same window as Organization.term_end_due, as one query."""
    return (
        organization_list_visible_to(user=user)
        .filter(term_ends_on__isnull=False, term_ends_on__lte=today + timedelta(days=TERM_END_WARNING_DAYS))
        .order_by("term_ends_on")
    )


def area_list() -> QuerySet[Area]:
    areas: QuerySet[Area] = Area.objects.order_by("path")
    return areas


def service_center_list_visible_to(*, user: Viewer) -> QuerySet[ServiceCenter]:
    return ServiceCenter.objects.filter(browse_scope(user).q("organization__path")).select_related(
        "area", "organization"
    )


# ------------------------------------------------------------------ branch committee


def current_seats(organization: Organization) -> QuerySet[CommitteeSeat]:
    """The seats of `organization`'s branch committee held now."""
    return CommitteeSeat.objects.filter(organization=organization, until__isnull=True)


def committee_as_it_sits(organization: Organization) -> list[CommitteeSeat]:
    """The committee as it sits now: secretary first, then the other roles in their listed order."""
    order = {role: i for i, role in enumerate(CommitteeSeat.Role.values)}
    seats = current_seats(organization).select_related("member")
    return sorted(seats, key=lambda s: (order.get(s.role, len(order)), s.since, s.pk))


def committee_seat_of(organization: Organization, pk: int) -> CommitteeSeat | None:
    """A seat of this organization's committee (current or past); None for another's."""
    seats = CommitteeSeat.objects.select_related("organization", "member")
    return seats.filter(pk=pk, organization=organization).first()


def seat_candidates(organization: Organization) -> QuerySet[models.Model]:
    """Full members of the branch without a current seat."""
    return (
        full_members(organization)
        .exclude(pk__in=current_seats(organization).values("member_id"))
        .order_by("name", "pk")
    )


def access_subtree(user: Viewer, code: str | None) -> Organization:
    """The organization whose subtree a figures page covers; 404 outside the viewer's roster scope.

    Without a code: the viewer's own top organization (the city root for a city admin).
    """
    scope = roster_scope(user)
    if not user.is_authenticated or scope.is_empty:
        raise Http404
    org: Organization | None
    if (code or "").strip():
        org = organization_by_code(user=user, code=code, scope=scope)
    elif scope.everything:
        org = Organization.objects.filter(depth=1).order_by("path").first()
    else:
        org = Organization.objects.filter(path=scope.paths[0]).first()
    if org is None:
        raise Http404
    return org


@dataclass(frozen=True)
class AreaSubtree:
    """An area (行政区域) and every area under it, counted where an organization's subtree is: its
    figures are those of the Party organizations seated there (their `area` in the area's subtree)
    that the viewer may see (ADR 20). It reads as an organization does where figures need one: pk,
    path, code, name; `organization_path` names a row's way to the area it lies under."""

    area: Area
    scope: Scope
    organization_path: ClassVar[str] = "area__path"

    @property
    def pk(self) -> int:
        return int(self.area.pk)

    @property
    def path(self) -> str:
        return str(self.area.path)

    @property
    def code(self) -> str:
        return str(self.area.code)

    @property
    def name(self) -> str:
        return str(self.area.name)

    short_name = name

    def __str__(self) -> str:
        return str(self.area.name)

    def organizations(self) -> QuerySet[Organization]:
        areas = Area.objects.filter(path__startswith=self.area.path).values("pk")
        found: QuerySet[Organization] = Organization.objects.filter(self.scope.q("path"), area__in=areas)
        return found

    def children(self, *, limit: int) -> list["AreaSubtree"]:
        below = Area.objects.filter(path__startswith=self.area.path, depth=self.area.depth + 1).order_by("path")
        return [AreaSubtree(area, self.scope) for area in below[:limit]]


# What a figure counts: an organization and everything under it, or an area's organizations.
Subtree = Organization | AreaSubtree


def subtree_organizations(subtree: Subtree) -> QuerySet[Organization]:
    """The organizations whose rows a subtree's figures count."""
    if isinstance(subtree, AreaSubtree):
        return subtree.organizations()
    found: QuerySet[Organization] = Organization.objects.filter(path__startswith=subtree.path)
    return found


def access_area_subtree(user: Viewer, code: str | None) -> AreaSubtree:
    """The area whose organizations a figures page counts, within the viewer's roster scope: 404
    without a scope or an area of that code (areas are public names; the organizations are scoped)."""
    scope = roster_scope(user)
    area = area_by_code(code)
    if not user.is_authenticated or scope.is_empty or area is None:
        raise Http404
    return AreaSubtree(area, scope)


def in_subtree(field_path: str, subtree: Subtree) -> Q:
    """Rows whose organization at `field_path` is in the subtree, as a list of the subtree's ids: each
    table reads only its rows of those organizations (by an index led by the organization, ADR 15)."""
    return Q(**{f"{field_path}__in": subtree_organizations(subtree).values("pk")})


def subtree_children(organization: Organization, *, limit: int) -> QuerySet[Organization]:
    """One level down from `organization`, in tree order."""
    children: QuerySet[Organization] = Organization.objects.filter(
        path__startswith=organization.path, depth=organization.depth + 1
    ).order_by("path")[:limit]
    return children


def service_centers_of(organization: Organization) -> QuerySet[ServiceCenter]:
    return ServiceCenter.objects.filter(organization=organization).select_related("area")


def subtrees_with_branches(at_least: int) -> list[int]:
    """The organizations whose subtree holds at least `at_least` active branch-level organizations
    (itself included), by path. Read as the system: level by level from the roots, each level one
    grouping of the branches by their ancestor there, until a level where no subtree is that large."""
    branches = Organization.objects.filter(kind__in=Organization.BRANCH_KINDS, status=Organization.Status.ACTIVE)
    found: list[str] = []
    depth = 1
    while True:
        large = list(
            branches.filter(depth__gte=depth)
            .annotate(prefix=Substr("path", 1, Organization.steplen * depth))
            .order_by()
            .values("prefix")
            .annotate(n=Count("pk"))
            .filter(n__gte=max(at_least, 1))
            .values_list("prefix", flat=True)
        )
        if not large:
            break
        found += large
        depth += 1
    return list(Organization.objects.filter(path__in=found).order_by("path").values_list("pk", flat=True))


# ------------------------------------------------------------------ a subtree's rows, organization by organization
# PostgreSQL may read a district's rows of a large table by one scan of every organization's rows
# (it estimates the district's share of the tree badly), and then a district's figure grows with
# the province. Read organization by organization instead: each organization's rows come from its
# own range of an index led by the organization, through a LATERAL join that OFFSET 0 keeps the
# planner from flattening. A root holds every row and is read by the one scan (ADR 15).


def reads_per_organization(organization: Subtree, using: str) -> bool:
    """Whether `organization`'s subtree is read organization by organization on the database `using`:
    below a root or an area's, on PostgreSQL (SQLite's planner reads a subtree by its indexes as it is)."""
    below_root = isinstance(organization, AreaSubtree) or organization.depth > 1
    return below_root and connections[using].vendor == "postgresql"


def per_organization_sql(select: str, rows: str, where: str, tail: str = "") -> str:
    """SQL of `select` over `rows` (a SELECT of one organization's rows, naming it `o.id`) for every
    organization of a subtree, those `where` names (`subtree_where`; its parameters come last)."""
    tree = Organization._meta.db_table
    return f"SELECT {select} FROM {tree} o CROSS JOIN LATERAL ({rows} OFFSET 0) r WHERE {where} {tail}"


def subtree_where(subtree: Subtree, using: str) -> tuple[str, list[Any]]:
    """The condition on `o` (an organization) that keeps the subtree's organizations, with its parameters:
    an organization's path pattern, or the ids of an area's organizations as a subquery."""
    if isinstance(subtree, AreaSubtree):
        sql, params = subtree.organizations().values("pk").query.get_compiler(using=using).as_sql()
        return f"o.id IN ({sql})", list(params)
    return "o.path LIKE %s", [connections[using].ops.prep_for_like_query(subtree.path) + "%"]


def per_organization_sums(
    qs: QuerySet[Any], organization: Subtree, aggregates: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The sums over `organization`'s subtree of `aggregates` (additive: counts and sums) of `qs`'s rows
    (filtered on all but the organization), read organization by organization; None where the subtree
    is read otherwise (reads_per_organization), for the caller to aggregate as usual."""
    if not reads_per_organization(organization, qs.db):
        return None
    one = qs.filter(organization_id=RawSQL("o.id", ())).order_by().values("organization_id").annotate(**aggregates)
    rows, params = one.query.get_compiler(using=qs.db).as_sql()
    sums = ", ".join(f'SUM(r."{name}")' for name in aggregates)
    where, where_params = subtree_where(organization, qs.db)
    with connections[qs.db].cursor() as cursor:
        cursor.execute(per_organization_sql(sums, rows, where), [*params, *where_params])
        found = cursor.fetchone()
    return dict(zip(aggregates, found, strict=True))

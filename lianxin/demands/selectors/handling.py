"""Reads of demands, always through the viewer's scope (out of scope = not found)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.params import id_or_none
from lianxin.demands.models import Demand, DemandCategory, FollowUp
from lianxin.demands.permissions import handler_scope, visible_q
from lianxin.notifications.selectors import staff_of
from lianxin.organizations.models import Area, Organization

Status = Demand.Status

_RELATED = ("category", "area", "organization", "responsible_unit", "escalated_to", "submitted_by")


def demand_list_visible_to(*, user: Viewer) -> QuerySet[Demand]:
    """Every demand the user may see: collected in their roster scope, or handled by a unit in it."""
    return Demand.objects.filter(visible_q(user)).select_related(*_RELATED)


def access_demand(user: Viewer, pk: int) -> Demand:
    demand = Demand.objects.filter(Q(pk=pk) & visible_q(user)).select_related(*_RELATED).first()
    if demand is None:
        raise Http404
    return demand


def demand_of_resident(pk: object) -> Demand | None:
    """The demand a resident submitted or looked up in this session (its id is kept there), or None."""
    key = id_or_none(pk)
    if key is None:
        return None
    found: Demand | None = Demand.objects.select_related("category", "area", "organization").filter(pk=key).first()
    return found


def demand_to_handle(*, user: Viewer) -> QuerySet[Demand]:
    """Demands being handled by a unit in the user's reach, by deadline: overdue ones come first."""
    unit_q = roster_scope(user).q("responsible_unit__path") | handler_scope(user).q("responsible_unit__path")
    return (
        Demand.objects.filter(unit_q, status=Status.ASSIGNED)
        .select_related("category", "area", "responsible_unit", "escalated_to")
        .order_by("deadline", "id")
    )


def unit_handlers(unit: Organization) -> list[int]:
    """Whom a demand with `unit` waits on: the handlers nearest the unit (its own, else those of the
    nearest organization above, whose scope holds it). A unit with no handler above it is handled
    by its admins, as `permissions.is_unit_handler` allows, rather than by the city's."""
    steplen = Organization.steplen
    upwards = [unit.path[:end] for end in range(len(unit.path), 0, -steplen)]
    Role = RoleAssignment.Role
    if RoleAssignment.objects.filter(role=Role.HANDLER, organization__path__in=upwards, user__is_active=True).exists():
        return staff_of(unit, (Role.HANDLER,))
    return staff_of(unit, (Role.ORG_ADMIN,))


def demand_to_accept(*, user: Viewer) -> QuerySet[Demand]:
    """Demands collected in the admin's scope that wait to be accepted or assigned, oldest first."""
    return (
        Demand.objects.filter(roster_scope(user).q("organization__path"))
        .filter(status__in=(Status.SUBMITTED, Status.ACCEPTED))
        .select_related("category", "area", "organization")
        .order_by("created_at", "id")
    )


def demand_to_follow_up(*, user: Viewer) -> QuerySet[Demand]:
    """Resolved demands whose collector still has to ask the resident, oldest resolution first."""
    return (
        Demand.objects.filter(roster_scope(user).q("organization__path"), status=Status.RESOLVED)
        .select_related("category", "area", "responsible_unit")
        .order_by("resolved_at", "id")
    )


def demand_is_overdue(demand: Demand, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return demand.status == Status.ASSIGNED and demand.deadline is not None and demand.deadline < today


def demand_follow_ups(demand: Demand) -> QuerySet[FollowUp]:
    return demand.follow_ups.select_related("recorded_by").order_by("round")


def active_categories() -> QuerySet[DemandCategory]:
    return DemandCategory.objects.filter(is_active=True).order_by("position", "id")


def category_by_code(code: str, *, active_only: bool = False) -> DemandCategory | None:
    """The demand category with this code (a public fact), or None."""
    code = (code or "").strip()
    if not code:
        return None
    qs = DemandCategory.objects.filter(code=code)
    if active_only:
        qs = qs.filter(is_active=True)
    found: DemandCategory | None = qs.first()
    return found


def category_of(pk: object) -> DemandCategory | None:
    """The demand category with this id, or None."""
    key = id_or_none(pk)
    found: DemandCategory | None = DemandCategory.objects.filter(pk=key).first() if key is not None else None
    return found


def area_of(pk: object) -> Area | None:
    """The area with this id (areas are public place names), or None."""
    key = id_or_none(pk)
    found: Area | None = Area.objects.filter(pk=key).first() if key is not None else None
    return found


def collecting_organizations(*, user: Viewer) -> QuerySet[Organization]:
    """The active organizations a user records demands for: their roster and handler subtrees."""
    q = roster_scope(user).q("path") | handler_scope(user).q("path")
    found: QuerySet[Organization] = Organization.objects.filter(q, status=Organization.Status.ACTIVE)
    return found.order_by("path")


def active_units() -> QuerySet[Organization]:
    """Every active organization, in tree order: any of them may be given a demand to handle."""
    found: QuerySet[Organization] = Organization.objects.filter(status=Organization.Status.ACTIVE)
    return found.order_by("path")


# ----------------------------------------------------------- what waits, counted for the workbench


@dataclass(frozen=True)
class HandleCounts:
    total: int
    overdue: int


def demand_to_handle_counts(*, user: Viewer, today: date | None = None) -> HandleCounts:
    """How many demands `demand_to_handle` lists and how many of them are overdue (demand_is_overdue), in one query."""
    today = today or timezone.localdate()
    row = demand_to_handle(user=user).aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
    return HandleCounts(total=row["total"], overdue=row["overdue"])

"""Reads of demands, always through the viewer's scope (out of scope = not found)."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.permissions import roster_scope
from lianxin.demands.models import Demand, DemandCategory, FollowUp
from lianxin.demands.permissions import handler_scope, visible_q

Status = Demand.Status

_RELATED = ("category", "area", "organization", "responsible_unit", "escalated_to", "submitted_by")


def demand_list_visible_to(*, user: Any) -> QuerySet[Demand]:
    """Every demand the user may see: collected in their roster scope, or handled by a unit in it."""
    return Demand.objects.filter(visible_q(user)).select_related(*_RELATED)


def access_demand(user: Any, pk: int) -> Demand:
    demand = Demand.objects.filter(Q(pk=pk) & visible_q(user)).select_related(*_RELATED).first()
    if demand is None:
        raise Http404
    return demand


def demand_to_handle(*, user: Any) -> QuerySet[Demand]:
    """Demands being handled by a unit in the user's reach, by deadline: overdue ones come first."""
    unit_q = roster_scope(user).q("responsible_unit__path") | handler_scope(user).q("responsible_unit__path")
    return (
        Demand.objects.filter(unit_q, status=Status.ASSIGNED)
        .select_related("category", "area", "responsible_unit", "escalated_to")
        .order_by("deadline", "id")
    )


def demand_to_accept(*, user: Any) -> QuerySet[Demand]:
    """Demands collected in the admin's scope that wait to be accepted or assigned, oldest first."""
    return (
        Demand.objects.filter(roster_scope(user).q("organization__path"))
        .filter(status__in=(Status.SUBMITTED, Status.ACCEPTED))
        .select_related("category", "area", "organization")
        .order_by("created_at", "id")
    )


def demand_to_follow_up(*, user: Any) -> QuerySet[Demand]:
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

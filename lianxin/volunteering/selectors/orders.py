"""Reads of orders: the dispatch inbox of owner admins, a team leader's inbox, a person's own orders."""

from django.db.models import Q, QuerySet
from django.http import Http404

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.organizations.models import Organization
from lianxin.volunteering import permissions
from lianxin.volunteering.models import Order, OrderPhoto

Status = Order.Status

# `?status=` values of the dispatch inbox and the statuses behind them.
INBOX_FILTERS: dict[str, tuple[str, ...]] = {
    "": (Status.ORDERED,),
    "open": Order.OPEN_STATUSES,
    "done": Order.DONE_STATUSES,
    "cancelled": (Status.CANCELLED,),
    "all": tuple(Status.values),
}


def _with_relations(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs.select_related("item", "item__category", "team", "owner", "area", "ordered_by", "ordering_organization")


def _visibility(user: Viewer) -> Q:
    if not permissions.authenticated(user):
        return Q(pk__in=[])
    scope = roster_scope(user)
    return (
        Q(ordered_by_id=user.pk)
        | scope.q("owner__path")
        | scope.q("ordering_organization__path")
        | scope.q("team__organization__path")
        | Q(team__leader_id=user.pk)
    )


def access_order(user: Viewer, pk: int) -> Order:
    """The orderer, the admins of the owning or ordering organization, and the team's leader."""
    order = _with_relations(Order.objects.filter(Q(pk=pk) & _visibility(user))).first()
    if order is None:
        raise Http404
    return order


def order_inbox_for_owner(*, user: Viewer, status: str = "") -> QuerySet[Order]:
    """Orders the viewer's organizations dispatch; by default those waiting for dispatch."""
    statuses = INBOX_FILTERS.get(status, INBOX_FILTERS[""])
    qs = Order.objects.filter(roster_scope(user).q("owner__path"), status__in=statuses)
    return _with_relations(qs).order_by("starts_on", "created_at", "id")


def order_inbox_for_leader(*, user: Viewer) -> QuerySet[Order]:
    """Orders dispatched to or accepted by the teams the viewer leads."""
    if not permissions.authenticated(user):
        return Order.objects.none()
    qs = Order.objects.filter(team__leader_id=user.pk, status__in=(Status.DISPATCHED, Status.ACCEPTED))
    return _with_relations(qs).order_by("starts_on", "id")


def orders_served_by_leader(*, user: Viewer, limit: int = 20) -> QuerySet[Order]:
    if not permissions.authenticated(user):
        return Order.objects.none()
    qs = Order.objects.filter(team__leader_id=user.pk, status__in=Order.DONE_STATUSES)
    return _with_relations(qs).order_by("-served_at", "-id")[:limit]


def _administered(user: User) -> QuerySet[RoleAssignment, int]:
    """The ids of the organizations `user` administers themselves (not the whole subtree)."""
    roles = RoleAssignment.objects.filter(user_id=user.pk, role=RoleAssignment.Role.ORG_ADMIN)
    return roles.values_list("organization_id", flat=True)


def organizations_ordering_for(*, user: Viewer) -> QuerySet[Organization]:
    """The organizations an admin orders for: the ones they administer, not the whole subtree."""
    organizations: QuerySet[Organization] = Organization.objects.none()
    if permissions.authenticated(user):
        organizations = Organization.objects.filter(pk__in=_administered(user), status=Organization.Status.ACTIVE)
    return organizations.order_by("path")


def orders_placed_by(*, user: Viewer) -> QuerySet[Order]:
    """The orders a person placed, and those placed for the very organizations they administer."""
    if permissions.authenticated(user):
        placed = Q(ordered_by_id=user.pk) | Q(ordering_organization_id__in=_administered(user))
        return _with_relations(Order.objects.filter(placed)).order_by("-created_at", "-id")
    return Order.objects.none()


def orders_of_team(team_id: int, *, limit: int = 20) -> QuerySet[Order]:
    return _with_relations(Order.objects.filter(team_id=team_id)).order_by("-created_at", "-id")[:limit]


def access_order_photo(order: Order, pk: int) -> OrderPhoto:
    """A photo of an order the viewer has already found (access_order); else 404."""
    photo = OrderPhoto.objects.filter(pk=pk, order=order).first()
    if photo is None:
        raise Http404
    return photo


def orders_to_dispatch(*, user: Viewer) -> QuerySet[Order]:
    """What the dispatch inbox opens on (its first tab): the orders waiting for the viewer's organizations."""
    return order_inbox_for_owner(user=user)

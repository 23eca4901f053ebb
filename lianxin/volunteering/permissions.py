"""Who may do what with teams, the catalogue and orders: predicates for buttons and services.

Managing a team is for the admins whose roster scope holds the team's owner organization;
leading it is for `Team.leader`. Orders are dispatched by the admins of `Order.owner` and
accepted, served or declined by the leader of the team they were dispatched to.
"""

from typing import TypeGuard

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import roles_of, roster_scope
from lianxin.accounts.types import Viewer
from lianxin.volunteering.models import Order, Team

Role = RoleAssignment.Role
Status = Order.Status


def authenticated(user: Viewer) -> TypeGuard[User]:
    """A signed-in, active account (as a type: a User, not an anonymous viewer)."""
    return isinstance(user, User) and user.is_authenticated and user.is_active


# Teams


def is_team_leader(user: Viewer, team: Team | None) -> bool:
    return team is not None and authenticated(user) and team.leader_id == user.pk


def is_team_member(user: Viewer, team: Team) -> bool:
    """A volunteer with an active membership (the leader counts too)."""
    if authenticated(user):
        return is_team_leader(user, team) or team.memberships.filter(user_id=user.pk, left_on__isnull=True).exists()
    return False


def can_create_team(user: Viewer) -> bool:
    return authenticated(user) and not roster_scope(user).is_empty


def can_manage_team(user: Viewer, team: Team) -> bool:
    """Edit the team, its members and its items: admins over the team's owner organization."""
    return authenticated(user) and roster_scope(user).contains(team.organization.path)


def can_lead_or_manage(user: Viewer, team: Team) -> bool:
    """Schedule the team's work (sessions, tours): its leader or its managers."""
    return is_team_leader(user, team) or can_manage_team(user, team)


# Orders


def can_place_order(user: Viewer) -> bool:
    """Residents and members order for themselves; organization admins for their organization."""
    if not authenticated(user):
        return False
    return bool(roles_of(user) & {Role.RESIDENT, Role.MEMBER}) or not roster_scope(user).is_empty


def is_orderer(user: Viewer, order: Order) -> bool:
    if not authenticated(user):
        return False
    if order.ordered_by_id == user.pk:
        return True
    placed_for = order.ordering_organization
    return placed_for is not None and roster_scope(user).contains(placed_for.path)


def is_owner_admin(user: Viewer, order: Order) -> bool:
    return authenticated(user) and roster_scope(user).contains(order.owner.path)


def can_see_order(user: Viewer, order: Order) -> bool:
    return is_orderer(user, order) or is_owner_admin(user, order) or is_team_leader(user, order.team)


def can_dispatch(user: Viewer, order: Order) -> bool:
    return order.status == Status.ORDERED and is_owner_admin(user, order)


def can_accept(user: Viewer, order: Order) -> bool:
    """Accept or decline: the leader of the team the order was dispatched to."""
    return order.status == Status.DISPATCHED and is_team_leader(user, order.team)


can_decline = can_accept


def can_serve(user: Viewer, order: Order) -> bool:
    return order.status == Status.ACCEPTED and is_team_leader(user, order.team)


def can_rate(user: Viewer, order: Order) -> bool:
    return order.status == Status.SERVED and is_orderer(user, order)


def can_cancel(user: Viewer, order: Order) -> bool:
    return order.status in Order.OPEN_STATUSES and (is_orderer(user, order) or is_owner_admin(user, order))

"""Who may do what with a demand: predicates for buttons; the services check the same rules.

A demand belongs to two organizations: the one that collected it (and owns its acceptance,
assignment and the follow-up with the resident) and the responsible unit that handles it.
Admins of either, and handlers whose scope holds the responsible unit, see it.
"""

from django.db.models import Q

from lianxin.accounts.permissions import Role, Scope, roster_scope, scope_for
from lianxin.accounts.types import Viewer
from lianxin.demands.models import Demand

Status = Demand.Status


def _authenticated(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


def handler_scope(user: Viewer) -> Scope:
    return scope_for(user, (Role.HANDLER,))


def visible_q(user: Viewer) -> Q:
    """The demands `user` may see, as one filter."""
    admins = roster_scope(user)
    return (
        admins.q("organization__path")
        | admins.q("responsible_unit__path")
        | handler_scope(user).q("responsible_unit__path")
    )


def is_collector(user: Viewer, demand: Demand) -> bool:
    """An admin of the collecting organization (or above it)."""
    return _authenticated(user) and roster_scope(user).contains(demand.organization.path)


def is_unit_handler(user: Viewer, demand: Demand) -> bool:
    """An admin or a handler of the responsible unit (or above it)."""
    unit = demand.responsible_unit
    if unit is None or not _authenticated(user):
        return False
    return roster_scope(user).contains(unit.path) or handler_scope(user).contains(unit.path)


def can_collect_for(user: Viewer, organization_path: str) -> bool:
    """Staff record demands for an organization they administer or handle for."""
    if not _authenticated(user):
        return False
    return roster_scope(user).contains(organization_path) or handler_scope(user).contains(organization_path)


def can_collect_at_all(user: Viewer) -> bool:
    return _authenticated(user) and not (roster_scope(user).is_empty and handler_scope(user).is_empty)


def can_see(user: Viewer, demand: Demand) -> bool:
    return is_collector(user, demand) or is_unit_handler(user, demand)


def can_accept(user: Viewer, demand: Demand) -> bool:
    return demand.status == Status.SUBMITTED and is_collector(user, demand)


def can_reject_not_ours(user: Viewer, demand: Demand) -> bool:
    return demand.status in (Status.SUBMITTED, Status.ACCEPTED) and is_collector(user, demand)


def can_reject_duplicate(user: Viewer, demand: Demand) -> bool:
    return demand.status in Demand.OPEN_STATUSES and is_collector(user, demand)


def can_assign(user: Viewer, demand: Demand) -> bool:
    return demand.status == Status.ACCEPTED and is_collector(user, demand)


def can_reassign(user: Viewer, demand: Demand) -> bool:
    return demand.status == Status.ASSIGNED and is_collector(user, demand)


def can_step(user: Viewer, demand: Demand) -> bool:
    return demand.status == Status.ASSIGNED and is_unit_handler(user, demand)


def can_resolve(user: Viewer, demand: Demand) -> bool:
    return demand.status == Status.ASSIGNED and is_unit_handler(user, demand)


def can_close_unresolvable(user: Viewer, demand: Demand) -> bool:
    """The unit that tried, or the collector who owns the demand, closes it with an explanation."""
    return demand.status == Status.ASSIGNED and (is_unit_handler(user, demand) or is_collector(user, demand))


def can_follow_up(user: Viewer, demand: Demand) -> bool:
    """The collector records the resident's answer on their behalf (residents answer on the lookup page)."""
    return demand.status == Status.RESOLVED and is_collector(user, demand)

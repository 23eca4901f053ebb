from typing import Any

from django.http import HttpRequest

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.permissions import browse_scope, can_manage_roster, roles_of


def roles(request: HttpRequest) -> dict[str, Any]:
    """What the navigation offers: only the pages the user can open."""
    user = request.user
    return {
        "can_manage_roster": can_manage_roster(user),
        "can_browse_organizations": not browse_scope(user).is_empty,
        "own_member": getattr(user, "member", None) if user.is_authenticated else None,
        "is_team_leader": RoleAssignment.Role.TEAM_LEADER in roles_of(user),
        "is_handler": RoleAssignment.Role.HANDLER in roles_of(user),
    }

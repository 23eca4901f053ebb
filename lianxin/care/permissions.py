"""Who may do what in care: organization admins, in their subtree. A member sees nothing of care.

Hardship records are read by the member's own organization and every organization above it (the
admins whose roster scope holds the member's organization): never by other members, never by the
member (unless they are an admin over their own branch), never publicly.
"""

from lianxin.accounts.permissions import Scope, roster_scope
from lianxin.accounts.types import Viewer


def care_scope(user: Viewer) -> Scope:
    """The subtrees whose care work the user manages (an empty scope for a member or a resident)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    return roster_scope(user)


def may_use_care(user: Viewer) -> bool:
    return not care_scope(user).is_empty


def manages(user: Viewer, organization_path: str) -> bool:
    return care_scope(user).contains(organization_path)

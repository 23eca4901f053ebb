"""Who may do what with honours: org admins in their subtree; the services check the same rules."""

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.organizations.models import Organization


def _authenticated(user: Viewer) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def manages(user: Viewer, organization: Organization) -> bool:
    """An admin whose roster scope holds `organization` acts for it."""
    return _authenticated(user) and roster_scope(user).contains(organization.path)


def is_admin(user: Viewer) -> bool:
    return _authenticated(user) and not roster_scope(user).is_empty


def parent_of(organization: Organization) -> Organization | None:
    """The organization one level up (None at the top of the tree)."""
    if organization.depth <= 1:
        return None
    parent: Organization | None = Organization.objects.get_parent(organization)
    return parent

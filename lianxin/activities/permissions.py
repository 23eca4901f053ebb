"""Who may do what with an activity: predicates for buttons; the services check the same rules."""

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.activities.models import Activity
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


def _authenticated(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_plan_for(user: Viewer, organization: Organization) -> bool:
    """Organization admins plan activities for any organization of their subtree."""
    return _authenticated(user) and roster_scope(user).contains(organization.path)


def can_manage(user: Viewer, activity: Activity) -> bool:
    """Record attendance, hold, cancel, show the venue screen: the admins of the organization's subtree."""
    return _authenticated(user) and roster_scope(user).contains(activity.organization.path)


def member_of(user: Viewer) -> Member | None:
    """The roster record linked to the user's account, if any."""
    member: Member | None = getattr(user, "member", None) if _authenticated(user) else None
    return member

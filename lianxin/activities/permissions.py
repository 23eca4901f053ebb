"""Who may do what with an activity: predicates for buttons; the services check the same rules."""

from typing import Any

from lianxin.accounts.permissions import roster_scope
from lianxin.activities.models import Activity
from lianxin.organizations.models import Organization


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_plan_for(user: Any, organization: Organization) -> bool:
    """Organization admins plan activities for any organization of their subtree."""
    return _authenticated(user) and roster_scope(user).contains(organization.path)


def can_manage(user: Any, activity: Activity) -> bool:
    """Record attendance, hold, cancel, show the venue screen: the admins of the organization's subtree."""
    return _authenticated(user) and roster_scope(user).contains(activity.organization.path)


def member_of(user: Any) -> Any:
    """The roster record linked to the user's account, if any."""
    return getattr(user, "member", None) if _authenticated(user) else None

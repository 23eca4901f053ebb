"""Accounts as a test's starting point.

A test that is about something else starts from people who already hold their roles: the
grant is given, not done in the test, so it leaves no timeline event or audit entry that
the test's own assertions would have to step around. Tests of granting itself call
`lianxin.accounts.services.role_assign`.
"""

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import roles_forget
from lianxin.organizations.models import Organization


def given_role(*, user: User, role: str, organization: Organization | None = None) -> RoleAssignment:
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, organization=organization)
    roles_forget(user)
    return assignment

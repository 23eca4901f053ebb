"""Reads of notifications: whom a step waits on, and what waits on a person."""

from lianxin.accounts.models import RoleAssignment
from lianxin.organizations.models import Organization


def staff_of(organization: Organization, roles: tuple[str, ...]) -> list[int]:
    """The active users holding one of `roles` on `organization`, or else on its nearest ancestor
    that has such a person, or else the city administrators: somebody is always told.

    A branch without its own administrator is served by its Party committee, as on paper.
    """
    steplen = Organization.steplen
    paths = [organization.path[:end] for end in range(len(organization.path), 0, -steplen)]
    holders: dict[str, list[int]] = {}
    for user_id, path in RoleAssignment.objects.filter(
        role__in=roles, organization__path__in=paths, user__is_active=True
    ).values_list("user_id", "organization__path"):
        holders.setdefault(path, []).append(user_id)
    for path in paths:  # the organization itself first, then upwards
        if path in holders:
            return sorted(set(holders[path]))
    return sorted(
        set(
            RoleAssignment.objects.filter(role=RoleAssignment.Role.CITY_ADMIN, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
    )

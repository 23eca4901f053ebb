"""Who may see what: every lookup is scoped to the organization subtrees a user holds.

Out-of-scope objects are simply not found (404), so a page never confirms that
something exists outside the viewer's reach.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import cast

from django.db.models import Model, Q

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.types import Viewer
from lianxin.core.statements import rows_read

Role = RoleAssignment.Role

# Roles that manage the roster of their subtree (organizations and members).
ROSTER_ROLES = (Role.CITY_ADMIN, Role.ORG_ADMIN)
# Roles that may browse the organization tree of their subtree without the roster.
BROWSE_ROLES = (Role.CITY_ADMIN, Role.ORG_ADMIN, Role.HANDLER, Role.TEAM_LEADER)


@dataclass(frozen=True)
class Scope:
    """The organization subtrees (materialized-path prefixes) a user reaches for a purpose."""

    everything: bool = False
    paths: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.paths

    def q(self, path_field: str = "path") -> Q:
        """A filter for querysets whose `path_field` is an organization path."""
        if self.everything:
            # Not Q(): an empty Q vanishes when OR-ed, turning "in scope or own" into "own".
            return Q(pk__isnull=False)
        if not self.paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{path_field}__startswith": p}) for p in self.paths))

    def contains(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.paths)


def _minimal_prefixes(paths: list[str]) -> tuple[str, ...]:
    """Drop paths already covered by a shorter one, so queries stay small."""
    kept: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(kept)


def _assignments(user: Viewer) -> list[tuple[str, str | None]]:
    """The (role, organization path) pairs of an active account, read once per user object.
    Nobody (None, for a caller without a person) holds no role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    try:
        return user._role_cache
    except AttributeError:
        # Written out: it is read on every page (core.statements.rows_read).
        organizations = cast(type[Model], RoleAssignment._meta.get_field("organization").related_model)._meta.db_table
        user._role_cache = rows_read(
            RoleAssignment,
            f"SELECT r.role, o.path FROM {{table}} r LEFT JOIN {organizations} o ON o.id = r.organization_id"
            " WHERE r.user_id = %s",
            [user.pk],
        )
        return user._role_cache


def roles_forget(user: User) -> None:
    """Drop the roles read for this user object, after its roles changed."""
    user.__dict__.pop("_role_cache", None)


def roles_of(user: Viewer) -> set[str]:
    return {role for role, _path in _assignments(user)}


def scope_for(user: Viewer, roles: tuple[str, ...] = ROSTER_ROLES) -> Scope:
    assignments = _assignments(user)
    if user.is_superuser or any(r == Role.CITY_ADMIN for r, _p in assignments):
        return Scope(everything=True)
    return Scope(paths=_minimal_prefixes([p for r, p in assignments if r in roles and p]))


def roster_scope(user: Viewer) -> Scope:
    return scope_for(user, ROSTER_ROLES)


def browse_scope(user: Viewer) -> Scope:
    return scope_for(user, BROWSE_ROLES)


def can_manage_roster(user: Viewer) -> bool:
    return not roster_scope(user).is_empty


def can_view_full_personal_data(user: Viewer, organization_path: str) -> bool:
    """City and organization admins may reveal full ID and mobile numbers in their scope."""
    return roster_scope(user).contains(organization_path)

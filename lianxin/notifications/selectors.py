"""Reads of notifications: whom a step waits on, what waits on a person, what they may choose."""

import os.path
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import roles_of, roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.params import id_or_none
from lianxin.core.statements import rows_read
from lianxin.notifications.kinds import Audience, Kind, kinds
from lianxin.notifications.models import GroupRobot, Notification, NotificationSettings, Preference
from lianxin.organizations.models import Organization

Role = RoleAssignment.Role
# The roles whose holders get staff kinds (what waits on a secretary, a dispatcher, a handler, a leader).
STAFF_ROLES = (Role.CITY_ADMIN, Role.ORG_ADMIN, Role.HANDLER, Role.TEAM_LEADER)


def staff_groups(
    organizations: Iterable[Organization], roles: tuple[str, ...]
) -> dict[tuple[int, ...], list[Organization]]:
    """`organizations` grouped by whom a step in each waits on (`staff_of`): whoever is told for several
    organizations (a committee's admins, for branches with none of their own) hears of them together."""
    groups: dict[tuple[int, ...], list[Organization]] = {}
    for organization in organizations:
        groups.setdefault(tuple(staff_of(organization, roles)), []).append(organization)
    return groups


def common_ancestor(organizations: Sequence[Organization]) -> Organization | None:
    """The lowest organization at or above all of `organizations` (None across separate trees)."""
    steplen = Organization.steplen
    prefix = os.path.commonprefix([o.path for o in organizations])  # noqa: RUF071  # a tree path, by character
    prefix = prefix[: len(prefix) // steplen * steplen]
    found: Organization | None = Organization.objects.filter(path=prefix).first() if prefix else None
    return found


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


def is_resident(user: User) -> bool:
    """A resident's account (the role, or the profile of one who registered): texts only of their own."""
    return RoleAssignment.Role.RESIDENT in roles_of(user) or hasattr(user, "resident")


# ------------------------------------------------------------------ what waits on a person

# The bell counts up to this many; beyond it reads "99+", so the count never walks a long inbox.
BELL_CAP = 100


def unread_count(*, user: Viewer) -> int:
    """The person's unread notifications, counted up to BELL_CAP on the inbox index: one query. Not in
    the inbox's order: a count needs none, and ordering by the id too would sort every unread row."""
    if not user.is_authenticated:
        return 0
    # Written out: it is read on every page (core.statements.rows_read).
    return int(
        rows_read(
            Notification,
            "SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE recipient_id = %s AND read_at IS NULL LIMIT %s) unread",
            [user.pk, BELL_CAP],
        )[0][0]
    )


def notification_list_visible_to(*, user: Viewer, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's own notifications, newest first; nobody sees another's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def access_notification(user: Viewer, pk: object) -> Notification:
    """The person's own notification, or 404: another's is never confirmed to exist."""
    key = id_or_none(pk)
    found = notification_list_visible_to(user=user).filter(pk=key).first() if key is not None else None
    if found is None:
        raise Http404
    return found


# ------------------------------------------------------------------ what a person may choose


def audiences_of(user: Viewer) -> set[str]:
    """The audiences whose kinds reach `user`: staff by their roles, members, residents."""
    roles = roles_of(user)
    audiences: set[str] = set()
    if user.is_superuser or roles & set(STAFF_ROLES):
        audiences |= {Audience.STAFF, Audience.MEMBER}
    if Role.MEMBER in roles or hasattr(user, "member"):
        audiences.add(Audience.MEMBER)
    if Role.RESIDENT in roles or hasattr(user, "resident"):
        audiences.add(Audience.RESIDENT)
    if not audiences:
        audiences.add(Audience.RESIDENT)  # an account with no role yet orders and posts as a resident
    return audiences


@dataclass(frozen=True)
class KindGroup:
    """The kinds of one app, as the settings page lists them."""

    app: str
    label: str
    kinds: list[Kind]


def kinds_for(*, user: Viewer) -> list[Kind]:
    """The kinds a person may choose channels for: those of their audiences, and any they have received."""
    audiences = audiences_of(user)
    received = set(
        Notification.objects.filter(recipient_id=user.pk).values_list("kind", flat=True).order_by().distinct()
    )
    return [kind for kind in kinds() if kind.audience in audiences or kind.code in received]


def kind_groups(kind_list: list[Kind]) -> list[KindGroup]:
    """`kind_list` grouped by the app that declares them (the code's first part), in the apps' order."""
    groups: dict[str, list[Kind]] = {}
    for kind in kind_list:
        groups.setdefault(kind.code.split(".", 1)[0], []).append(kind)
    result = []
    for app, members in groups.items():
        try:
            label = str(apps.get_app_config(app).verbose_name)
        except LookupError:
            label = app
        result.append(KindGroup(app=app, label=label, kinds=members))
    return result


@dataclass(frozen=True)
class Choices:
    """A person's channels per kind (their own or the kind's defaults) and their quiet hours and digest."""

    email: set[str]
    sms: set[str]
    settings: NotificationSettings


def choices_of(*, user: User, kind_list: list[Kind]) -> Choices:
    chosen = {p.kind: p for p in Preference.objects.filter(user=user)}
    email = {k.code for k in kind_list if (chosen[k.code].email if k.code in chosen else k.email)}
    sms = {k.code for k in kind_list if (chosen[k.code].sms if k.code in chosen else k.sms)}
    found = NotificationSettings.objects.filter(user=user).first()
    return Choices(email=email, sms=sms, settings=found or NotificationSettings(user=user))


# ------------------------------------------------------------------ group robots


def robot_kinds() -> list[Kind]:
    """The kinds a group robot may post."""
    return [kind for kind in kinds() if kind.robot]


def can_manage_robots(user: Viewer) -> bool:
    return not roster_scope(user).is_empty


def robot_list_visible_to(*, user: Viewer) -> QuerySet[GroupRobot]:
    """The group robots of the organizations `user` manages (their roster scope), by organization."""
    qs: QuerySet[GroupRobot] = GroupRobot.objects.filter(roster_scope(user).q("organization__path"))
    return qs.select_related("organization").order_by("organization__path", "-active", "name", "pk")


def access_robot(user: Viewer, pk: object) -> GroupRobot:
    """A group robot of an organization `user` manages, or 404."""
    key = id_or_none(pk)
    found = robot_list_visible_to(user=user).filter(pk=key).first() if key is not None else None
    if found is None:
        raise Http404
    return found

"""Teams (服务队 / 先锋团 / 服务总队), their volunteers and the service items on the menu.

Admins whose roster scope holds the team's owner organization manage the team; every
change is on the team's timeline.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.services import role_assign
from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering import permissions
from lianxin.volunteering.models import ServiceCategory, ServiceItem, ServiceItemVerb, Team, TeamMembership, TeamVerb


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to manage this team."), code="forbidden")


def _clean_name(value: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


def _check_leader(leader: User | None) -> None:
    if leader is not None and not leader.is_active:
        raise ValidationError(_("%(name)s has no active account.") % {"name": leader}, code="inactive_leader")


def _check_corps(team: Team | None, kind: str, corps: Team | None) -> None:
    if corps is None:
        return
    if corps.kind != Team.Kind.CORPS:
        raise ValidationError(_("%(name)s is not a general service corps.") % {"name": corps}, code="not_corps")
    if kind == Team.Kind.CORPS:
        raise ValidationError(_("A general service corps cannot belong to another corps."), code="corps_in_corps")
    if team is not None and corps.pk == team.pk:
        raise ValidationError(_("A team cannot be its own corps."), code="own_corps")


def _check_categories(categories: Iterable[ServiceCategory]) -> list[ServiceCategory]:
    chosen = list(categories)
    for category in chosen:
        if not category.is_active:
            raise ValidationError(_("The category %(name)s is no longer in use.") % {"name": category}, code="category")
    return chosen


def _lead(team: Team, leader: User | None) -> None:
    """The leader reaches the team's organization tree as a team leader (browse, not roster)."""
    if leader is not None:
        role_assign(user=leader, role=RoleAssignment.Role.TEAM_LEADER, organization=team.organization)


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    kind: str = Team.Kind.TEAM,
    leader: User | None = None,
    corps: Team | None = None,
    description: str = "",
    areas: Iterable[Area] = (),
    categories: Iterable[ServiceCategory] = (),
) -> Team:
    """An admin sets up a team owned by an organization in their scope."""
    if not permissions.authenticated(actor) or not roster_scope(actor).contains(organization.path):
        raise _not_allowed()
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization}, code="inactive")
    name = _clean_name(name, _("Give the team a name."))
    if kind not in Team.Kind.values:
        raise ValidationError(_("Unknown kind %(value)s.") % {"value": kind}, code="kind")
    _check_leader(leader)
    _check_corps(None, kind, corps)
    chosen_categories = _check_categories(categories)
    team = Team.objects.create(
        name=name, kind=kind, organization=organization, leader=leader, corps=corps, description=description.strip()
    )
    team.areas.set(list(areas))
    team.categories.set(chosen_categories)
    _lead(team, leader)
    event_record(subject=team, actor=actor, verb=TeamVerb.CREATED)
    return team


@transaction.atomic
def team_update(
    *,
    team: Team,
    actor: Actor,
    name: str,
    kind: str,
    leader: User | None,
    corps: Team | None = None,
    description: str = "",
    areas: Iterable[Area] = (),
    categories: Iterable[ServiceCategory] = (),
    is_active: bool = True,
) -> Team:
    if not permissions.can_manage_team(actor, team):
        raise _not_allowed()
    name = _clean_name(name, _("Give the team a name."))
    if kind not in Team.Kind.values:
        raise ValidationError(_("Unknown kind %(value)s.") % {"value": kind}, code="kind")
    if kind != Team.Kind.CORPS and team.kind == Team.Kind.CORPS and team.teams.exists():
        raise ValidationError(_("This corps still groups teams; move them out first."), code="corps_has_teams")
    _check_leader(leader)
    _check_corps(team, kind, corps)
    chosen_categories = _check_categories(categories)
    changed_leader = leader != team.leader
    team.name, team.kind, team.leader, team.corps = name, kind, leader, corps
    team.description, team.is_active = description.strip(), is_active
    team.save(update_fields=["name", "kind", "leader", "corps", "description", "is_active"])
    team.areas.set(list(areas))
    team.categories.set(chosen_categories)
    if changed_leader:
        _lead(team, leader)
    event_record(subject=team, actor=actor, verb=TeamVerb.UPDATED, data={"leader": str(leader) if leader else ""})
    return team


@transaction.atomic
def team_member_add(*, team: Team, actor: Actor, user: User, joined_on: date | None = None) -> TeamMembership:
    """A Party member or another volunteer joins the team."""
    if not permissions.can_lead_or_manage(actor, team):
        raise _not_allowed()
    if not user.is_active:
        raise ValidationError(_("%(name)s has no active account.") % {"name": user}, code="inactive_user")
    already = _("%(name)s is already in this team.") % {"name": user}
    if TeamMembership.objects.filter(team=team, user=user, left_on__isnull=True).exists():
        raise ValidationError(already, code="already_member")
    try:
        # The partial unique constraint settles two simultaneous adds.
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                team=team, user=user, joined_on=joined_on or timezone.localdate()
            )
    except IntegrityError as exc:
        raise ValidationError(already, code="already_member") from exc
    event_record(subject=team, actor=actor, verb=TeamVerb.MEMBER_ADDED, note=str(user))
    return membership


@transaction.atomic
def team_member_remove(*, team: Team, actor: Actor, user: User, left_on: date | None = None) -> TeamMembership:
    """The volunteer leaves; the membership stays for the record with its end date."""
    if not permissions.can_lead_or_manage(actor, team):
        raise _not_allowed()
    membership = TeamMembership.objects.filter(team=team, user=user, left_on__isnull=True).first()
    left_on = left_on or timezone.localdate()
    if membership is None or not TeamMembership.objects.filter(pk=membership.pk, left_on__isnull=True).update(
        left_on=left_on
    ):
        raise ValidationError(_("%(name)s is not in this team.") % {"name": user}, code="not_member")
    membership.left_on = left_on
    event_record(subject=team, actor=actor, verb=TeamVerb.MEMBER_REMOVED, note=str(user))
    return membership


def _check_item(team: Team, category: ServiceCategory, title: str, *, on_menu: bool = True) -> str:
    if on_menu and not team.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": team}, code="inactive_team")
    _check_categories([category])
    return _clean_name(title, _("Say what the service is."))


@transaction.atomic
def item_create(
    *,
    actor: Actor,
    team: Team,
    category: ServiceCategory,
    title: str,
    description: str = "",
    areas: Iterable[Area] = (),
) -> ServiceItem:
    """Put a service on the menu; with no areas it serves wherever its team serves."""
    if not permissions.can_lead_or_manage(actor, team):
        raise _not_allowed()
    title = _check_item(team, category, title)
    item = ServiceItem.objects.create(team=team, category=category, title=title, description=description.strip())
    item.areas.set(list(areas))
    event_record(subject=item, actor=actor, verb=ServiceItemVerb.CREATED)
    return item


@transaction.atomic
def item_update(
    *,
    item: ServiceItem,
    actor: Actor,
    category: ServiceCategory,
    title: str,
    description: str = "",
    areas: Iterable[Area] = (),
    is_active: bool = True,
) -> ServiceItem:
    if not permissions.can_lead_or_manage(actor, item.team):
        raise _not_allowed()
    title = _check_item(item.team, category, title, on_menu=is_active)
    item.category, item.title, item.description, item.is_active = category, title, description.strip(), is_active
    item.save(update_fields=["category", "title", "description", "is_active"])
    item.areas.set(list(areas))
    event_record(subject=item, actor=actor, verb=ServiceItemVerb.UPDATED if is_active else ServiceItemVerb.WITHDRAWN)
    return item

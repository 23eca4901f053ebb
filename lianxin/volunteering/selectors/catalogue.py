"""Reads of teams and the catalogue: the public menu, the teams a viewer sees, team suggestions."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.accounts.permissions import browse_scope, roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.crypto import lookup_hash
from lianxin.core.parsing import ParseError, normalize_mobile
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.selectors import area_by_code
from lianxin.volunteering import permissions
from lianxin.volunteering.models import Order, ServiceCategory, ServiceItem, Team, TeamMembership


@dataclass
class MenuFilters:
    category: ServiceCategory | None = None  # the category and its sub-kinds
    area: Area | None = None  # that area or any area below it (and services covering it from above)
    text: str = ""


def category_by_code(code: str) -> ServiceCategory | None:
    """A category in use, by its code (public: the menu's filter)."""
    code = code.strip()
    return ServiceCategory.objects.filter(code=code, is_active=True).first() if code else None


def menu_filters(*, category: str = "", area: str = "", text: str = "") -> MenuFilters:
    """The menu's filters from the codes a page or the API was given; an unknown code filters nothing."""
    return MenuFilters(category=category_by_code(category), area=area_by_code(area), text=text[:50])


def menu_areas() -> QuerySet[Area]:
    """The areas the menu filters by: down to towns."""
    areas: QuerySet[Area] = Area.objects.filter(depth__lte=3).order_by("path")
    return areas


def _ancestor_paths(area: Area) -> list[str]:
    step = Area.steplen
    return [area.path[:i] for i in range(step, len(area.path) + 1, step)]


def _serves_area(area: Area) -> Q:
    """Items whose served areas (their own, else their team's) meet `area`'s subtree or cover it.

    An item with no areas of its own serves wherever its team serves; a team with no areas
    serves everywhere its organization sends it.
    """
    inside = Q(areas__path__startswith=area.path) | Q(areas__path__in=_ancestor_paths(area))
    team_inside = Q(team__areas__path__startswith=area.path) | Q(team__areas__path__in=_ancestor_paths(area))
    own_areas = ServiceItem.objects.filter(inside).values("pk")
    no_own_areas = Q(areas__isnull=True)
    team_serves = ServiceItem.objects.filter(no_own_areas & team_inside).values("pk")
    anywhere = ServiceItem.objects.filter(no_own_areas, team__areas__isnull=True).values("pk")
    return Q(pk__in=own_areas) | Q(pk__in=team_serves) | Q(pk__in=anywhere)


def menu_items(*, filters: MenuFilters) -> QuerySet[ServiceItem]:
    """The public menu: items on the menu, of active teams, in categories in use."""
    qs = ServiceItem.objects.filter(is_active=True, team__is_active=True, category__is_active=True)
    if filters.category is not None:
        qs = qs.filter(Q(category=filters.category) | Q(category__parent=filters.category))
    if filters.area is not None:
        qs = qs.filter(_serves_area(filters.area))
    if filters.text.strip():
        text = filters.text.strip()
        qs = qs.filter(Q(title__icontains=text) | Q(description__icontains=text) | Q(team__name__icontains=text))
    return qs.select_related("team", "category", "category__parent").prefetch_related("areas", "team__areas")


def menu_categories() -> QuerySet[ServiceCategory]:
    """Categories in tree order: each top-level category (by position), then its sub-kinds under it."""
    family_position = Coalesce("parent__position", "position")
    family = Coalesce("parent_id", "id")
    return (
        ServiceCategory.objects.filter(is_active=True)
        .select_related("parent")
        .order_by(family_position, family, F("parent_id").asc(nulls_first=True), "position", "id")
    )


def served_areas(item: ServiceItem) -> list[Area]:
    """The areas shown for an item: its own, else its team's."""
    return list(item.areas.all()) or list(item.team.areas.all())


def visible_item(user: Viewer, pk: int) -> ServiceItem | None:
    """An item on the menu is public; a withdrawn one only its team's leader and managers find."""
    item = ServiceItem.objects.select_related("team", "team__organization", "category").filter(pk=pk).first()
    if item is None:
        return None
    if not (item.is_active and item.team.is_active) and not permissions.can_lead_or_manage(user, item.team):
        return None
    return item


def access_item(user: Viewer, pk: int) -> ServiceItem:
    item = visible_item(user, pk)
    if item is None:
        raise Http404
    return item


def _team_visibility(user: Viewer) -> Q:
    if permissions.authenticated(user):
        return (
            browse_scope(user).q("organization__path")
            | Q(leader_id=user.pk)
            | Q(pk__in=TeamMembership.objects.filter(user_id=user.pk, left_on__isnull=True).values("team_id"))
        )
    return Q(pk__in=[])


def team_list_visible_to(*, user: Viewer, text: str = "") -> QuerySet[Team]:
    """Teams in the viewer's organization tree, plus the teams they lead or serve in."""
    qs = Team.objects.filter(_team_visibility(user))
    if text.strip():
        qs = qs.filter(name__icontains=text.strip())
    return (
        qs.select_related("organization", "leader", "corps")
        .annotate(
            volunteer_count=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True),
            item_count=Count("items", filter=Q(items__is_active=True), distinct=True),
        )
        .order_by("-is_active", "name", "id")
    )


def teams_led_by(*, user: Viewer) -> QuerySet[Team]:
    if not permissions.authenticated(user):
        return Team.objects.none()
    return Team.objects.filter(leader_id=user.pk).select_related("organization").order_by("name", "id")


def access_team(user: Viewer, pk: int) -> Team:
    team = (
        Team.objects.filter(Q(pk=pk) & _team_visibility(user)).select_related("organization", "leader", "corps").first()
    )
    if team is None:
        raise Http404
    return team


def team_volunteer(team: Team, user_pk: int) -> User:
    """A volunteer who is or was in `team`, or 404: a team page acts only on its own people."""
    user = User.objects.filter(pk=user_pk, team_memberships__team=team).distinct().first()
    if user is None:
        raise Http404
    return user


def corps_teams(team: Team) -> QuerySet[Team]:
    """The teams a general service corps groups (none for another kind of team)."""
    return team.teams.order_by("name") if team.kind == Team.Kind.CORPS else Team.objects.none()


def corps_choices(*, user: Viewer) -> QuerySet[Team]:
    """The general service corps a team set up by `user` may join: active ones in their roster scope."""
    return Team.objects.filter(
        roster_scope(user).q("organization__path"), kind=Team.Kind.CORPS, is_active=True
    ).order_by("name")


def organizations_managed_by(*, user: Viewer) -> QuerySet[Organization]:
    """The active organizations in `user`'s roster scope, in tree order: owners of teams, tours and services."""
    active = Organization.Status.ACTIVE
    organizations: QuerySet[Organization] = Organization.objects.filter(roster_scope(user).q("path"), status=active)
    return organizations.order_by("path")


def account_by_login(login: str) -> User | None:
    """An active account by user name, or by mobile number through its lookup hash."""
    login = login.strip()
    if not login:
        return None
    user = User.objects.filter(username=login, is_active=True).first()
    if user is not None:
        return user
    try:
        mobile = normalize_mobile(login)
    except ParseError:
        return None
    return User.objects.filter(mobile_hash=lookup_hash(mobile), is_active=True).first() if mobile else None


def order_areas(item: ServiceItem) -> QuerySet[Area]:
    """The areas an order for `item` may name: the served areas and everything under them."""
    served = served_areas(item)
    qs: QuerySet[Area] = Area.objects.order_by("path")
    if served:
        qs = qs.filter(Q.create([("path__startswith", a.path) for a in served], connector=Q.OR))
    return qs


def team_volunteers(team: Team) -> QuerySet[TeamMembership]:
    return team.memberships.filter(left_on__isnull=True).select_related("user").order_by("joined_on", "id")


def team_items(team: Team) -> QuerySet[ServiceItem]:
    return team.items.select_related("category").order_by("-is_active", "category__position", "title", "id")


def teams_to_dispatch_to(*, user: Viewer) -> QuerySet[Team]:
    """Active teams an owner admin may choose from: those in their roster scope."""
    return Team.objects.filter(roster_scope(user).q("organization__path"), is_active=True).order_by("name", "id")


@dataclass
class Suggestion:
    team: Team
    score: int
    open_orders: int
    reasons: list[str] = field(default_factory=list)


def _open_load(teams: list[Team]) -> dict[int, int]:
    rows = (
        Order.objects.filter(team__in=teams, status__in=Order.OPEN_STATUSES)
        .values("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    return dict(rows)


def team_suggestions(order: Order, *, limit: int = 5) -> list[Suggestion]:
    """Teams of the owning organization's tree ranked by category, area served and current load.

    Each suggestion says why: the owner chooses, the system only proposes.
    """
    category = order.item.category
    wanted_categories = {category.pk} | ({category.parent_id} if category.parent_id else set())
    area_paths = set(_ancestor_paths(order.area))
    candidates = list(
        Team.objects.filter(organization__path__startswith=order.owner.path, is_active=True)
        .prefetch_related("categories", "areas")
        .select_related("organization")
    )
    load = _open_load(candidates)
    suggestions = []
    for team in candidates:
        reasons: list[str] = []
        score = 0
        offered = [c for c in team.categories.all() if c.pk in wanted_categories]
        if offered:
            score += 2
            reasons.append(_("offers %(category)s") % {"category": offered[0].name})
        served = [a for a in team.areas.all() if a.path in area_paths or a.path.startswith(order.area.path)]
        if served:
            score += 2
            reasons.append(_("serves %(area)s") % {"area": served[0].name})
        if team.pk == order.item.team_id:
            score += 1
            reasons.append(_("offers this service on the menu"))
        if score == 0:
            continue
        n = load.get(team.pk, 0)
        reasons.append(_("%(n)s open orders") % {"n": n})
        suggestions.append(Suggestion(team=team, score=score, open_orders=n, reasons=reasons))
    suggestions.sort(key=lambda s: (-s.score, s.open_orders, s.team.name))
    return suggestions[:limit]

"""Reads of teams and the catalogue: the public menu, the teams a viewer sees, team suggestions."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import browse_scope, roster_scope
from lianxin.organizations.models import Area
from lianxin.volunteering import permissions
from lianxin.volunteering.models import Order, ServiceCategory, ServiceItem, Team, TeamMembership


@dataclass
class MenuFilters:
    category: ServiceCategory | None = None  # the category and its sub-kinds
    area: Area | None = None  # that area or any area below it (and services covering it from above)
    text: str = ""


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
    return ServiceCategory.objects.filter(is_active=True).select_related("parent").order_by("position", "id")


def served_areas(item: ServiceItem) -> list[Area]:
    """The areas shown for an item: its own, else its team's."""
    return list(item.areas.all()) or list(item.team.areas.all())


def access_item(user: Any, pk: int) -> ServiceItem:
    """An item on the menu is public; a withdrawn one only its team's leader and managers find."""
    item = ServiceItem.objects.select_related("team", "team__organization", "category").filter(pk=pk).first()
    if item is None:
        raise Http404
    if not (item.is_active and item.team.is_active) and not permissions.can_lead_or_manage(user, item.team):
        raise Http404
    return item


def _team_visibility(user: Any) -> Q:
    if not permissions.authenticated(user):
        return Q(pk__in=[])
    return (
        browse_scope(user).q("organization__path")
        | Q(leader_id=user.pk)
        | Q(pk__in=TeamMembership.objects.filter(user_id=user.pk, left_on__isnull=True).values("team_id"))
    )


def team_list_visible_to(*, user: Any, text: str = "") -> QuerySet[Team]:
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


def teams_led_by(*, user: Any) -> QuerySet[Team]:
    if not permissions.authenticated(user):
        return Team.objects.none()
    return Team.objects.filter(leader_id=user.pk).select_related("organization").order_by("name", "id")


def access_team(user: Any, pk: int) -> Team:
    team = (
        Team.objects.filter(Q(pk=pk) & _team_visibility(user)).select_related("organization", "leader", "corps").first()
    )
    if team is None:
        raise Http404
    return team


def team_volunteers(team: Team) -> QuerySet[TeamMembership]:
    return team.memberships.filter(left_on__isnull=True).select_related("user").order_by("joined_on", "id")


def team_items(team: Team) -> QuerySet[ServiceItem]:
    return team.items.select_related("category").order_by("-is_active", "category__position", "title", "id")


def teams_to_dispatch_to(*, user: Any) -> QuerySet[Team]:
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

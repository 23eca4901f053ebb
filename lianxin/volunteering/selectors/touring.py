"""Reads of touring services: the public schedule, the organizer's tours, one tour's stops and figures."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import ServiceItem, Team, Tour, TourStop
from lianxin.volunteering.permissions import authenticated

# A stop is in a town (乡镇街道) or somewhere inside one: never a whole district or city.
STOP_AREA_KINDS = (Area.Kind.TOWN, Area.Kind.VILLAGE, Area.Kind.COMMUNITY, Area.Kind.ISLAND)


def can_organize(user: Viewer, organization: Organization) -> bool:
    """Organizers: the admins whose roster scope holds the tour's organization."""
    return authenticated(user) and roster_scope(user).contains(organization.path)


def can_plan_tours(user: Viewer) -> bool:
    return authenticated(user) and not roster_scope(user).is_empty


def stop_areas(organization: Organization | None) -> QuerySet[Area]:
    """Towns (and islands) inside the organizer's area; all of its subtree when that is a town already."""
    if organization is None:
        nothing: QuerySet[Area] = Area.objects.none()
        return nothing
    area = organization.area
    towns = Q(path__startswith=area.path, kind__in=(Area.Kind.TOWN, Area.Kind.ISLAND))
    if area.kind in STOP_AREA_KINDS:
        towns |= Q(path__startswith=area.path)
    towns_qs: QuerySet[Area] = Area.objects.filter(towns).order_by("path")
    return towns_qs


def tour_list_public() -> QuerySet[Tour]:
    """Published tours, newest first, each with how many stops and towns it has."""
    return (
        Tour.objects.filter(is_published=True)
        .select_related("organization")
        .annotate(stop_count=Count("stops", distinct=True), town_count=Count("stops__area", distinct=True))
        .order_by("-starts_on", "id")
    )


def tour_list_managed_by(*, user: Viewer) -> QuerySet[Tour]:
    """Every tour, draft or public, the user organizes."""
    return (
        Tour.objects.filter(roster_scope(user).q("organization__path"))
        .select_related("organization")
        .annotate(stop_count=Count("stops", distinct=True), town_count=Count("stops__area", distinct=True))
        .order_by("-starts_on", "id")
    )


def access_tour(user: Viewer, pk: int) -> Tour:
    """The organizer's view of a tour: outside the user's scope it does not exist."""
    tour = Tour.objects.filter(roster_scope(user).q("organization__path"), pk=pk).select_related("organization").first()
    if tour is None:
        raise Http404
    return tour


def access_public_tour(user: Viewer, pk: int) -> Tour:
    """A published schedule is everybody's; a draft only its organizers' (to preview it)."""
    visible = Q(is_published=True) | roster_scope(user).q("organization__path")
    tour = Tour.objects.filter(visible, pk=pk).select_related("organization").first()
    if tour is None:
        raise Http404
    return tour


def access_tour_stop(user: Viewer, pk: int) -> TourStop:
    stop = (
        TourStop.objects.filter(roster_scope(user).q("tour__organization__path"), pk=pk)
        .select_related("tour", "tour__organization", "area")
        .first()
    )
    if stop is None:
        raise Http404
    return stop


def tour_stops(tour: Tour) -> QuerySet[TourStop]:
    """The schedule in order, with the team names and item titles (no people) of each stop."""
    return (
        tour.stops.select_related("area")
        .prefetch_related(
            Prefetch("teams", queryset=Team.objects.only("id", "name").order_by("name", "id")),
            Prefetch("items", queryset=ServiceItem.objects.select_related("category").order_by("title", "id")),
        )
        .order_by("date", "starts_at", "id")
    )


@dataclass(frozen=True)
class TourFigures:
    stops: int
    towns: int
    teams: int
    beneficiaries: int
    stops_recorded: int


def tour_figures(tour: Tour) -> TourFigures:
    """Distinct towns and teams, not stop-visits; beneficiaries summed over the stops that recorded them."""
    row = tour.stops.aggregate(
        stops=Count("pk", distinct=True),
        towns=Count("area", distinct=True),
        teams=Count("teams", distinct=True),
        recorded=Count("pk", filter=Q(beneficiaries__isnull=False), distinct=True),
    )
    total = tour.stops.aggregate(total=Sum("beneficiaries"))["total"] or 0
    return TourFigures(
        stops=row["stops"],
        towns=row["towns"],
        teams=row["teams"],
        beneficiaries=total,
        stops_recorded=row["recorded"],
    )


def team_choices() -> QuerySet[Team]:
    """Teams a stop can take: active ones only."""
    return Team.objects.filter(is_active=True).select_related("organization").order_by("name", "id")


def item_choices() -> QuerySet[ServiceItem]:
    return (
        ServiceItem.objects.filter(is_active=True, team__is_active=True)
        .select_related("team", "category")
        .order_by("team__name", "category__position", "title", "id")
    )

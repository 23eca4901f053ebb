"""Reads for duplicates and hot spots, always through the viewer's scope."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lianxin.accounts.types import Viewer
from lianxin.demands.models import Demand, DemandCategory, HotSpot
from lianxin.demands.rules.similarity import SimilarDemand, demand_text, similar_open_demands
from lianxin.demands.selectors.handling import demand_list_visible_to
from lianxin.organizations.models import Area


def similar_demands_for(
    *,
    user: Viewer,
    title: str,
    description: str,
    area: Area,
    category: DemandCategory | None = None,
    exclude: Any = None,
    limit: int = 5,
) -> list[SimilarDemand]:
    """Open demands the viewer may see that look like this text, in the same area subtree."""
    return similar_open_demands(
        text=demand_text(title, description),
        area=area,
        category=category,
        limit=limit,
        exclude=exclude,
        queryset=demand_list_visible_to(user=user),
    )


def similar_to_demand(*, user: Viewer, demand: Demand, limit: int = 5) -> list[SimilarDemand]:
    """Open demands like this one (itself left out): candidates to merge it into."""
    return similar_demands_for(
        user=user,
        title=demand.title,
        description=demand.description,
        area=demand.area,
        category=demand.category,
        exclude=demand,
        limit=limit,
    )


def common_area(demands: list[Demand]) -> Area | None:
    """The smallest area holding every one of `demands` (their areas' deepest common ancestor)."""
    paths = [d.area.path for d in demands]
    if not paths:
        return None
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: -Area.steplen]
    return Area.objects.filter(path=prefix).first() if prefix else None


def demands_numbered(*, user: Viewer, numbers: list[int]) -> list[Demand]:
    """The demands with these numbers the viewer may see; any other number is refused by name."""
    chosen = list(demand_list_visible_to(user=user).filter(pk__in=numbers))
    missing = sorted(set(numbers) - {d.pk for d in chosen})
    if missing:
        raise ValidationError(
            _("No demand numbered %(numbers)s is open to you.") % {"numbers": ", ".join(map(str, missing))},
            code="unknown_demand",
        )
    return chosen


@dataclass(frozen=True)
class HotSpotRow:
    hot_spot: HotSpot
    total: int
    open: int
    resolved: int


def hot_spot_list_visible_to(*, user: Viewer) -> list[HotSpotRow]:
    """Hot spots holding demands the viewer may see, with how many they hold, newest first.

    Counts are of the viewer's demands only, so a hot spot never tells what lies outside their scope."""
    grouped = (
        demand_list_visible_to(user=user)
        .filter(hot_spot__isnull=False)
        .order_by()
        .values("hot_spot")
        .annotate(
            total=Count("id"),
            n_open=Count("id", filter=Q(status__in=Demand.OPEN_STATUSES)),
            n_resolved=Count("id", filter=Q(status__in=Demand.RESOLVED_STATUSES)),
        )
    )
    counts = {row["hot_spot"]: row for row in grouped}
    hot_spots = HotSpot.objects.filter(pk__in=list(counts)).select_related("area", "category")
    return [HotSpotRow(h, counts[h.pk]["total"], counts[h.pk]["n_open"], counts[h.pk]["n_resolved"]) for h in hot_spots]


def access_hot_spot(user: Viewer, pk: int) -> HotSpot:
    """A hot spot holding at least one demand the viewer may see; else 404."""
    hot_spot = HotSpot.objects.filter(pk=pk).select_related("area", "category", "created_by").first()
    if hot_spot is None:
        raise Http404
    if not demand_list_visible_to(user=user).filter(hot_spot=hot_spot).exists():
        raise Http404
    return hot_spot


def hot_spot_demands(*, user: Viewer, hot_spot: HotSpot) -> QuerySet[Demand]:
    return demand_list_visible_to(user=user).filter(hot_spot=hot_spot).order_by("created_at", "id")


def hot_spot_status_counts(demands: QuerySet[Demand]) -> list[tuple[Any, int]]:
    """How many of the hot spot's demands are in each status, in the order of the closed loop."""
    found = dict(demands.order_by().values_list("status").annotate(n=Count("id")))
    return [(label, found[value]) for value, label in Demand.Status.choices if found.get(value)]


def hot_spot_suggestions(*, user: Viewer, hot_spot: HotSpot, limit: int = 10) -> list[SimilarDemand]:
    """Open demands in the hot spot's area that resemble it and belong to no hot spot yet."""
    first = hot_spot.demands.order_by("created_at", "id").first()
    description = first.description if first is not None else ""
    similar = similar_demands_for(
        user=user,
        title=hot_spot.title,
        description=description,
        area=hot_spot.area,
        category=hot_spot.category,
        limit=limit * 3,
    )
    return [s for s in similar if s.demand.hot_spot_id is None][:limit]

"""A resident's own demands: those submitted signed in or claimed with their lookup code."""

from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.types import Viewer
from lianxin.demands.models import Demand


def demand_list_own(*, user: Viewer) -> QuerySet[Demand]:
    """The viewer's own demands, newest first; none for an anonymous viewer."""
    if not user.is_authenticated:
        return Demand.objects.none()
    return Demand.objects.filter(resident_id=user.pk).select_related("category", "area").order_by("-created_at", "-id")


def access_own_demand(user: Viewer, pk: int) -> Demand:
    """One of the viewer's own demands, or 404 (another's demand is never revealed)."""
    found: Demand | None = demand_list_own(user=user).select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found

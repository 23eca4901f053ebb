"""Reads for the public board (整改通报 / 集中晾晒): reviewed items, the review queue, notices.

The board shows only what a reviewer cleared: the public summary of a resolved demand, with
its category, area and date. Titles and descriptions are written by residents and staff and
may hold names, so they never reach a public page.
"""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.periods import Period
from lianxin.demands.models import Demand, PublicNotice
from lianxin.demands.selectors.stats import DemandStats, demand_stats
from lianxin.organizations.models import Area, Organization

# A notice lists at most this many items; a city-wide month can resolve well over a thousand.
NOTICE_ITEMS_MAX = 100


def board_root() -> Organization | None:
    """The organization a board without an organization code speaks for: the top of the tree."""
    root: Organization | None = Organization.objects.get_root_nodes().order_by("path").first()
    return root


def _authenticated(user: Viewer | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def board_items(*, organization: Organization, area: Area | None, period: Period) -> QuerySet[Demand]:
    """Resolved demands of `organization`'s subtree resolved in `period`, with a reviewed summary.

    Anything not reviewed is simply left out. Only the fields the board shows are loaded."""
    start, end = period.bounds
    qs = Demand.objects.filter(
        status__in=Demand.RESOLVED_STATUSES,
        summary_reviewed_at__isnull=False,
        resolved_at__gte=start,
        resolved_at__lt=end,
        organization__path__startswith=organization.path,
    )
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    return (
        qs.select_related("category", "area")
        .only("id", "public_summary", "resolved_at", "category__name", "area__name")
        .order_by("-resolved_at", "-id")
    )


# ---------------------------------------------------------------------- review of summaries


def can_review_summary(user: Viewer, demand: Demand) -> bool:
    """The admins of the collecting organization clear what the public may read of a resolved demand."""
    return (
        _authenticated(user)
        and demand.status in Demand.RESOLVED_STATUSES
        and roster_scope(user).contains(demand.organization.path)
    )


def summary_review_queue(*, user: Viewer, reviewed: bool = False) -> QuerySet[Demand]:
    """Resolved demands of the user's organizations whose summary waits for review (or was reviewed)."""
    return (
        Demand.objects.filter(roster_scope(user).q("organization__path"))
        .filter(status__in=Demand.RESOLVED_STATUSES, summary_reviewed_at__isnull=not reviewed)
        .select_related("organization", "area", "category", "summary_reviewed_by")
        .order_by("-summary_reviewed_at" if reviewed else "resolved_at", "id")
    )


def access_summary_review(user: Viewer, pk: int) -> Demand:
    """A resolved demand the user may write the public summary of; anything else is not found."""
    demand = (
        Demand.objects.filter(roster_scope(user).q("organization__path"))
        .filter(pk=pk, status__in=Demand.RESOLVED_STATUSES)
        .select_related("organization", "area", "category", "responsible_unit", "summary_reviewed_by")
        .first()
    )
    if demand is None or not _authenticated(user):
        raise Http404
    return demand


# ---------------------------------------------------------------------- public notices


def organizations_in_care(*, user: Viewer) -> QuerySet[Organization]:
    """The organizations in the user's roster scope (open or closed), in tree order."""
    found: QuerySet[Organization] = Organization.objects.filter(roster_scope(user).q("path"))
    return found.order_by("path")


def can_manage_notices(user: Viewer) -> bool:
    return _authenticated(user) and not roster_scope(user).is_empty


def can_manage_notice(user: Viewer, notice: PublicNotice) -> bool:
    return _authenticated(user) and roster_scope(user).contains(notice.organization.path)


def notice_list_visible_to(*, user: Viewer | None) -> QuerySet[PublicNotice]:
    """Published notices for everyone; drafts only for the admins of their organization."""
    visible = Q(status=PublicNotice.Status.PUBLISHED)
    if user is not None and _authenticated(user):
        visible |= roster_scope(user).q("organization__path")
    return PublicNotice.objects.filter(visible).select_related("organization").order_by("-ends_on", "-id")


def access_notice(user: Viewer, pk: int) -> PublicNotice:
    notice = notice_list_visible_to(user=user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notice_candidates(notice: PublicNotice) -> QuerySet[Demand]:
    """The reviewed demands of the notice's organization resolved in its period."""
    period = Period(notice.starts_on, notice.ends_on)
    return board_items(organization=notice.organization, area=None, period=period)


def notice_items(notice: PublicNotice) -> list[dict[str, Any]]:
    """The items a notice shows: frozen at publication, live (and still eligible) in a draft."""
    if notice.status == PublicNotice.Status.PUBLISHED:
        return list(notice.figures.get("items", []))
    rows = (
        notice.demands.filter(status__in=Demand.RESOLVED_STATUSES, summary_reviewed_at__isnull=False)
        .select_related("category", "area")
        .order_by("resolved_at", "id")
    )
    return [item_of(d) for d in rows]


def notice_item(notice: PublicNotice, pk: int) -> Demand:
    """One demand on the notice, or the refusal a page shows."""
    demand: Demand | None = notice.demands.filter(pk=pk).first()
    if demand is None:
        raise ValidationError(_("This item is not on the notice."), code="not_an_item")
    return demand


def item_of(demand: Demand) -> dict[str, Any]:
    """What a notice keeps of one demand: nothing a reviewer has not cleared."""
    resolved = timezone.localdate(demand.resolved_at) if demand.resolved_at else None
    return {
        "id": demand.pk,
        "summary": demand.public_summary,
        "category": demand.category.name,
        "area": demand.area.name,
        "resolved_on": resolved.isoformat() if resolved else "",
    }


def figures_of(stats: DemandStats) -> dict[str, Any]:
    """The numbers of a period as plain JSON; rates are percentages as text ("96.52"), or None."""
    figures: dict[str, Any] = asdict(stats)
    figures["counted"] = stats.counted
    for name in ("resolution", "on_time", "satisfaction"):
        rate = getattr(stats, f"{name}_rate")
        figures[f"{name}_rate"] = None if rate is None else str(rate)
        figures[f"{name}_formula"] = getattr(stats, f"{name}_formula")
    return figures


def notice_figures(notice: PublicNotice) -> dict[str, Any]:
    """Frozen at publication; a draft shows the figures as they stand now."""
    if notice.status == PublicNotice.Status.PUBLISHED:
        return dict(notice.figures)
    return figures_of(demand_stats(organization=notice.organization, start=notice.starts_on, end=notice.ends_on))

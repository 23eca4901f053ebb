"""Demands through the API: the list a caller may see (filtered, paginated, phone masked), one
demand, its timeline, and the figures of a subtree and period.

Registered by importing this module in lianxin/demands/api/__init__.py; it adds its endpoints to the
one demands router. Scope as on the pages: out of scope = 404.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.periods import period_from
from lianxin.core.selectors import event_list_for
from lianxin.demands.api.router import router
from lianxin.demands.models import Demand
from lianxin.demands.selectors import stats as st
from lianxin.demands.selectors.handling import access_demand, category_by_code, demand_list_visible_to
from lianxin.organizations.selectors import access_subtree, area_by_code, organization_by_code


class DemandOut(Schema):
    id: int
    title: str
    description: str
    status: str
    status_label: str
    category: str = Field(..., alias="category.code")
    category_name: str = Field(..., alias="category.name")
    area: str = Field(..., alias="area.code")
    area_name: str = Field(..., alias="area.name")
    address: str
    source: str
    organization_code: str = Field(..., alias="organization.code", description="the collecting organization")
    organization_name: str = Field(..., alias="organization.name")
    responsible_unit_code: str | None
    responsible_unit_name: str | None
    deadline: date | None
    overdue: bool = Field(..., description="being handled with a deadline before today")
    submitter_phone: str = Field(..., alias="submitter_phone_masked", description="masked: 139****5678")
    resolution: str
    reason: str
    duplicate_of_id: int | None
    hot_spot_id: int | None
    satisfaction: str = Field(..., description="the latest follow-up: satisfied, basic, unsatisfied or empty")
    rework_count: int = Field(..., description="times sent back by an unsatisfied follow-up")
    created_at: datetime
    accepted_at: datetime | None
    assigned_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_status_label(obj: Demand) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_responsible_unit_code(obj: Demand) -> str | None:
        return obj.responsible_unit.code if obj.responsible_unit else None

    @staticmethod
    def resolve_responsible_unit_name(obj: Demand) -> str | None:
        return obj.responsible_unit.name if obj.responsible_unit else None

    @staticmethod
    def resolve_overdue(obj: Demand) -> bool:
        return bool(obj.status == Demand.Status.ASSIGNED and obj.deadline and obj.deadline < timezone.localdate())


class DemandQuery(Schema):
    status: str | None = Field(None, description="one status, or several separated by commas")
    category: str | None = Field(None, description="a category code")
    source: str | None = None
    org: str | None = Field(None, description="collecting organization code: it and its subtree")
    unit: str | None = Field(None, description="responsible unit code: it and its subtree")
    area: str | None = Field(None, description="area code: it and everything under it")
    overdue: bool = Field(False, description="only demands being handled past their deadline")
    q: str | None = Field(None, description="words in the title")
    date_from: str | None = Field(None, alias="from", description="collected on or after, YYYY-MM-DD")
    date_to: str | None = Field(None, alias="to", description="collected on or before, YYYY-MM-DD")


class EventOut(Schema):
    at: datetime
    verb: str
    from_state: str
    to_state: str
    note: str
    actor: str | None

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.display_name if obj.actor else None


class StatsQuery(Schema):
    org: str | None = Field(None, description="organization code: what it and everything under it collected")
    date_from: str | None = Field(None, alias="from", description="YYYY-MM-DD, included; default 1 January")
    date_to: str | None = Field(None, alias="to", description="YYYY-MM-DD, included; default today")
    area: str | None = Field(None, description="narrow to an area code")
    category: str | None = Field(None, description="narrow to a category code")
    source: str | None = Field(None, description="narrow to a source")
    unit: str | None = Field(None, description="narrow to a responsible unit code, or 'unassigned'")


class StatsOut(Schema):
    organization_code: str
    organization_name: str
    date_from: date = Field(..., serialization_alias="from")
    date_to: date = Field(..., serialization_alias="to")
    collected: int
    accepted: int = Field(..., description="accepted, being handled, resolved or closed unresolved")
    resolved: int = Field(..., description="resolved, followed up or not; never closed-unresolved")
    closed_unresolved: int
    duplicates: int
    not_ours: int
    overdue: int
    resolution_rate: float | None = Field(
        ..., description="percent: resolved / (collected - duplicates - not_ours); null when that is 0"
    )
    resolution_formula: str = Field(..., description='both parts, e.g. "18487 / 19153 = 96.52%"')
    on_time_rate: float | None = Field(..., description="percent: resolved on or before the deadline / resolved")
    satisfaction_rate: float | None = Field(
        ..., description="percent: satisfied or basically satisfied / followed up (latest follow-up)"
    )


def _refused(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_filter")


def _by_code(query: DemandQuery, qs: QuerySet[Demand]) -> QuerySet[Demand]:
    """The organization, unit and area filters: each code names a node, and its subtree is kept."""
    # Any node: a caller's demands may be handled by a unit or lie in an area outside its own subtree.
    for code, field in ((query.org, "organization"), (query.unit, "responsible_unit"), (query.area, "area")):
        if code:
            node = area_by_code(code) if field == "area" else organization_by_code(user=None, code=code)
            if node is None:
                raise _refused(_("There is no organization or area with the code “%(code)s”.") % {"code": code})
            qs = qs.filter(**{f"{field}__path__startswith": node.path})
    return qs


def _filtered(qs: QuerySet[Demand], query: DemandQuery) -> QuerySet[Demand]:
    """Apply the list filters; an unknown code or a bad date is refused (422)."""
    if query.status:
        statuses = [s.strip() for s in query.status.split(",") if s.strip()]
        unknown = [s for s in statuses if s not in Demand.Status.values]
        if unknown:
            raise _refused(_("Unknown status %(value)s.") % {"value": ", ".join(unknown)})
        qs = qs.filter(status__in=statuses)
    if query.category:
        if category_by_code(query.category) is None:
            raise _refused(_("Unknown demand category %(value)s.") % {"value": query.category})
        qs = qs.filter(category__code=query.category)
    if query.source:
        if query.source not in Demand.Source.values:
            raise _refused(_("There is no demand source “%(code)s”.") % {"code": query.source})
        qs = qs.filter(source=query.source)
    qs = _by_code(query, qs)
    if query.overdue:
        qs = qs.filter(status=Demand.Status.ASSIGNED, deadline__lt=timezone.localdate())
    for word in (query.q or "").split():
        qs = qs.filter(Q(title__icontains=word))
    if query.date_from or query.date_to:
        low, high = period_from(query.date_from, query.date_to).bounds
        qs = qs.filter(created_at__gte=low, created_at__lt=high)
    return qs


@router.get("", response=list[DemandOut])
@paginate(PageNumberPagination, page_size=50)
def list_demands(request: HttpRequest, query: Query[DemandQuery]) -> QuerySet[Demand]:
    """The demands the caller may see, newest first."""
    return _filtered(demand_list_visible_to(user=request.user), query).order_by("-created_at", "-id")


@router.get("/stats", response=StatsOut, by_alias=True)
def demand_figures(request: HttpRequest, query: Query[StatsQuery]) -> dict[str, Any]:
    """The figures of what a subtree collected in a period, as on the figures page."""
    org = access_subtree(request.user, query.org)
    period = period_from(query.date_from, query.date_to)
    params = {k: v for k in ("area", "category", "source", "unit") if (v := getattr(query, k))}
    narrowing, _query = st.narrowing_from(params)
    s = st.demand_stats(organization=org, start=period.start, end=period.end, **narrowing)

    def rate(value: Any) -> float | None:
        return None if value is None else float(value)

    return {
        "organization_code": org.code,
        "organization_name": org.name,
        "date_from": period.start,
        "date_to": period.end,
        "collected": s.collected,
        "accepted": s.accepted,
        "resolved": s.resolved,
        "closed_unresolved": s.closed_unresolved,
        "duplicates": s.duplicates,
        "not_ours": s.not_ours,
        "overdue": s.overdue,
        "resolution_rate": rate(s.resolution_rate),
        "resolution_formula": s.resolution_formula,
        "on_time_rate": rate(s.on_time_rate),
        "satisfaction_rate": rate(s.satisfaction_rate),
    }


@router.get("/{int:pk}", response=DemandOut)
def get_demand(request: HttpRequest, pk: int) -> Demand:
    return access_demand(request.user, pk)


@router.get("/{int:pk}/timeline", response=list[EventOut])
def demand_timeline(request: HttpRequest, pk: int) -> Any:
    """Every change to the demand, newest first."""
    return event_list_for(access_demand(request.user, pk))

"""Reads of where demands come from: visits, research topics, 民生面对面 sessions.

They are scoped like demands: the admins whose roster scope holds the record's organization
see it and record demands from it; anyone else gets "not found".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.community import permissions as community_permissions
from lianxin.community.selectors.reports import access_report
from lianxin.core.params import id_or_none
from lianxin.demands.models import Demand, FaceToFace, ResearchTopic, Visit
from lianxin.demands.rules.sources import Link, link_for, source_object
from lianxin.demands.selectors.handling import access_demand, demand_list_visible_to
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.selectors import organization_by_code
from lianxin.volunteering.selectors.orders import access_order
from lianxin.volunteering.selectors.sessions import access_session
from lianxin.wishes.selectors import access_wish

# `?source=` values of the "new demand" page and the records they name.
SourceRecord = Visit | ResearchTopic | FaceToFace
SOURCE_MODELS: dict[str, type[Visit] | type[ResearchTopic] | type[FaceToFace]] = {
    Demand.Source.VISIT: Visit,
    Demand.Source.RESEARCH: ResearchTopic,
    Demand.Source.FACE_TO_FACE: FaceToFace,
}


def _authenticated(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_record_sources(user: Viewer) -> bool:
    """Organization admins record visits, research topics and sessions for their subtree."""
    return _authenticated(user) and not roster_scope(user).is_empty


def can_record_for(user: Viewer, organization: Organization) -> bool:
    return _authenticated(user) and roster_scope(user).contains(organization.path)


def can_edit_source(user: Viewer, obj: SourceRecord) -> bool:
    return can_record_for(user, obj.organization)


def can_conclude(user: Viewer, topic: ResearchTopic) -> bool:
    return topic.status == ResearchTopic.Status.ONGOING and can_record_for(user, topic.organization)


def organizations_for(user: Viewer) -> QuerySet[Organization]:
    """The active organizations a user may record sources for, in tree order."""
    scope = roster_scope(user)
    if scope.is_empty:
        none: QuerySet[Organization] = Organization.objects.none()
        return none
    found: QuerySet[Organization] = Organization.objects.filter(scope.q("path"), status=Organization.Status.ACTIVE)
    return found.order_by("path")


def organization_for_filter(user: Viewer, code: str) -> Organization | None:
    """The organization a list's `?org=` names among those the user records sources for, or None."""
    if not code.strip():
        return None
    return organization_by_code(user=user, code=code, active_only=True, scope=roster_scope(user))


def areas_within(area_paths: Iterable[str]) -> QuerySet[Area]:
    """The areas inside the areas with these paths (areas are public place names), in tree order."""
    paths = sorted(set(area_paths))
    kept = [p for p in paths if not any(p != k and p.startswith(k) for k in paths)]
    if not kept:
        none: QuerySet[Area] = Area.objects.none()
        return none
    found: QuerySet[Area] = Area.objects.filter(reduce(or_, (Q(path__startswith=p) for p in kept)))
    return found.order_by("path")


def topics_to_choose(*, user: Viewer, keep: object = None) -> QuerySet[ResearchTopic]:
    """The ongoing topics a visit may be recorded under, and the one it is already under (`keep`)."""
    ongoing = topic_list_visible_to(user=user).filter(status=ResearchTopic.Status.ONGOING)
    key = id_or_none(keep)
    return ongoing | ResearchTopic.objects.filter(pk=key) if key is not None else ongoing


@dataclass
class SourceFilters:
    organization: Organization | None = None  # this organization and its subtree
    kind: str = ""  # a Visit.Kind for visits
    key_only: bool = False  # key research topics only
    date_from: date | None = None
    date_to: date | None = None


def _scoped(qs: QuerySet[Any], user: Viewer, filters: SourceFilters | None) -> QuerySet[Any]:
    qs = qs.filter(roster_scope(user).q("organization__path"))
    if filters is not None and filters.organization is not None:
        qs = qs.filter(organization__path__startswith=filters.organization.path)
    return qs


def visit_list_visible_to(*, user: Viewer, filters: SourceFilters | None = None) -> QuerySet[Visit]:
    qs = _scoped(Visit.objects.all(), user, filters)
    if filters is not None:
        if filters.kind in Visit.Kind.values:
            qs = qs.filter(kind=filters.kind)
        if filters.date_from:
            qs = qs.filter(visited_on__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(visited_on__lte=filters.date_to)
    return qs.select_related("organization", "area", "topic").order_by("-visited_on", "-id")


def topic_list_visible_to(*, user: Viewer, filters: SourceFilters | None = None) -> QuerySet[ResearchTopic]:
    qs = _scoped(ResearchTopic.objects.all(), user, filters)
    if filters is not None:
        if filters.key_only:
            qs = qs.filter(is_key=True)
        # A topic belongs to a period when its dates overlap it.
        if filters.date_from:
            qs = qs.filter(ends_on__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(starts_on__lte=filters.date_to)
    return qs.select_related("organization").order_by("-starts_on", "-id")


@dataclass(frozen=True)
class TopicCounts:
    topics: int
    key: int
    concluded: int


def topic_counts(qs: QuerySet[ResearchTopic]) -> TopicCounts:
    """ "N topics, M key" for a list, in one query (seed 001: 636 topics, 140 key)."""
    row = qs.order_by().aggregate(
        topics=Count("id"),
        key=Count("id", filter=Q(is_key=True)),
        concluded=Count("id", filter=Q(status=ResearchTopic.Status.CONCLUDED)),
    )
    return TopicCounts(topics=row["topics"], key=row["key"], concluded=row["concluded"])


def face_to_face_list_visible_to(*, user: Viewer, filters: SourceFilters | None = None) -> QuerySet[FaceToFace]:
    qs = _scoped(FaceToFace.objects.all(), user, filters)
    if filters is not None:
        if filters.date_from:
            qs = qs.filter(held_on__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(held_on__lte=filters.date_to)
    return qs.select_related("organization", "area").order_by("-held_on", "-id")


R = TypeVar("R", Visit, ResearchTopic, FaceToFace)


def _access(qs: QuerySet[R], user: Viewer, pk: int) -> R:
    obj = qs.filter(roster_scope(user).q("organization__path"), pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def access_visit(user: Viewer, pk: int) -> Visit:
    return _access(Visit.objects.select_related("organization", "area", "topic"), user, pk)


def access_topic(user: Viewer, pk: int) -> ResearchTopic:
    return _access(ResearchTopic.objects.select_related("organization"), user, pk)


def access_face_to_face(user: Viewer, pk: int) -> FaceToFace:
    return _access(FaceToFace.objects.select_related("organization", "area"), user, pk)


def topic_visits(topic: ResearchTopic) -> QuerySet[Visit]:
    """The visits recorded under a topic, newest first (the topic is already in the viewer's scope)."""
    return topic.visits.select_related("area").order_by("-visited_on", "-id")


def source_record_for(user: Viewer, source: str, source_id: object) -> SourceRecord:
    """The record named by `?source=visit&source_id=7` on the new-demand page; 404 when unknown or out of scope."""
    model = SOURCE_MODELS.get(source)
    try:
        pk = int(str(source_id))
    except ValueError:
        raise Http404 from None
    if model is Visit:
        return access_visit(user, pk)
    if model is ResearchTopic:
        return access_topic(user, pk)
    if model is FaceToFace:
        return access_face_to_face(user, pk)
    raise Http404


def demands_from(*, user: Viewer, obj: models.Model) -> QuerySet[Demand]:
    """The demands collected from `obj` that the viewer may see, newest first."""
    return demand_list_visible_to(user=user).filter(
        source_type=ContentType.objects.get_for_model(obj), source_id=obj.pk
    )


def demands_from_topic(*, user: Viewer, topic: ResearchTopic) -> QuerySet[Demand]:
    """A topic's own demands and those collected on its visits."""
    visits = list(topic.visits.values_list("pk", flat=True))
    return demand_list_visible_to(user=user).filter(
        Q(source_type=ContentType.objects.get_for_model(ResearchTopic), source_id=topic.pk)
        | Q(source_type=ContentType.objects.get_for_model(Visit), source_id__in=visits)
    )


def _service_records_page(user: Viewer, pk: int) -> None:
    # A service record is shown on the community admins' page (see rules.sources), not on its own.
    if not community_permissions.manages_any(user):
        raise Http404


# For each kind of source record, the lookup its page starts with: it raises 404 for a viewer outside its scope.
SOURCE_PAGE_ACCESS: dict[str, Callable[[Viewer, int], object]] = {
    "demands.visit": access_visit,
    "demands.researchtopic": access_topic,
    "demands.facetoface": access_face_to_face,
    "demands.demand": access_demand,
    "wishes.wish": access_wish,
    "volunteering.order": access_order,
    "volunteering.session": access_session,
    "community.communityreport": access_report,
    "community.servicerecord": _service_records_page,
}


def source_link_for(*, user: Viewer, demand: Demand) -> Link | None:
    """Where a demand came from, as its viewer may follow it: the label always, the address only
    when the viewer may open that page (a handler may see a demand but not the visit it came from)."""
    obj = source_object(demand)
    link = link_for(obj) if obj is not None else None
    if obj is None or link is None:
        return None
    access = SOURCE_PAGE_ACCESS.get(obj._meta.label_lower)
    try:
        if access is None:
            raise Http404
        access(user, obj.pk)
    except Http404:
        return link[0], ""
    return link

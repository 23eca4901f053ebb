"""Where a demand came from: a label and the URL of the record it was collected from.

A demand points at its source record through source_type/source_id (a visit, a research topic,
a 民生面对面 session, a wish, an order, a community record...). Each known model has one entry
here saying how to name it and where its page is; a model without a page of its own links to the
nearest page that shows it. A source record that no longer exists gives None, like no source.
"""

from collections.abc import Callable

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from lianxin.demands.models import Demand, FaceToFace, ResearchTopic, Visit

Link = tuple[str, str]


def _visit(obj: Visit) -> Link:
    return _("Visit: %(name)s") % {"name": obj}, reverse("demands:visit_detail", args=[obj.pk])


def _topic(obj: ResearchTopic) -> Link:
    return _("Research topic: %(name)s") % {"name": obj.title}, reverse("demands:topic_detail", args=[obj.pk])


def _face_to_face(obj: FaceToFace) -> Link:
    return (
        _("Face-to-face session: %(name)s") % {"name": obj.title},
        reverse("demands:face_to_face_detail", args=[obj.pk]),
    )


def _wish(obj: models.Model) -> Link:
    return _("Micro-wish: %(name)s") % {"name": getattr(obj, "title", obj)}, reverse("wishes:detail", args=[obj.pk])


def _order(obj: models.Model) -> Link:
    return _("Service order #%(pk)s") % {"pk": obj.pk}, reverse("volunteering:order_detail", args=[obj.pk])


def _session(obj: models.Model) -> Link:
    return (
        _("Volunteer session: %(name)s") % {"name": getattr(obj, "title", obj)},
        reverse("volunteering:session_detail", args=[obj.pk]),
    )


def _community_report(obj: models.Model) -> Link:
    return _("Community report #%(pk)s") % {"pk": obj.pk}, reverse("community:report_detail", args=[obj.pk])


def _service_record(obj: models.Model) -> Link:
    # A service record has no page of its own; the community's management page lists it.
    return _("Community service record #%(pk)s") % {"pk": obj.pk}, reverse("community:manage")


def _demand(obj: models.Model) -> Link:
    return _("Demand: %(name)s") % {"name": getattr(obj, "title", obj)}, reverse("demands:detail", args=[obj.pk])


SOURCES: dict[str, Callable[..., Link]] = {
    "demands.visit": _visit,
    "demands.researchtopic": _topic,
    "demands.facetoface": _face_to_face,
    "demands.demand": _demand,
    "wishes.wish": _wish,
    "volunteering.order": _order,
    "volunteering.session": _session,
    "community.communityreport": _community_report,
    "community.servicerecord": _service_record,
}


def source_object(demand: Demand) -> models.Model | None:
    """The record a demand was collected from, or None (no source, or since deleted)."""
    if demand.source_type_id is None or demand.source_id is None:
        return None
    source_type = demand.source_type
    model = source_type.model_class() if source_type is not None else None
    if model is None:
        return None
    return model._default_manager.filter(pk=demand.source_id).first()


def link_for(obj: models.Model) -> Link | None:
    """The label and URL of any record a demand can come from; None for an unknown kind."""
    build = SOURCES.get(obj._meta.label_lower)
    if build is None:
        return None
    try:
        return build(obj)
    except NoReverseMatch:
        return None


def source_link(demand: Demand) -> Link | None:
    """The label and URL of the record a demand came from, or None when it has none."""
    obj = source_object(demand)
    if obj is None:
        return None
    return link_for(obj)

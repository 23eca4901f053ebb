"""Reads behind GET requests: the standard GeoReport filters over every demand.

Every demand is listed (GeoReport is a public register of service requests); each row carries
`open311_full`, whether the reader's key reaches it (then its description, address and
coordinates are shown), and `open311_updated`, the time of its latest timeline event.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Max, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.core.params import ParamError, datetime_param, id_or_none
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.open311.formats import Open311Error
from lianxin.demands.permissions import visible_q

# The spec's defaults: a span of at most 90 days, at most 1000 requests.
MAX_SPAN = dt.timedelta(days=90)
MAX_REQUESTS = 1000


def _annotated(user: User | None) -> QuerySet[Demand]:
    last_event = (
        Event.objects.filter(subject_type=ContentType.objects.get_for_model(Demand), subject_id=OuterRef("pk"))
        .order_by()
        .values("subject_id")
        .annotate(last=Max("at"))
        .values("last")
    )
    if user is None:
        full: Any = Value(False)
    else:
        full = Case(When(visible_q(user), then=Value(True)), default=Value(False), output_field=BooleanField())
    return Demand.objects.select_related("category", "area", "responsible_unit").annotate(
        open311_full=full, open311_updated=Subquery(last_event)
    )


def open311_request(*, user: User | None, pk: str) -> Demand:
    """One service request by id, or the 404 of the error format."""
    demand = _annotated(user).filter(pk=key).first() if (key := id_or_none(pk)) else None
    if demand is None:
        raise Open311Error(404, _("No service request has the id %(id)s.") % {"id": pk})
    return demand


def _csv(params: Mapping[str, str], name: str) -> list[str]:
    return [part.strip() for part in params.get(name, "").split(",") if part.strip()]


def _moment(params: Mapping[str, str], name: str) -> dt.datetime | None:
    """An ISO 8601 date-time (a bare date means its start) in the calendar's sane range; a naive one is local time."""
    try:
        return datetime_param(params.get(name, ""), name=name)
    except ParamError as error:
        raise Open311Error(400, error.message) from None


def _by_ids(qs: QuerySet[Demand], ids: list[str]) -> QuerySet[Demand]:
    keys = [id_or_none(i) for i in ids]
    bad = [i for i, key in zip(ids, keys, strict=True) if key is None]
    if bad:
        raise Open311Error(400, _("service_request_id must be numbers: %(ids)s.") % {"ids": ", ".join(bad)})
    return qs.filter(pk__in=keys)


def open311_request_list(*, user: User | None, params: Mapping[str, str]) -> list[Demand]:
    """The requests matching the GeoReport filters, newest first, at most 1000.

    service_request_id (comma-separated) overrides every other filter. Otherwise the span is
    start_date..end_date on the requested time, by default the last 90 days, never longer.
    """
    qs = _annotated(user).order_by("-created_at", "-id")
    ids = _csv(params, "service_request_id")
    if ids:
        return list(_by_ids(qs, ids)[:MAX_REQUESTS])

    codes = _csv(params, "service_code")
    if codes:
        known = set(DemandCategory.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise Open311Error(400, _("Unknown service_code: %(codes)s.") % {"codes": ", ".join(unknown)})
        qs = qs.filter(category__code__in=codes)

    statuses = set(_csv(params, "status"))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open, closed or both (comma-separated)."))
    if statuses == {"open"}:
        qs = qs.filter(status__in=Demand.OPEN_STATUSES)
    elif statuses == {"closed"}:
        qs = qs.exclude(status__in=Demand.OPEN_STATUSES)

    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if end is None:
        end = start + MAX_SPAN if start else timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end < start:
        raise Open311Error(400, _("end_date must not be before start_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    return list(qs.filter(created_at__gte=start, created_at__lte=end)[:MAX_REQUESTS])

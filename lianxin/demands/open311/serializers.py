"""Demand categories and demands as GeoReport v2 services and service requests.

A service request never carries the resident's name or phone. What else it shows depends on
the reader: staff whose API key reaches the demand (demands.permissions.visible_q) read its
description, address and coordinates; everyone else reads the public fields only: the category,
the status, the dates, the area, the responsible unit and the summary a reviewer cleared of
personal data (nothing of the resident's own words until then).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.demands.models import Demand, DemandCategory

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The date this implementation of the spec last changed in a way clients can notice.
CHANGESET = "2025-01-01T00:00:00+08:00"

Status = Demand.Status


def iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def deadline_datetime(day: dt.date | None) -> str | None:
    """A deadline is a whole working day: the request is expected by the end of it."""
    if day is None:
        return None
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    return iso(timezone.make_aware(end))


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def open311_status(status: str) -> str:
    """GeoReport knows two statuses: open while waiting or being handled, closed after."""
    return "open" if status in Demand.OPEN_STATUSES else "closed"


def discovery_dict(*, url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": _("Send questions to the city's Party-mass service centre."),
        "key_service": _("API keys are issued by a city administrator under API tokens."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def service_notice(category: DemandCategory) -> str:
    return _("Handled within %(days)s working days of assignment.") % {"days": category.deadline_days}


def service_dict(category: DemandCategory) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": category.name,
        "group": _("Residents' demands"),
    }


def service_definition_dict(category: DemandCategory) -> dict[str, Any]:
    return {"service_code": category.code, "attributes": []}


def _status_notes(demand: Demand, full: bool) -> str:
    if demand.summary_reviewed_at and demand.public_summary:
        return demand.public_summary
    if full and demand.reason:
        return demand.reason
    return str(demand.get_status_display())


def request_dict(demand: Demand, *, full: bool, updated: dt.datetime | None = None) -> dict[str, Any]:
    """One demand as a service request; `full` for a reader whose key reaches it."""
    reviewed = bool(demand.summary_reviewed_at and demand.public_summary)
    unit = demand.responsible_unit
    if full:
        description: str | None = demand.description
        address: str | None = demand.address or demand.area.name
        lat, long = _number(demand.lat), _number(demand.long)
    else:
        description = demand.public_summary if reviewed else None
        address = demand.area.name
        lat = long = None
    return {
        "service_request_id": str(demand.pk),
        "status": open311_status(demand.status),
        "status_notes": _status_notes(demand, full),
        "service_name": demand.category.name,
        "service_code": demand.category.code,
        "description": description,
        "agency_responsible": (unit.short_name or unit.name) if unit else None,
        "service_notice": service_notice(demand.category),
        "requested_datetime": iso(demand.created_at),
        "updated_datetime": iso(max(updated, demand.created_at) if updated else demand.created_at),
        "expected_datetime": deadline_datetime(demand.deadline),
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": long,
        "media_url": None,
    }


def created_dict(demand: Demand) -> dict[str, Any]:
    """The answer to a POST: the new request's id and what to expect."""
    return {"service_request_id": str(demand.pk), "service_notice": service_notice(demand.category)}

"""Demand rows in bulk for the figures tests: any state directly, without the handling services,
so thousands of rows (the seed 001 figures) are written in one statement."""

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from lianxin.demands.models import Demand, DemandCategory
from lianxin.organizations.models import Organization


def category(code: str = "environment") -> DemandCategory:
    return DemandCategory.objects.get(code=code)


def demand_row(organization: Organization, **fields: Any) -> Demand:
    """An unsaved demand collected by `organization`; any field may be given."""
    values: dict[str, Any] = {
        "title": "楼道堆放杂物",
        "description": "楼道里堆放杂物，影响通行。",
        "category": fields.pop("category", None) or category(),
        "area": organization.area,
        "source": Demand.Source.STAFF,
        "organization": organization,
    }
    values.update(fields)
    return Demand(**values)


def bulk(rows: list[Demand], collected_on: date | None = None) -> list[Demand]:
    """Write the rows in one statement; `collected_on` back-dates them (created_at is set on insert)."""
    made = Demand.objects.bulk_create(rows, batch_size=2000)
    if collected_on is not None:
        at = datetime.combine(collected_on, time(10), tzinfo=timezone.get_default_timezone())
        Demand.objects.filter(pk__in=[d.pk for d in made]).update(created_at=at)
    return made


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())

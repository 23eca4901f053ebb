"""Refreshing the demand tallies (models/tallies.py) from the demands (ADR 16).

A refresh recomputes, exactly from the demands, the cells of every (collecting organization, month
of collection) with a demand that has a timeline event since the last refresh: collected, accepted,
assigned, resolved, closed, reopened. Demands written without an event (the demo's bulk load,
fixtures copied in SQL) are counted by a rebuild (`tallies_refresh --all`)."""

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lianxin.core.models import Event
from lianxin.core.periods import Period
from lianxin.core.tallies import Cells, monthly_cells_write
from lianxin.demands.models import Demand, DemandTally

DEMAND_TALLIES = "demands"


def demand_tallies_refresh(since: datetime | None = None) -> int:
    """Make the demand tallies that may have changed since `since` (all, when None) exact."""
    return monthly_cells_write(
        DemandTally._meta.db_table,
        keys=("organization_id", "month", "status"),
        values=("demands",),
        cells=_cells,
        changed=None if since is None else _changed_since(since),
    )


def _cells(organizations: list[int] | None, period: Period | None) -> Cells:
    demands = Demand.objects.all()
    if organizations is not None:
        demands = demands.filter(organization_id__in=organizations)
    if period is not None:
        start, end = period.bounds
        demands = demands.filter(created_at__gte=start, created_at__lt=end)
    grouped = (
        demands.annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("organization_id", "month", "status")
        .annotate(demands=Count("id"))
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    return f"SELECT organization_id, month, status, demands FROM ({sql}) g", params


def _changed_since(since: datetime) -> set[tuple[int, date]]:
    """The (collecting organization, day collected) of every demand with a timeline event since `since`."""
    events = Event.objects.filter(subject_type=ContentType.objects.get_for_model(Demand), at__gte=since)
    rows = Demand.objects.filter(pk__in=events.values("subject_id")).values_list("organization_id", "created_at")
    return {(organization_id, timezone.localtime(created_at).date()) for organization_id, created_at in rows}

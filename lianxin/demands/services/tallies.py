"""Refreshing the demand tallies (models/tallies.py) from the demands (ADR 16).

Each cell holds an organization's own count and its whole subtree's. A refresh recounts, exactly
from the demands, the own cells of every (collecting organization, month of collection) with a
demand that has a timeline event since the last refresh, and adds the change to its ancestors: collected, accepted,
assigned, resolved, closed, reopened. Demands written without an event (the demo's bulk load,
fixtures copied in SQL) are counted by a rebuild (`tallies_refresh --all`)."""

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lianxin.core.models import Event
from lianxin.core.periods import Period
from lianxin.core.tallies import Cells, MonthlyTally, monthly_cells_write
from lianxin.demands.models import Demand, DemandTally
from lianxin.organizations.rollups import rolled_up

DEMAND_TALLIES = "demands"


def demand_tallies_refresh(since: datetime | None = None) -> int:
    """Make the demand tallies that may have changed since `since` (all, when None) exact."""
    tally = MonthlyTally(
        table=DemandTally._meta.db_table,
        keys=("status",),
        values=("demands",),
        cells=_cells,
        roll_up=lambda cells: rolled_up(cells, keys=("month", "status"), values=("demands",)),
    )
    return monthly_cells_write(tally, None if since is None else _changed_since(since))


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

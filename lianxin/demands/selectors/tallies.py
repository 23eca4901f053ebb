"""Whole-subtree sums of the demand tallies (models/tallies.py) over months of collection: a read of
the organization's own cells, one per month and state, whatever its subtree (ADR 16)."""

from datetime import datetime

from django.db.models import Sum

from lianxin.core.periods import Period
from lianxin.core.tallies import tallied_at
from lianxin.demands.models import DemandTally
from lianxin.demands.services.tallies import DEMAND_TALLIES
from lianxin.organizations.models import Organization


def demand_states_tallied(organization: Organization, months: Period) -> dict[str, int]:
    """Per state, the demands collected by the organization and everything under it in the months
    of `months` (each month the period touches, whole), as of the last refresh. States with none are absent."""
    rows = (
        DemandTally.objects.filter(
            organization=organization, month__gte=months.start.replace(day=1), month__lte=months.end.replace(day=1)
        )
        .values_list("status")
        .annotate(n=Sum("demands_subtree"))
        .order_by("status")
    )
    return {status: n for status, n in rows if n}


def demands_tallied_at() -> datetime | None:
    return tallied_at(DEMAND_TALLIES)

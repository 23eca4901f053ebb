"""Whole-subtree sums of the activity tallies (models/tallies.py) over a span of months (ADR 16)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Sum

from lianxin.activities.models import ActivityTally
from lianxin.activities.services.tallies import ACTIVITY_TALLIES
from lianxin.core.tallies import tallied_at
from lianxin.organizations.models import Organization


@dataclass(frozen=True)
class KindTally:
    held: int  # activities held
    present: int  # attendance rows marked present (not distinct members)


def held_by_kind_tallied(organization: Organization, start_month: date, end_month: date) -> dict[str, KindTally]:
    """Per kind, the activities held and the present attendance rows in the organization and
    everything under it, from `start_month` to `end_month` (both included; any day of each month),
    as of the last refresh. Kinds with nothing are absent."""
    rows = (
        ActivityTally.objects.filter(
            organization__path__startswith=organization.path,
            month__gte=start_month.replace(day=1),
            month__lte=end_month.replace(day=1),
        )
        .values_list("kind")
        .annotate(held=Sum("held"), present=Sum("present"))
        .order_by("kind")
    )
    return {kind: KindTally(held=held, present=present) for kind, held, present in rows if held or present}


def activities_tallied_at() -> datetime | None:
    return tallied_at(ACTIVITY_TALLIES)

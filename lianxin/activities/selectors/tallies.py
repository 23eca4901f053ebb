"""Whole-subtree sums of the activity tallies (models/tallies.py) over a span of months: a read of
the organization's own cells, one per month and kind, whatever its subtree (ADR 16)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Sum

from lianxin.activities.models import ActivityTally, Attendance
from lianxin.activities.services.tallies import ACTIVITY_TALLIES
from lianxin.core.periods import Period
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
            organization=organization, month__gte=start_month.replace(day=1), month__lte=end_month.replace(day=1)
        )
        .values_list("kind")
        .annotate(held=Sum("held_subtree"), present=Sum("present_subtree"))
        .order_by("kind")
    )
    return {kind: KindTally(held=held, present=present) for kind, held, present in rows if held or present}


def members_present_count(organization: Organization, period: Period, kind: str = "") -> int:
    """Distinct members present at least once in the organization's subtree and the period.

    Not summable from monthly tallies (one member present in two months is one member), so it is
    counted from the attendance rows, exact and current: PostgreSQL reads them index-only through
    att_org_time_kind (organization, starts_at, kind) INCLUDE (member_id, status), one range per
    organization of the subtree (ADR 16)."""
    start, end = period.bounds
    rows = Attendance.objects.filter(
        organization__in=Organization.objects.filter(path__startswith=organization.path).values("pk"),
        starts_at__gte=start,
        starts_at__lt=end,
        status=Attendance.Status.PRESENT,
    )
    if kind:
        rows = rows.filter(kind=kind)
    return rows.values("member_id").distinct().count()


def activities_tallied_at() -> datetime | None:
    return tallied_at(ACTIVITY_TALLIES)

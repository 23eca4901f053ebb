"""Refreshing the activity tallies (models/tallies.py) from activities and attendance (ADR 16).

Each cell holds an organization's own counts and its whole subtree's. A refresh recounts, exactly
from the base rows, the own cells of every (organization, month) whose activity has a timeline
event since the last refresh (planned, changed, and then the month it left too, held, cancelled,
attendance recorded or checked in) and adds the change to the subtree counts of its ancestors.
Rows written without an event (the demo's bulk load, fixtures copied in SQL) are counted by a
rebuild (`tallies_refresh --all`)."""

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField, IntegerField, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lianxin.activities.models import Activity, ActivityTally, ActivityVerb, Attendance
from lianxin.core.models import Event
from lianxin.core.periods import Period
from lianxin.core.tallies import Cells, MonthlyTally, monthly_cells_write
from lianxin.organizations.rollups import rolled_up

ACTIVITY_TALLIES = "activities"


def activity_tallies_refresh(since: datetime | None = None) -> int:
    """Make the activity tallies that may have changed since `since` (all, when None) exact."""
    tally = MonthlyTally(
        table=ActivityTally._meta.db_table,
        keys=("kind",),
        values=("held", "present"),
        cells=_cells,
        roll_up=lambda cells: rolled_up(cells, keys=("month", "kind"), values=("held", "present")),
    )
    return monthly_cells_write(tally, None if since is None else _changed_since(since))


def _grouped(qs: QuerySet[Activity] | QuerySet[Attendance], *, held: bool) -> tuple[str, tuple[object, ...]]:
    one, none = Count("id"), Value(0, output_field=IntegerField())
    grouped = (
        qs.annotate(month=TruncMonth("starts_at", output_field=DateField()))
        .values("organization_id", "month", "kind")
        .annotate(held=one if held else none, present=none if held else one)
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    return f"SELECT organization_id, month, kind, held, present FROM ({sql}) g", params


def _cells(organizations: list[int] | None, period: Period | None) -> Cells:
    activities = Activity.objects.filter(status=Activity.Status.HELD)
    attendance = Attendance.objects.filter(status=Attendance.Status.PRESENT)
    if organizations is not None:
        activities = activities.filter(organization_id__in=organizations)
        attendance = attendance.filter(organization_id__in=organizations)
    if period is not None:
        start, end = period.bounds
        activities = activities.filter(starts_at__gte=start, starts_at__lt=end)
        attendance = attendance.filter(starts_at__gte=start, starts_at__lt=end)
    (held, held_params), (present, present_params) = _grouped(activities, held=True), _grouped(attendance, held=False)
    sql = (
        "SELECT organization_id, month, kind, SUM(held) AS held, SUM(present) AS present"
        f" FROM ({held} UNION ALL {present}) u GROUP BY organization_id, month, kind"
    )
    return sql, (*held_params, *present_params)


def _changed_since(since: datetime) -> set[tuple[int, date]]:
    """The (organization, day) of every activity with a timeline event since `since`, and the day
    a changed activity was moved from."""
    events = Event.objects.filter(subject_type=ContentType.objects.get_for_model(Activity), at__gte=since)
    starts = Activity.objects.filter(pk__in=events.values("subject_id")).values_list(
        "pk", "organization_id", "starts_at"
    )
    organization_of: dict[int, int] = {}
    changed: set[tuple[int, date]] = set()
    for pk, organization_id, starts_at in starts:
        organization_of[pk] = organization_id
        changed.add((organization_id, timezone.localtime(starts_at).date()))
    for subject_id, data in events.filter(verb=ActivityVerb.CHANGED).values_list("subject_id", "data"):
        was = (data or {}).get("changes", {}).get("starts_at")
        if was and subject_id in organization_of:
            changed.add((organization_of[subject_id], timezone.localtime(datetime.fromisoformat(was[0])).date()))
    return changed

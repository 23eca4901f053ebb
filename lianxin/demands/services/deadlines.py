"""The daily run over deadlines: demands due by the next working day remind their handlers, and
overdue ones escalate (services/followup.py). `remind_demands` runs both every morning.

"Due tomorrow" is counted in working days, as the deadlines are: on a Friday the handlers hear
about Monday's deadlines, not on Sunday. A deadline reminds once: the timeline row "handler
reminded" for that deadline is the mark, and the notification's event key carries the date too.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from lianxin.core.selectors import event_list_for
from lianxin.core.services import event_record
from lianxin.core.workdays import add_working_days
from lianxin.demands.models import Demand, DemandVerb
from lianxin.demands.services.followup import demand_escalate_overdue
from lianxin.demands.services.notifying import notify_due_soon

Status = Demand.Status


def _reminded(demand: Demand, deadline: str) -> bool:
    return any(
        data.get("deadline") == deadline
        for data in event_list_for(demand).filter(verb=DemandVerb.REMINDED).values_list("data", flat=True)
    )


def demand_remind_due(*, today: date | None = None) -> int:
    """Remind the handlers of each demand being handled whose deadline falls after today and by the
    next working day, once per deadline. Returns how many were reminded; again the same day, none."""
    today = today or timezone.localdate()
    due = (
        Demand.objects.filter(status=Status.ASSIGNED, deadline__gt=today, deadline__lte=add_working_days(today, 1))
        .select_related("responsible_unit", "category")
        .order_by("deadline", "id")
    )
    count = 0
    for demand in due.iterator(chunk_size=500):
        unit, deadline = demand.responsible_unit, demand.deadline
        assert unit is not None and deadline is not None  # an assigned demand has both (a constraint)
        with transaction.atomic():
            # Locked and read again: a demand resolved, reassigned or reminded meanwhile is left alone.
            still = Demand.objects.select_for_update().filter(
                pk=demand.pk, status=Status.ASSIGNED, responsible_unit_id=unit.pk, deadline=deadline
            )
            if not list(still.values_list("pk", flat=True)) or _reminded(demand, deadline.isoformat()):
                continue
            data = {"unit": unit.name, "deadline": deadline.isoformat()}
            event_record(subject=demand, actor=None, verb=DemandVerb.REMINDED, data=data)
            notify_due_soon(demand=demand)
        count += 1
    return count


@dataclass(frozen=True)
class Reminded:
    due_soon: int
    escalated: int


def demands_remind(*, today: date | None = None) -> Reminded:
    """The morning run: deadlines coming up, then deadlines passed."""
    today = today or timezone.localdate()
    return Reminded(due_soon=demand_remind_due(today=today), escalated=demand_escalate_overdue(today=today))

"""Background work of demands: the daily run over deadlines (reminders and escalation)."""

from django_tasks import task

from lianxin.demands.services.deadlines import demands_remind
from lianxin.demands.services.followup import demand_escalate_overdue


@task()
def escalate_overdue_demands_task() -> int:
    """Escalate demands past their deadline to the responsible unit's parent and remind the handlers."""
    return demand_escalate_overdue()


@task()
def remind_demands_task() -> dict[str, int]:
    """Remind the handlers of demands due by the next working day, then escalate the overdue ones."""
    reminded = demands_remind()
    return {"due_soon": reminded.due_soon, "escalated": reminded.escalated}

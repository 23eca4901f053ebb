"""Background work of demands: escalating overdue ones (run daily)."""

from django_tasks import task

from lianxin.demands.services.followup import demand_escalate_overdue


@task()
def escalate_overdue_demands_task() -> int:
    """Escalate demands past their deadline to the responsible unit's parent and remind the handler."""
    return demand_escalate_overdue()

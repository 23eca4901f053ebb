"""Background work of notifications: raising an event's notifications, sending each delivery, the upkeep."""

from typing import Any

from django_tasks import task

from lianxin.notifications.channels import delivery_send
from lianxin.notifications.models import Delivery
from lianxin.notifications.raising import notification_raise
from lianxin.notifications.upkeep import notifications_upkeep


@task()
def notification_raise_task(payload: dict[str, Any]) -> int:
    """Write one event's notifications, then hand each delivery due now to a worker."""
    raised = notification_raise(**payload)
    for delivery_id in raised.deliveries:
        delivery_send_task.enqueue(delivery_id)
    return raised.notifications


@task()
def delivery_send_task(delivery_id: int) -> str:
    """Send one delivery (channels.py); a failure is tried again when its back-off has passed."""
    status = delivery_send(delivery_id)
    if status == Delivery.Status.PENDING:
        delivery_send_later(delivery_id)
    return status


def delivery_send_later(delivery_id: int) -> bool:
    """Queue the next try of a pending delivery for its `next_attempt_at`, when the task backend can
    defer a task; otherwise (and if this task is lost) the upkeep sends it once it is due."""
    if not delivery_send_task.get_backend().supports_defer:
        return False
    due = (
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if due is None:
        return False
    delivery_send_task.using(run_after=due).enqueue(delivery_id)
    return True


@task()
def notifications_upkeep_task() -> dict[str, int]:
    """Every minute or five: due and retried deliveries, quiet hours ended, digests, stuck sends."""
    return notifications_upkeep().as_dict()

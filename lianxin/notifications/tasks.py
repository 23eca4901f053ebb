"""Background work of notifications: raising an event's notifications and sending each delivery."""

from typing import Any

from django_tasks import task

from lianxin.notifications.services import notification_raise


@task()
def notification_raise_task(payload: dict[str, Any]) -> int:
    """Write one event's notifications, then hand each delivery due now to a worker."""
    raised = notification_raise(**payload)
    for delivery_id in raised.deliveries:
        delivery_send_task.enqueue(delivery_id)
    return raised.notifications


@task()
def delivery_send_task(delivery_id: int) -> str:
    """Send one delivery (channels.py); a failure is retried later with back-off."""
    from lianxin.notifications.channels import delivery_send

    return delivery_send(delivery_id)

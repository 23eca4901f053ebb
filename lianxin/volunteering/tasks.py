"""Background work of volunteering: closing orders left unrated past the rating window."""

from django_tasks import task

from lianxin.volunteering.services.orders import order_close_unrated


@task()
def close_unrated_orders_task() -> int:
    """Close served orders not rated within LIANXIN_ORDER_RATING_DAYS as "not rated"."""
    return order_close_unrated()

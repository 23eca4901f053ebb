"""Close served orders not rated within the rating window as "not rated" (run daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from lianxin.volunteering.models.orders import rating_days
from lianxin.volunteering.services.orders import order_close_unrated


class Command(BaseCommand):
    help = "Close served orders not rated within LIANXIN_ORDER_RATING_DAYS days as not rated (never as five stars)."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = order_close_unrated()
        self.stdout.write(f"{closed} order(s) closed as not rated after {rating_days()} days.")

"""The notifications' upkeep (run every minute or five from cron): retries, quiet hours, digests, stuck sends."""

from typing import Any

from django.core.management.base import BaseCommand

from lianxin.notifications.upkeep import notifications_upkeep


class Command(BaseCommand):
    help = (
        "Send deliveries that are due (retries after back-off, lost tasks), texts held for quiet hours once they "
        "are over and the daily digests; give deliveries whose worker stopped mid-send back to the queue."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        upkept = notifications_upkeep()
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            f"{upkept.sent} sent, {upkept.digests} digest(s), {upkept.retrying} to retry, {upkept.failed} failed, "
            f"{upkept.released} released after quiet hours, {upkept.requeued} stuck given back to the queue."
        )

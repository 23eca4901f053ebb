"""The morning run over demand deadlines (daily, from cron, after quiet hours end)."""

from typing import Any

from django.core.management.base import BaseCommand

from lianxin.demands.services.deadlines import demands_remind


class Command(BaseCommand):
    help = (
        "Remind the handlers of demands due by the next working day, and escalate demands past their "
        "deadline to the responsible unit's parent organization; each deadline once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = demands_remind()
        self.stdout.write(
            f"{reminded.due_soon} demand(s) due soon reminded, {reminded.escalated} overdue demand(s) escalated."
        )

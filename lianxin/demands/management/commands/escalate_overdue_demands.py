"""Escalate demands past their deadline (run daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from lianxin.demands.services.followup import demand_escalate_overdue


class Command(BaseCommand):
    help = "Escalate demands being handled past their deadline to the responsible unit's parent organization."

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = demand_escalate_overdue()
        self.stdout.write(f"{escalated} overdue demand(s) escalated.")

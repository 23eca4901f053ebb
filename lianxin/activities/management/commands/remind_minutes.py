"""Tell secretaries of activities whose minutes are still not recorded three days after their date (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from lianxin.activities.services.reminders import MINUTES_DUE_DAYS, MINUTES_LOOKBACK_DAYS, minutes_remind


class Command(BaseCommand):
    help = (
        f"Tell the secretary of every activity still planned {MINUTES_DUE_DAYS} days after its date (its "
        f"attendance and minutes not recorded), looking back {MINUTES_LOOKBACK_DAYS} days more. "
        f"Each activity is told about once, however often this runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        late = minutes_remind()
        self.stdout.write(f"{len(late)} activity(ies) without minutes; each secretary is told once.")

"""Tell branch secretaries of development steps coming due within a month (run daily)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianxin.members.services.development_reminders import development_remind


class Command(BaseCommand):
    help = (
        "Tell each branch's secretaries of the talks with applicants, half-yearly reviews of activists and "
        "probations ending that come due within a month: one message a branch, each member's step once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="the day to remind as of, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"Not a date: {options['date']} (use YYYY-MM-DD).") from exc
        branches = development_remind(today=today)
        steps = sum(len(branch.reminders) for branch in branches)
        self.stdout.write(f"{steps} development step(s) coming due told to {len(branches)} organization(s).")

"""Remind branch secretaries of required organizational life not yet held as its period ends (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianxin.activities.selectors.compliance import DUE_SOON_DAYS
from lianxin.activities.selectors.reminders import reminder_roots
from lianxin.activities.services.compliance import compliance_remind


class Command(BaseCommand):
    help = (
        f"Record a reminder for the secretary of every branch with a required activity whose period ends "
        f"within {DUE_SOON_DAYS} days and that has not been held, and tell the secretary (once per period). "
        f"A branch is reminded at most once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", default="", help="organization code: it and everything under it (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["org"]
        roots = reminder_roots(code)
        if code and not roots:
            raise CommandError(f"No organization has the code {code}.")
        reminded = sum(len(compliance_remind(organization=root)) for root in roots)
        self.stdout.write(f"{reminded} branch(es) reminded.")

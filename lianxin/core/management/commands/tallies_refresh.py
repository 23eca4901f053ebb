"""Refresh the tallies (counts per organization) of every app: run every minute beside the upkeep."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianxin.core.tallies import tallies_refresh, tally_names


class Command(BaseCommand):
    help = (
        "Recompute the tallies (counts per organization) that changed since the last refresh, exactly from the "
        "base rows; --all rebuilds every cell (after rows were loaded or copied in SQL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", dest="full", help="Rebuild every cell.")
        parser.add_argument("names", nargs="*", help=f"Only these tallies (of: {', '.join(tally_names())}).")

    def handle(self, *args: Any, **options: Any) -> None:
        for run in tallies_refresh(full=options["full"], names=options["names"]):
            if options["verbosity"] < 1:
                continue
            if run.skipped:
                self.stdout.write(f"{run.name}: another refresh is running, left to it.")
                continue
            how = "rebuilt" if run.full else "refreshed"
            self.stdout.write(f"{run.name}: {how} in {run.took_ms} ms, {run.cells} cell(s) written.")

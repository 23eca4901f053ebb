"""Refresh the figure snapshots of large subtrees: run every minute beside the tallies."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianxin.core.snapshots import figures, snapshots_refresh


class Command(BaseCommand):
    help = (
        "Compute the figure snapshots of large subtrees that are missing or older than "
        "LIANXIN_SNAPSHOT_REFRESH_MINUTES; --force computes every one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Compute every snapshot, however fresh.")
        names = ", ".join(f.name for f in figures())
        parser.add_argument("names", nargs="*", help=f"Only these figures (of: {names}).")

    def handle(self, *args: Any, **options: Any) -> None:
        for run in snapshots_refresh(force=options["force"], names=options["names"]):
            if options["verbosity"] < 1:
                continue
            if run.skipped:
                self.stdout.write(f"{run.name}: another refresh is running, left to it.")
                continue
            self.stdout.write(
                f"{run.name}: {run.computed} computed, {run.kept} still fresh, {run.dropped} dropped, "
                f"in {run.took_ms} ms."
            )

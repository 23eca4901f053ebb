"""Fail stale roster imports and delete import files past their retention time (run every few minutes)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from lianxin.members.services.import_upkeep import import_retention, import_stale_after, roster_imports_upkeep


class Command(BaseCommand):
    help = (
        "Mark roster imports whose worker stopped as failed (no progress for LIANXIN_IMPORT_STALE_MINUTES) and "
        "delete uploaded rosters and error workbooks LIANXIN_IMPORT_RETENTION_HOURS after their import ended."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):  # the message the uploader reads on the page
            result = roster_imports_upkeep()
        self.stdout.write(
            f"{result.failed} stale import(s) marked failed (no progress for {import_stale_after()}); "
            f"{result.files_deleted} file(s) deleted ({import_retention()} after their import ended)."
        )

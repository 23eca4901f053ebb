"""python manage.py import_members FILE [--dry-run] [--error-file OUT.xlsx]

Runs as the system, with the whole city in scope. Exit status 0 when imported (or,
with --dry-run, when the file is valid), 1 when the file or any row is wrong; then
nothing is written and each bad row is printed.
"""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Scope
from lianxin.core.spreadsheets import error_workbook_write
from lianxin.members.documents.roster import ERROR_HEADER
from lianxin.members.services.imports import roster_workbook_import


class Command(BaseCommand):
    help = "Import a roster workbook (.xlsx): every row is checked first, then all are written or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        parser.add_argument("--error-file", help="when rows are wrong, write a copy of the workbook with 错误说明 here")

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        dry_run: bool = options["dry_run"]
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed below, also on errors
        except OSError as exc:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": path, "error": exc.strerror}) from exc
        with source:
            result = roster_workbook_import(
                actor=None,
                scope=Scope(everything=True),
                source=source,
                file_name=os.path.basename(path),
                dry_run=dry_run,
            )
        if result.file_error:
            raise CommandError(result.file_error)
        if result.row_errors:
            for error in result.row_errors:
                self.stdout.write(
                    _("Row %(row)d: %(messages)s") % {"row": error.row, "messages": "；".join(error.messages)}
                )
            if options["error_file"]:
                error_workbook_write(
                    source=path,
                    target=options["error_file"],
                    header_row=result.header_row,
                    errors={e.row: e.messages for e in result.row_errors},
                    error_header=ERROR_HEADER,
                )
            raise CommandError(
                _("%(bad)d of %(total)d rows have errors; nothing was imported.")
                % {"bad": len(result.row_errors), "total": result.total_rows}
            )
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        if dry_run:
            message = _(
                "Checked %(total)d rows, all valid: would create %(created)d, update %(updated)d "
                "and leave %(unchanged)d unchanged. Nothing was written."
            )
        else:
            message = _("Imported %(total)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        self.stdout.write(self.style.SUCCESS(message % {"total": result.total_rows, **counts}))

"""python manage.py import_hotline FILE [--org CODE] [--user USERNAME] [--dry-run] [--error-file OUT.xlsx]

Records a 12345 work-order workbook as demands collected by --org (default: the top of the
organization tree), entered by --user (default: the first active superuser). Exit status 0 when
recorded (or, with --dry-run, when the file is valid), 1 when the file or any row is wrong; then
nothing is written and each bad row is printed.
"""

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.demands.services.hotline import hotline_error_workbook, hotline_import
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import organization_by_code


class Command(BaseCommand):
    help = "Record a 12345 hotline work-order workbook (.xlsx) as demands: every row is checked, then all or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--org", help="code of the collecting organization (default: the top organization)")
        parser.add_argument("--user", help="username recorded as entering them (default: the first superuser)")
        parser.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        parser.add_argument("--error-file", help="when rows are wrong, write a copy of the workbook with 错误说明 here")

    def _organization(self, code: str | None) -> Organization:
        if code:
            found = organization_by_code(user=None, code=code)
            if found is None:
                raise CommandError(_("No organization has the code %(code)s.") % {"code": code})
            return found
        root: Organization | None = Organization.get_root_nodes().order_by("path").first()
        if root is None:
            raise CommandError(_("There is no organization yet."))
        return root

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(_("No active user is called %(name)s.") % {"name": username})
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("Name the user who enters the demands with --user."))
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        organization = self._organization(options["org"])
        user = self._user(options["user"])
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed below, also on errors
        except OSError as exc:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": path, "error": exc.strerror}) from exc
        with source:
            try:
                result = hotline_import(
                    actor=user, organization=organization, source=source, dry_run=options["dry_run"]
                )
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        if result.file_error:
            raise CommandError(result.file_error)
        if result.row_errors:
            for error in result.row_errors:
                self.stdout.write(
                    _("Row %(row)d: %(messages)s") % {"row": error.row, "messages": "；".join(error.messages)}
                )
            if options["error_file"]:
                hotline_error_workbook(source=path, target=options["error_file"], result=result)
            raise CommandError(
                _("%(bad)d of %(total)d rows have errors; nothing was recorded.")
                % {"bad": len(result.row_errors), "total": result.total_rows}
            )
        if options["dry_run"]:
            message = _("Checked %(total)d work orders, all valid. Nothing was written.") % {"total": result.total_rows}
        else:
            message = _("Recorded %(count)d work orders from %(file)s as demands collected by %(org)s.") % {
                "count": result.created,
                "file": os.path.basename(path),
                "org": organization.name,
            }
        self.stdout.write(self.style.SUCCESS(message))

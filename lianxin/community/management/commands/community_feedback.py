"""python manage.py community_feedback --org CODE --quarter 2026Q3 --out FILE.xlsx|FILE.docx

Writes the quarterly feedback on an organization's in-service members (its whole subtree)
and records the export in the audit trail. The file's ending chooses the format.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianxin.community.feedback import FORMATS, feedback_build, feedback_export, parse_quarter
from lianxin.organizations.models import Organization


class Command(BaseCommand):
    help = "Write the quarterly community reporting feedback of an organization as .xlsx or .docx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="organization code; its whole subtree is included")
        parser.add_argument("--quarter", required=True, help="the quarter, e.g. 2026Q3")
        parser.add_argument("--out", required=True, help="the file to write, ending in .xlsx or .docx")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(_("No organization has the code %(code)s.") % {"code": options["org"]})
        try:
            quarter = parse_quarter(options["quarter"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        out = Path(options["out"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(_("The output file must end in .xlsx or .docx."))
        feedback = feedback_build(organization=organization, quarter=quarter)
        with out.open("wb") as target:
            feedback_export(actor=None, feedback=feedback, fmt=fmt, target=target, source="command line")
        self.stdout.write(
            self.style.SUCCESS(_("%(count)d reports written to %(file)s") % {"count": len(feedback.rows), "file": out})
        )

"""python manage.py community_feedback --org CODE --quarter 2026Q3 --out FILE.xlsx|FILE.docx
python manage.py community_feedback --all [--quarter 2026Q3]

The first form writes the quarterly feedback on an organization's in-service members (its
whole subtree) and records the export in the audit trail; the file's ending chooses the
format. The second queues the quarter-end task that writes every organization's feedback
into the file storage (default: the quarter that has just ended), for a cron job on the
first day of a quarter.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianxin.community.documents.feedback import FORMATS
from lianxin.community.selectors.feedback import feedback_build
from lianxin.community.services.feedback import feedback_export
from lianxin.community.tasks import community_feedback_task
from lianxin.core.periods import Period, parse_quarter
from lianxin.organizations.selectors import organization_by_code


class Command(BaseCommand):
    help = "Write the quarterly community reporting feedback of an organization as .xlsx or .docx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", default="", help="organization code; its whole subtree is included")
        parser.add_argument("--quarter", default="", help="the quarter, e.g. 2026Q3")
        parser.add_argument("--out", default="", help="the file to write, ending in .xlsx or .docx")
        parser.add_argument(
            "--all", action="store_true", help="queue the feedback of every organization into the file storage"
        )

    def _quarter(self, text: str) -> Period:
        try:
            return parse_quarter(text)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            code = self._quarter(options["quarter"]).quarter_code if options["quarter"] else ""
            result = community_feedback_task.enqueue(code)
            self.stdout.write(self.style.SUCCESS(_("Quarterly feedback queued as task %(id)s") % {"id": result.id}))
            return
        if not options["org"] or not options["out"]:
            raise CommandError(_("Give --org and --out (or --all)."))
        organization = organization_by_code(user=None, code=options["org"])
        if organization is None:
            raise CommandError(_("No organization has the code %(code)s.") % {"code": options["org"]})
        period = self._quarter(options["quarter"])
        out = Path(options["out"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(_("The output file must end in .xlsx or .docx."))
        feedback = feedback_build(organization=organization, quarter=period)
        with out.open("wb") as target:
            feedback_export(actor=None, feedback=feedback, fmt=fmt, target=target, source="command line")
        self.stdout.write(
            self.style.SUCCESS(_("%(count)d reports written to %(file)s") % {"count": len(feedback.rows), "file": out})
        )

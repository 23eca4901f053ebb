"""The quarterly feedback to a member's own organization (报到情况反馈): who reported where,
what they claimed, what they recorded and for how many hours, with totals.

A report belongs to the organization the member was in when they reported
(`home_organization`), so the feedback still reaches it after a transfer. One reading of
the figures serves the page, the .xlsx, the .docx, the API and the command.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.shared import Cm

from lianxin.accounts.permissions import roster_scope
from lianxin.community.models import CommunityReport, PostClaim, ServiceRecord
from lianxin.core.docx_layout import a4_section, cjk, table_layout, usable_width
from lianxin.core.ledgers import LedgerColumn, ledger_open, subtitle
from lianxin.core.services import audit_record
from lianxin.core.xlsx_writer import STYLE_BOLD
from lianxin.organizations.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"xlsx": XLSX, "docx": DOCX}
_QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        following = date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)
        return following - timedelta(days=1)

    @property
    def label(self) -> str:
        return _("Q%(number)d %(year)d") % {"number": self.number, "year": self.year}

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter:
    """'2026Q3' (or '2026q3') → the third quarter of 2026; anything else, a clear error."""
    match = _QUARTER.match(text or "")
    if match is None:
        raise ValidationError(
            _("Give the quarter as year and quarter, e.g. 2026Q3; %(value)s is not one.") % {"value": text},
            code="quarter",
        )
    return Quarter(int(match[1]), int(match[2]))


@dataclass
class FeedbackRow:
    report: CommunityReport
    posts: list[str] = field(default_factory=list)
    records: int = 0
    hours: Decimal = Decimal("0")


@dataclass
class Feedback:
    organization: Organization
    quarter: Quarter
    rows: list[FeedbackRow]

    @property
    def members(self) -> int:
        """Distinct members, not reports: one who moved between communities counts once."""
        return len({row.report.member_id for row in self.rows})

    @property
    def approved(self) -> int:
        """Distinct members whose report the community approved (it may have ended since)."""
        return len({r.report.member_id for r in self.rows if r.report.decided_at is not None})

    @property
    def posts(self) -> int:
        return sum(len(row.posts) for row in self.rows)

    @property
    def records(self) -> int:
        return sum(row.records for row in self.rows)

    @property
    def hours(self) -> Decimal:
        return sum((row.hours for row in self.rows), Decimal("0"))


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _reports_in(quarter: Quarter) -> Any:
    """Reports that were active at some time in the quarter; rejected ones never were."""
    return CommunityReport.objects.filter(
        status__in=(CommunityReport.Status.PENDING, CommunityReport.Status.APPROVED, CommunityReport.Status.ENDED),
        reported_on__lte=quarter.end,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=quarter.start))


def feedback_organizations(*, quarter: Quarter) -> Any:
    """The organizations whose own members had a report in the quarter: each receives its feedback."""
    ids = _reports_in(quarter).values("home_organization_id")
    return Organization.objects.filter(pk__in=ids).order_by("path")


def feedback_build(*, organization: Organization, quarter: Quarter) -> Feedback:
    """Reports from members of `organization`'s subtree that were active at some time in the quarter.

    Rejected reports are left out; posts count when the claim was held during the quarter;
    records count by the date of service.
    """
    start, end = quarter.start, quarter.end
    reports = list(
        _reports_in(quarter)
        .filter(home_organization__path__startswith=organization.path)
        .select_related("member", "community", "home_organization")
        .order_by("home_organization__path", "member__name", "reported_on", "id")
    )
    member_ids = {r.member_id for r in reports}
    posts: dict[tuple[int, int], list[str]] = defaultdict(list)
    claims = (
        PostClaim.objects.filter(member_id__in=member_ids, claimed_at__lt=_aware(end + timedelta(days=1)))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=_aware(start)))
        .values_list("member_id", "post__community_id", "post__title")
        .order_by("claimed_at", "id")
    )
    for member_id, community_id, title in claims:
        posts[(member_id, community_id)].append(title)
    totals = {
        (row["member_id"], row["community_id"]): (row["n"], row["h"] or Decimal("0"))
        for row in ServiceRecord.objects.filter(member_id__in=member_ids, served_on__range=(start, end))
        .values("member_id", "community_id")
        .annotate(n=Count("pk"), h=Sum("hours"))
    }
    rows = []
    seen: set[tuple[int, int]] = set()
    for report in reports:
        key = (report.member_id, report.community_id)
        # Two reports by one member to one community in a quarter: their work is counted once.
        records, hours = totals.get(key, (0, Decimal("0"))) if key not in seen else (0, Decimal("0"))
        rows.append(FeedbackRow(report, posts.get(key, []) if key not in seen else [], records, hours))
        seen.add(key)
    return Feedback(organization=organization, quarter=quarter, rows=rows)


def access_feedback_organization(user: Any, code: str) -> Organization:
    """Feedback on an organization's members is for admins whose roster scope holds it."""
    organization = Organization.objects.filter(code=(code or "").strip()).first()
    if organization is None or not roster_scope(user).contains(organization.path):
        raise Http404
    return organization


# ------------------------------------------------------------------------- exports


def headers() -> list[str]:
    return [
        _("Name"),
        _("Party organization"),
        _("Community reported to"),
        _("Status"),
        _("Reported on"),
        _("Ended on"),
        _("Posts claimed"),
        _("Service records"),
        _("Service hours"),
    ]


def _cells(row: FeedbackRow) -> list[Any]:
    report = row.report
    return [
        report.member.name,
        report.home_organization.name,
        report.community.name,
        report.get_status_display(),
        report.reported_on,
        report.ended_on,
        "、".join(row.posts),
        row.records,
        row.hours,
    ]


def title_of(feedback: Feedback) -> str:
    return _("%(organization)s: in-service members reporting to communities, %(quarter)s") % {
        "organization": feedback.organization.name,
        "quarter": feedback.quarter.label,
    }


def totals_line(feedback: Feedback) -> str:
    return _(
        "%(members)d members reported (%(approved)d approved), %(posts)d posts claimed, "
        "%(records)d service records, %(hours)s hours."
    ) % {
        "members": feedback.members,
        "approved": feedback.approved,
        "posts": feedback.posts,
        "records": feedback.records,
        "hours": feedback.hours,
    }


# Column widths: xlsx in characters, docx in proportion (landscape A4).
_WIDTHS = (10, 24, 24, 9, 12, 12, 30, 9, 9)


def write_xlsx(feedback: Feedback, target: IO[bytes]) -> None:
    columns = [
        LedgerColumn(header, width, "date" if index in (4, 5) else "text")
        for index, (header, width) in enumerate(zip(headers(), _WIDTHS, strict=True))
    ]
    period = f"{feedback.quarter.start.isoformat()} – {feedback.quarter.end.isoformat()}"
    with ledger_open(
        target,
        title=title_of(feedback),
        where_and_when=subtitle(feedback.organization.name, period),
        columns=columns,
        sheet_title=feedback.quarter.code,
        landscape=True,
    ) as sheet:
        for row in feedback.rows:
            sheet.append(_cells(row))
        sheet.append(
            [_("Total"), "", "", "", "", "", feedback.posts, feedback.records, feedback.hours],
            styles=dict.fromkeys(range(9), STYLE_BOLD),
        )


def write_docx(feedback: Feedback, target: IO[bytes]) -> None:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    a4_section(section, landscape=True, margin=Cm(1.8))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    cjk(normal)
    heading = document.add_heading(title_of(feedback), level=1)
    for run in heading.runs:
        cjk(run)
    document.add_paragraph(totals_line(feedback))
    names = headers()
    table = document.add_table(rows=1, cols=len(names))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, names, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    for row in feedback.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, _cells(row), strict=True):
            cell.text = "" if value is None else str(value)
    table_layout(table, widths=_WIDTHS, total=usable_width(section))
    for row_cells in table.rows:
        for cell in row_cells.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    if not feedback.rows:
        document.add_paragraph(_("No member of this organization reported to a community in this quarter."))
    document.save(target)


def feedback_export(*, actor: Any, feedback: Feedback, fmt: str, target: IO[bytes], source: str = "") -> None:
    """Write the feedback as .xlsx or .docx, and record the export: it names members."""
    if fmt not in FORMATS:
        raise ValidationError(_("Export as xlsx or docx."), code="format")
    (write_xlsx if fmt == "xlsx" else write_docx)(feedback, target)
    detail: dict[str, Any] = {
        "format": fmt,
        "organization": feedback.organization.code,
        "quarter": feedback.quarter.code,
        "rows": len(feedback.rows),
    }
    if source:
        detail["source"] = source
    audit_record(
        actor=actor,
        action="export",
        target=f"community_feedback:{feedback.organization.code}:{feedback.quarter.code}",
        detail=detail,
    )


# The document's own name, in Chinese whatever the reader's language, like the roster's headers:
# the file goes to another organization's office and into its files.
FILE_TITLE = "在职党员进社区报到情况反馈"


def file_name(feedback: Feedback, fmt: str) -> str:
    """Sent with RFC 5987's filename* (FileResponse does it), so browsers keep the Chinese."""
    return f"{feedback.organization.code}_{feedback.quarter.code}_{FILE_TITLE}.{fmt}"

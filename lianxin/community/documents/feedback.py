"""The quarterly feedback as files: an .xlsx ledger and a .docx for the organization's office.

What they say is read once by lianxin.community.selectors.feedback; writing them names members,
so the service lianxin.community.services.feedback.feedback_export records each one.
"""

from typing import IO, Any

from django.utils.translation import gettext as _
from docx.shared import Cm

from lianxin.community.selectors.feedback import Feedback, FeedbackRow
from lianxin.core.docx_layout import a4_section, cjk, table_layout, usable_width
from lianxin.core.ledgers import LedgerColumn, ledger_open, subtitle
from lianxin.core.xlsx_writer import STYLE_BOLD

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"xlsx": XLSX, "docx": DOCX}


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
        "quarter": feedback.quarter.quarter_label,
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
        sheet_title=feedback.quarter.quarter_code,
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


# The document's own name, in Chinese whatever the reader's language, like the roster's headers:
# the file goes to another organization's office and into its files.
FILE_TITLE = "在职党员进社区报到情况反馈"


def file_name(feedback: Feedback, fmt: str) -> str:
    """Sent with RFC 5987's filename* (FileResponse does it), so browsers keep the Chinese."""
    return f"{feedback.organization.code}_{feedback.quarter.quarter_code}_{FILE_TITLE}.{fmt}"

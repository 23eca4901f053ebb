"""A dues receipt as a Word document (A4): the same facts as the printable page."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from lianxin.core.docx_layout import CJK_FONT, a4_section, cjk, table_layout, usable_width
from lianxin.dues.models import Payment
from lianxin.dues.rules.months import year_month


def receipt_facts(payment: Payment) -> list[tuple[str, str]]:
    months = (
        f"{year_month(payment.months_from)} – {year_month(payment.months_to)} ({payment.months})"
        if payment.months_from
        else "—"
    )
    kind = str(payment.get_kind_display())
    if payment.for_centre:
        kind = f"{kind} · {_('for the Centre')}"
    return [
        (_("Paid by"), payment.member.name),
        (_("Kind"), kind),
        (_("Months"), months),
        (_("Amount"), f"{payment.amount} {_('yuan')}"),
        (_("Method"), str(payment.get_method_display())),
        (_("Paid on"), payment.paid_on.isoformat()),
    ]


def receipt_docx(payment: Payment) -> bytes:
    doc = Document()
    section = doc.sections[0]
    a4_section(section, margin=Cm(2.5))
    style = doc.styles["Normal"]
    style.font.name = CJK_FONT
    style.font.size = Pt(12)
    cjk(style)
    title = doc.add_heading(_("Party dues receipt"), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        cjk(run)
    subtitle = doc.add_paragraph(f"{payment.organization.name} · {_('No.')} {payment.receipt}")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not payment.is_valid:
        doc.add_paragraph(f"{_('Voided')}: {payment.void_reason}")
    facts = receipt_facts(payment)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    table_layout(table, widths=(1, 3), total=usable_width(section), header_rows=0)
    line = doc.add_paragraph(f"{payment.organization.name}　{payment.paid_on.isoformat()}")
    line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    line.paragraph_format.space_before = Pt(24)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

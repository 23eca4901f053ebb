"""Certificates (荣誉证书) of an approved round, one A4 page each, as a Word document."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from lianxin.core.docx_layout import CJK_FONT, a4_section, cjk
from lianxin.honours.models import HonourRound, Nomination


def _line(doc: object, text: str, *, size: int, bold: bool = False, space: int = 12, right: bool = False) -> None:
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(space)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    cjk(run)


def certificates_docx(round: HonourRound, nominations: list[Nomination]) -> bytes:
    """One page per approved nominee: the title, the nominee and their unit, the award, the
    organization that confers it and the date, with room for its seal."""
    doc = Document()
    section = doc.sections[0]
    a4_section(section, margin=Cm(3))
    style = doc.styles["Normal"]
    style.font.name = CJK_FONT
    style.font.size = Pt(16)
    cjk(style)
    on = round.approved_at.date() if round.approved_at else None
    for index, nomination in enumerate(nominations):
        if index:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _line(doc, _("Certificate of honour"), size=36, bold=True, space=96)
        _line(doc, nomination.name, size=24, bold=True, space=72)
        _line(doc, nomination.unit, size=14, space=6)
        text = _("was awarded the title of %(award)s of %(year)s by %(organization)s.") % {
            "award": nomination.get_kind_display(),
            "year": round.year,
            "organization": round.owner.name,
        }
        _line(doc, text, size=16, space=36)
        _line(doc, round.owner.name, size=16, space=120, right=True)
        _line(doc, on.isoformat() if on else "", size=14, space=6, right=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

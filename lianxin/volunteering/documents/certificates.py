"""A volunteer's service certificate (志愿服务记录证明), as data, and as a Word document.

民政部令第67号 (2021) asks a certificate to state who served, what service, how many
hours and which organization recorded it, and to be issued free of charge. The printable
page and the .docx read the same CertificateData, so they never disagree.
"""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from lianxin.accounts.models import User
from lianxin.core.docx_layout import CJK_FONT, a4_section, cjk, table_layout, usable_width
from lianxin.volunteering.models import SignUp
from lianxin.volunteering.selectors.sessions import service_record_of


@dataclass(frozen=True)
class CertificateRow:
    day: date
    service: str
    place: str
    team: str
    organization: str
    hours: Decimal


@dataclass(frozen=True)
class CertificateData:
    person: str
    id_number_masked: str
    rows: list[CertificateRow]
    total_hours: Decimal
    organizations: list[str]
    issued_on: date


def plain_hours(value: Decimal) -> Decimal:
    """2.0 -> 2, 10.0 -> 10, 1.5 -> 1.5: hours as people write them."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _row(signup: SignUp) -> CertificateRow:
    session = signup.session
    return CertificateRow(
        day=timezone.localtime(session.starts_at).date(),
        service=session.title,
        place=session.place,
        team=session.team.name,
        organization=session.team.organization.name,
        hours=plain_hours(signup.hours),
    )


def certificate_data(*, user: User) -> CertificateData:
    """The service a person was credited hours for, oldest first, with the organizations that recorded it."""
    record = service_record_of(user=user)
    rows = [_row(s) for s in reversed(record.signups) if s.hours > 0]
    member = getattr(user, "member", None)
    organizations = list(dict.fromkeys(r.organization for r in rows))
    return CertificateData(
        person=member.name if member is not None else str(user),
        id_number_masked=member.id_number_masked if member is not None else "",
        rows=rows,
        total_hours=plain_hours(sum((r.hours for r in rows), Decimal("0"))),
        organizations=organizations,
        issued_on=timezone.localdate(),
    )


def _hours(value: Decimal) -> str:
    return str(plain_hours(value))


def labelled(label: str, value: str) -> str:
    """'Label: value', with the colon the reader's language writes (full-width in Chinese)."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


# Date, service and place, team, organization, hours: in proportion across the page.
_WIDTHS = (2.8, 5.0, 3.2, 3.1, 1.9)


def certificate_docx(data: CertificateData) -> bytes:
    """The certificate as a .docx on A4: a title, the person, a table of services, the total,
    the issuers, and a line for the issuing organization's seal and date."""
    doc = Document()
    section = doc.sections[0]
    a4_section(section, margin=Cm(2.5))
    style = doc.styles["Normal"]
    style.font.name = CJK_FONT
    style.font.size = Pt(11)
    cjk(style)
    title = doc.add_heading(_("Volunteer service certificate"), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        cjk(run)
    person = _("This certifies that %(person)s served as a volunteer as listed below.") % {"person": data.person}
    doc.add_paragraph(person)
    if data.id_number_masked:
        doc.add_paragraph(labelled(_("ID number"), data.id_number_masked))
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, [_("Date"), _("Service"), _("Team"), _("Organization"), _("Hours")], strict=True
    ):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in data.rows:
        cells = table.add_row().cells
        values = [row.day.isoformat(), f"{row.service} · {row.place}", row.team, row.organization, _hours(row.hours)]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    table_layout(table, widths=_WIDTHS, total=usable_width(section))
    doc.add_paragraph(
        _("Total: %(hours)s hours in %(count)s services.")
        % {"hours": _hours(data.total_hours), "count": len(data.rows)}
    )
    doc.add_paragraph(labelled(_("Recorded by"), "、".join(data.organizations) or "—"))
    doc.add_paragraph(labelled(_("Issued on"), data.issued_on.isoformat()))
    doc.add_paragraph(_("This certificate is issued free of charge (Ministry of Civil Affairs Order No. 67)."))
    # Where the issuing organization stamps its seal and dates it: a certificate without one is not taken.
    doc.add_paragraph()
    for text in (
        labelled(_("Issuing organization (seal)"), "、".join(data.organizations) or "　" * 10),
        labelled(_("Handled by (signature)"), "　" * 8),
        labelled(_("Date"), _("____ (year) __ (month) __ (day)")),
    ):
        line = doc.add_paragraph(text)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.space_before = Pt(12)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

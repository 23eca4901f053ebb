"""The printable touring schedule as .docx (python-docx) and .xlsx (the streaming writer).

Both carry what the public page shows and nothing more: dates, towns, places, team names
and item titles. Leaders' names and phones are never in a schedule that gets pinned up.
"""

import io
from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from lianxin.core.xlsx_writer import STYLE_BOLD, XlsxWriter
from lianxin.volunteering.models import Tour
from lianxin.volunteering.selectors_touring import tour_stops

# Word picks this for CJK text when the document's own font has no Chinese glyphs.
CJK_FONT = "SimSun"


@dataclass(frozen=True)
class ScheduleRow:
    date: date
    weekday: str
    hours: str
    town: str
    place: str
    teams: str
    items: str
    beneficiaries: int | None


def schedule_rows(tour: Tour) -> list[ScheduleRow]:
    rows = []
    for stop in tour_stops(tour):
        hours = ""
        if stop.starts_at:
            hours = stop.starts_at.strftime("%H:%M")
            if stop.ends_at:
                hours += "–" + stop.ends_at.strftime("%H:%M")
        rows.append(
            ScheduleRow(
                date=stop.date,
                weekday=formats.date_format(stop.date, "l"),
                hours=hours,
                town=stop.area.name,
                place=stop.place,
                teams="、".join(t.name for t in stop.teams.all()),
                items="、".join(i.title for i in stop.items.all()),
                beneficiaries=stop.beneficiaries,
            )
        )
    return rows


def _headers() -> list[str]:
    return [_("Date"), _("Day"), _("Hours"), _("Town"), _("Place"), _("Teams"), _("Services")]


def schedule_filename(tour: Tour, extension: str) -> str:
    return f"{tour.title}-{tour.starts_on:%Y%m%d}.{extension}"


def schedule_xlsx(tour: Tour) -> bytes:
    """One row per stop, in date order; dates are real dates so the sheet sorts and filters."""
    out = io.BytesIO()
    headers = _headers()
    widths = {0: 12, 1: 8, 2: 12, 3: 14, 4: 24, 5: 40, 6: 50}
    with XlsxWriter(out, sheet_title=tour.title, widths=widths, freeze_header=True) as sheet:
        sheet.append(headers, styles=dict.fromkeys(range(len(headers)), STYLE_BOLD))
        for row in schedule_rows(tour):
            sheet.append([row.date, row.weekday, row.hours, row.town, row.place, row.teams, row.items])
    return out.getvalue()


def _cjk(run_or_style: object) -> None:
    """Give East Asian text a Chinese font; python-docx only sets the Latin one."""
    element = run_or_style.element  # type: ignore[attr-defined]
    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)


def schedule_docx(tour: Tour) -> bytes:
    """A landscape A4 page headed by the tour, then the table of stops, ready to print and post."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    _cjk(normal)

    heading = document.add_heading(tour.title, level=1)
    for run in heading.runs:
        _cjk(run)
    period = _("%(organizer)s · %(from)s to %(to)s") % {
        "organizer": tour.organization.name,
        "from": formats.date_format(tour.starts_on, "DATE_FORMAT"),
        "to": formats.date_format(tour.ends_on, "DATE_FORMAT"),
    }
    document.add_paragraph(period)
    if tour.description:
        document.add_paragraph(tour.description)

    headers = _headers()
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for row in schedule_rows(tour):
        values = [
            formats.date_format(row.date, "SHORT_DATE_FORMAT"),
            row.weekday,
            row.hours,
            row.town,
            row.place,
            row.teams,
            row.items,
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

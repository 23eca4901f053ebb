"""The printable touring schedule as .docx (python-docx) and .xlsx (a ledger, lianxin.core.ledgers).

Both carry what the public page shows and nothing more: dates, towns, places, team names
and item titles. Leaders' names and phones are never in a schedule that gets pinned up.
"""

import io
from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.shared import Cm, Pt

from lianxin.core.docx_layout import a4_section, cjk, table_layout, usable_width
from lianxin.core.ledgers import LedgerColumn, ledger_open, subtitle
from lianxin.volunteering.models import Tour
from lianxin.volunteering.selectors.touring import tour_stops

# Column widths: the xlsx in characters, the docx in proportion.
WIDTHS = (16, 8, 13, 12, 24, 36, 44)


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
    # The time of day a stop is open ("08:30–11:30"), not service hours.
    return [_("Date"), _("Day"), pgettext("time of day", "Hours"), _("Town"), _("Place"), _("Teams"), _("Services")]


def schedule_filename(tour: Tour, extension: str) -> str:
    return f"{tour.title}-{tour.starts_on:%Y%m%d}.{extension}"


def _period(tour: Tour) -> str:
    return _("%(organizer)s · %(from)s to %(to)s") % {
        "organizer": tour.organization.name,
        "from": formats.date_format(tour.starts_on, "DATE_FORMAT"),
        "to": formats.date_format(tour.ends_on, "DATE_FORMAT"),
    }


def schedule_xlsx(tour: Tour) -> bytes:
    """One row per stop, in date order; dates are real dates so the sheet sorts and filters."""
    out = io.BytesIO()
    kinds = ["date"] + ["text"] * (len(WIDTHS) - 1)
    columns = [LedgerColumn(header, width, kind) for header, width, kind in zip(_headers(), WIDTHS, kinds, strict=True)]
    with ledger_open(out, title=tour.title, where_and_when=subtitle(_period(tour)), columns=columns) as sheet:
        for row in schedule_rows(tour):
            sheet.append([row.date, row.weekday, row.hours, row.town, row.place, row.teams, row.items])
    return out.getvalue()


def schedule_docx(tour: Tour) -> bytes:
    """A landscape A4 page headed by the tour, then the table of stops, ready to print and post."""
    document = Document()
    section = document.sections[0]
    a4_section(section, landscape=True, margin=Cm(1.8))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    cjk(normal)

    heading = document.add_heading(tour.title, level=1)
    for run in heading.runs:
        cjk(run)
    document.add_paragraph(_period(tour))
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
    table_layout(table, widths=WIDTHS, total=usable_width(section))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

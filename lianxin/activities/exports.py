"""台账: the compliance board and the coverage rows as xlsx workbooks, written row by row."""

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.activities.compliance import STATE_LABELS, Board
from lianxin.activities.models import Attendance, Kind
from lianxin.core.xlsx_writer import XlsxWriter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_xlsx(board: Board) -> bytes:
    """One row per organization, kind and window: what was required, whether it was held, and why."""
    out = io.BytesIO()
    kinds = dict(Kind.choices)
    with XlsxWriter(
        out, sheet_title=_("Compliance"), widths={0: 14, 1: 30, 2: 22, 3: 12, 4: 10, 5: 8, 6: 60}, freeze_header=True
    ) as sheet:
        sheet.append(
            [_("Code"), _("Organization"), _("Kind"), _("Period"), _("State"), _("Held"), _("Rule and source")]
        )
        board.fill(board.rows)
        for row in board.rows:
            for cells in row.cells.values():
                for cell in cells:
                    sheet.append(
                        [
                            row.organization.code,
                            row.organization.name,
                            str(kinds.get(cell.kind, cell.kind)),
                            cell.label,
                            str(STATE_LABELS[cell.state]),
                            cell.held,
                            cell.rule.source,
                        ]
                    )
    return out.getvalue()


def attendance_xlsx(rows: Iterable[Attendance]) -> bytes:
    """Coverage rows: who attended what, where and when (names only, no personal numbers)."""
    out = io.BytesIO()
    kinds = dict(Kind.choices)
    with XlsxWriter(
        out, sheet_title=_("Attendance"), widths={0: 18, 1: 30, 2: 22, 3: 40, 4: 12}, freeze_header=True
    ) as sheet:
        sheet.append([_("Starts at"), _("Organization"), _("Kind"), _("Activity"), _("Member")])
        for att in rows:
            sheet.append(
                [
                    timezone.localtime(att.starts_at).strftime("%Y-%m-%d %H:%M"),
                    att.organization.name,
                    str(kinds.get(att.kind, att.kind)),
                    att.activity.title,
                    att.member.name,
                ]
            )
    return out.getvalue()

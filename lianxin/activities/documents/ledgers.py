"""台账: the activity list, an activity's sign-in sheet, the compliance board and the coverage
rows as xlsx workbooks, written row by row in the shape people print (lianxin.core.ledgers)."""

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.activities.selectors.compliance import STATE_LABELS, Board
from lianxin.core.ledgers import LedgerColumn, ledger_open, local_naive, subtitle

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A row tall enough to sign in by hand (points).
SIGNING_ROW_HEIGHT = 30


def period_text(start: date, end: date) -> str:
    return _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}


def board_xlsx(board: Board) -> bytes:
    """One row per organization, kind and window: what was required, whether it was held, and why."""
    out = io.BytesIO()
    kinds = dict(Kind.choices)
    columns = [
        LedgerColumn(_("Code"), 14),
        LedgerColumn(_("Organization"), 30),
        LedgerColumn(_("Kind"), 22),
        LedgerColumn(_("Period"), 12),
        LedgerColumn(_("State"), 10),
        LedgerColumn(_("Held"), 8),
        LedgerColumn(_("Rule and source"), 60),
    ]
    with ledger_open(
        out,
        title=_("Organizational life compliance board"),
        where_and_when=subtitle(board.organization.name, period_text(board.period.start, board.period.end)),
        columns=columns,
        sheet_title=_("Compliance"),
    ) as sheet:
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


def attendance_xlsx(rows: Iterable[Attendance], *, organization: Any, start: date, end: date) -> bytes:
    """Coverage rows: who attended what, where and when (names only, no personal numbers)."""
    out = io.BytesIO()
    kinds = dict(Kind.choices)
    columns = [
        LedgerColumn(_("Starts at"), 18, "datetime"),
        LedgerColumn(_("Organization"), 30),
        LedgerColumn(_("Kind"), 22),
        LedgerColumn(_("Activity"), 40),
        LedgerColumn(_("Member"), 12),
    ]
    with ledger_open(
        out,
        title=_("Attendance at organizational life"),
        where_and_when=subtitle(organization.name, period_text(start, end)),
        columns=columns,
        sheet_title=_("Attendance"),
    ) as sheet:
        for att in rows:
            sheet.append(
                [
                    att.starts_at,
                    att.organization.name,
                    str(kinds.get(att.kind, att.kind)),
                    att.activity.title,
                    att.member.name,
                ]
            )
    return out.getvalue()


def activities_xlsx(activities: Iterable[Activity], *, where: str = "") -> bytes:
    """台账 of activities: one row each, with its attendance counts (set by with_attendance_counts)."""
    out = io.BytesIO()
    columns = [
        LedgerColumn(_("Starts at"), 18, "datetime"),
        LedgerColumn(_("Organization"), 30),
        LedgerColumn(_("Kind"), 22),
        LedgerColumn(_("Title"), 36),
        LedgerColumn(_("Status"), 10),
        LedgerColumn(_("Place"), 30),
        LedgerColumn(_("Present"), 8),
        LedgerColumn(_("On the list"), 8),
    ]
    with ledger_open(
        out,
        title=_("Ledger of organizational life"),
        where_and_when=subtitle(where),
        columns=columns,
        sheet_title=_("Activities"),
    ) as sheet:
        for a in activities:
            place = _("%(place)s (online)") % {"place": a.place} if a.is_online else a.place
            sheet.append(
                [
                    a.starts_at,
                    a.organization.name,
                    a.get_kind_display(),
                    a.title,
                    a.get_status_display(),
                    place,
                    getattr(a, "present", None),
                    getattr(a, "listed", None),
                ]
            )
    return out.getvalue()


def signin_xlsx(activity: Activity, rows: Iterable[Attendance]) -> bytes:
    """The sign-in sheet of one activity: each person, their role, attendance, reason, check-in time
    and a box to sign in, in rows tall enough to sign."""
    out = io.BytesIO()
    columns = [
        LedgerColumn(_("Name"), 12),
        LedgerColumn(_("Category"), 12),
        LedgerColumn(_("Role"), 8),
        LedgerColumn(_("Attendance"), 8),
        LedgerColumn(_("Reason"), 18),
        LedgerColumn(_("Checked in at"), 17, "datetime"),
        LedgerColumn(_("Signature"), 18),
    ]
    starts = local_naive(activity.starts_at)
    where = [activity.organization.name, starts.strftime("%Y-%m-%d %H:%M") if starts else "", activity.place]
    with ledger_open(
        out,
        title=_("Sign-in sheet: %(title)s") % {"title": activity.title},
        where_and_when=subtitle(*where),
        columns=columns,
        sheet_title=activity.title,
        row_height=SIGNING_ROW_HEIGHT,
        landscape=False,
    ) as sheet:
        for row in rows:
            sheet.append(
                [
                    row.member.name,
                    row.member.get_category_display(),
                    row.get_role_display(),
                    row.get_status_display(),
                    row.reason,
                    row.checked_in_at,
                    None,
                ]
            )
    return out.getvalue()

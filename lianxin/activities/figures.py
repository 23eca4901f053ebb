"""Organizational life's figures for the dashboard and the briefings (lianxin.core.figures): activities
held, by kind, the members present (person-times) and the distinct members covered, and their share
of the subtree's Party members. The numbers come from coverage_read (a fresh snapshot, else live)
and one count of the present attendance."""

from collections.abc import Mapping
from typing import Any

from django.db import router
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.activities.rules.frequency import REQUIRED_KINDS
from lianxin.activities.selectors.compliance import HELD, MISSED, Board, compliance_board
from lianxin.activities.selectors.coverage import (
    covered_members,
    held_activities,
    party_members,
    present_attendance,
    present_count,
)
from lianxin.activities.selectors.snapshots import coverage_read
from lianxin.core.figures import FigureGroup, Measure, Number, Row, child_of, figures_register, rate
from lianxin.core.periods import Period
from lianxin.core.statements import statement_memory
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import Subtree

ACTIVITY_COLUMNS = (
    ("date", _("Date")),
    ("organization", _("Party organization")),
    ("kind", _("Kind")),
    ("title", _("Title")),
)
MEMBER_COLUMNS = (("name", _("Name")), ("organization", _("Party organization")), ("category", _("Category")))


def activity_row(activity: Activity) -> Row:
    return {
        "date": activity.starts_at.date().isoformat(),
        "organization": str(activity.organization),
        "kind": activity.get_kind_display(),
        "title": activity.title,
    }


def member_row(member: Member) -> Row:
    return {"name": member.name, "organization": str(member.organization), "category": member.get_category_display()}


def attendance_rows(org: Subtree, period: Period) -> QuerySet[Attendance]:
    return (
        present_attendance(org, period)
        .select_related("member", "activity", "activity__organization")
        .order_by("starts_at", "id")
    )


def attendance_row(attendance: Attendance) -> Row:
    return {
        "date": attendance.starts_at.date().isoformat(),
        "name": attendance.member.name,
        "activity": attendance.activity.title,
        "organization": str(attendance.activity.organization),
    }


def _held_of(kind: str) -> Any:
    def rows(org: Subtree, period: Period) -> QuerySet[Activity]:
        return held_activities(org, period, kind)

    return rows


def compute(org: Subtree, period: Period) -> Mapping[str, Number]:
    found, _as_of = coverage_read(organization=org, period=period)
    numbers: dict[str, Number] = {
        "activities-held": found.activities,
        "members-covered": found.members,
        "coverage-rate": rate(found.members, found.party_members),
    }
    numbers.update({f"activities-{line.kind}": line.activities for line in found.lines})
    return numbers


def compute_children(org: Subtree, period: Period, children: list[Organization]) -> dict[int, dict[str, Number]]:
    """Members covered and coverage for each child, from two statements grouped by the child the rows
    lie under: distinct members present at the child's activities, and the child's Party members."""
    child = child_of("organization", children)
    with statement_memory(using=router.db_for_read(Attendance)):
        covered = dict(
            present_attendance(org, period)
            .order_by()
            .annotate(child=child)
            .values("child")
            .annotate(n=Count("member_id", distinct=True))
            .values_list("child", "n")
        )
        whole = dict(
            party_members(org)
            .order_by()
            .annotate(child=child)
            .values("child")
            .annotate(n=Count("pk"))
            .values_list("child", "n")
        )
    return {
        c.pk: {
            "members-covered": covered.get(c.path, 0),
            "coverage-rate": rate(covered.get(c.path, 0), whole.get(c.path, 0)),
        }
        for c in children
    }


MEASURES = (
    Measure(
        "activities-held",
        _("Organizational life held"),
        _("sessions"),
        _("Activities of every kind marked held whose start falls in the period, by this organization or below."),
        held_activities,
        ACTIVITY_COLUMNS,
        activity_row,
        headline=True,
        dated="starts_at",
        organization="organization",
    ),
    Measure(
        "attendance-present",
        _("Members present (person-times)"),
        _("person-times"),
        _("Attendance marked present at those activities: a member at three activities counts three times."),
        attendance_rows,
        (
            ("date", _("Date")),
            ("name", _("Name")),
            ("activity", _("Activity")),
            ("organization", _("Party organization")),
        ),
        attendance_row,
        dated="starts_at",
        organization="organization",
        value=present_count,
    ),
    Measure(
        "members-covered",
        _("Members covered"),
        _("people"),
        _("Distinct members present at least once: a member at ten activities counts once."),
        covered_members,
        MEMBER_COLUMNS,
        member_row,
        headline=True,
    ),
    Measure(
        "coverage-rate",
        _("Coverage"),
        "%",
        _(
            "Members covered as a share of the Party members on the roster now, to two decimals; "
            "its rows are those members."
        ),
        lambda org, period: party_members(org).order_by("organization__path", "name", "id"),
        MEMBER_COLUMNS,
        member_row,
        counts_rows=False,
        headline=True,
    ),
    *(
        Measure(
            f"activities-{kind}",
            label,
            _("sessions"),
            _("Activities of this kind marked held whose start falls in the period, by this organization or below."),
            _held_of(kind),
            ACTIVITY_COLUMNS,
            activity_row,
            dated="starts_at",
            part_of="activities-held",
            organization="organization",
        )
        for kind, label in Kind.choices
    ),
)

figures_register(FigureGroup("organizational-life", _("Organizational life"), 20, MEASURES, compute, compute_children))


# ------------------------------------------------------------------ compliance (三会一课), by whole quarters
# The board judges each required kind window by window (a month, a quarter); over any other span the
# windows are cut and the figure would mean nothing, so the group counts whole quarters only and is
# empty for any other period ("—" on the dashboard, no rows).


def _board(org: Subtree, period: Period) -> Board | None:
    """The board of an organization's subtree for a whole quarter; none of an area (the board judges
    each branch under one organization) nor of any other period."""
    if not (period.is_quarter and isinstance(org, Organization)):
        return None
    return compliance_board(organization=org, start=period.start, end=period.end)


def _branches(org: Subtree, period: Period, *, behind: bool) -> QuerySet[Organization]:
    board = _board(org, period)
    ids = [row.organization.pk for row in board.rows if row.missed or not behind] if board else []
    found: QuerySet[Organization] = Organization.objects.filter(pk__in=ids).order_by("path")
    return found


def branches_behind(org: Subtree, period: Period) -> QuerySet[Organization]:
    return _branches(org, period, behind=True)


def branches_counted(org: Subtree, period: Period) -> QuerySet[Organization]:
    return _branches(org, period, behind=False)


def branch_row(organization: Organization) -> Row:
    return {"code": organization.code, "name": str(organization)}


def compute_compliance(org: Subtree, period: Period) -> Mapping[str, Number]:
    board = _board(org, period)
    if board is None:
        return {m.name: None for m in COMPLIANCE}
    held = sum(board.totals[kind][HELD] for kind in REQUIRED_KINDS if kind in board.totals)
    missed = sum(board.totals[kind][MISSED] for kind in REQUIRED_KINDS if kind in board.totals)
    return {
        "compliance-branches-behind": sum(1 for row in board.rows if row.missed),
        "compliance-windows-held": held,
        "compliance-windows-missed": missed,
        "compliance-rate": rate(held, held + missed),
    }


BRANCH_COLUMNS = (("code", _("Code")), ("name", _("Party organization")))
QUARTERS_ONLY = _(
    "Whole quarters of an organization's subtree only (the board's windows); for any other period, or an area, "
    "there is no figure."
)
COMPLIANCE = (
    Measure(
        "compliance-branches-behind",
        _("Branches with a required meeting missed"),
        _("organizations"),
        _("Branch-level organizations of this subtree that missed at least one required window of the quarter.")
        + " "
        + QUARTERS_ONLY,
        branches_behind,
        BRANCH_COLUMNS,
        branch_row,
    ),
    Measure(
        "compliance-windows-held",
        _("Required windows held"),
        _("windows"),
        _("Windows of the quarter's required meetings (三会一课) in which the branch held one, summed over branches.")
        + " "
        + QUARTERS_ONLY,
        branches_counted,
        BRANCH_COLUMNS,
        branch_row,
        counts_rows=False,
    ),
    Measure(
        "compliance-windows-missed",
        _("Required windows missed"),
        _("windows"),
        _("Windows of the quarter's required meetings that closed with none held, summed over branches.")
        + " "
        + QUARTERS_ONLY,
        branches_behind,
        BRANCH_COLUMNS,
        branch_row,
        counts_rows=False,
    ),
    Measure(
        "compliance-rate",
        _("Required meetings held on time"),
        "%",
        _("Windows held as a share of windows held or missed (those still open not counted), to two decimals.")
        + " "
        + QUARTERS_ONLY,
        branches_counted,
        BRANCH_COLUMNS,
        branch_row,
        counts_rows=False,
    ),
)

figures_register(FigureGroup("compliance", _("Three meetings and one lecture"), 25, COMPLIANCE, compute_compliance))

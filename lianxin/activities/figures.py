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


def attendance_rows(org: Organization, period: Period) -> QuerySet[Attendance]:
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
    def rows(org: Organization, period: Period) -> QuerySet[Activity]:
        return held_activities(org, period, kind)

    return rows


def compute(org: Organization, period: Period) -> Mapping[str, Number]:
    found, _as_of = coverage_read(organization=org, period=period)
    numbers: dict[str, Number] = {
        "activities-held": found.activities,
        "members-covered": found.members,
        "coverage-rate": rate(found.members, found.party_members),
    }
    numbers.update({f"activities-{line.kind}": line.activities for line in found.lines})
    return numbers


def compute_children(org: Organization, period: Period, children: list[Organization]) -> dict[int, dict[str, Number]]:
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

"""The board and coverage read a subtree's own rows: windows across columns of bits, several
activities in one window, rows added elsewhere, and an organization moved to another parent."""

from datetime import date, datetime

from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.activities.selectors.compliance import HELD, MISSED, Board, compliance_board
from lianxin.activities.selectors.coverage import Coverage, coverage
from lianxin.activities.services.planning import attendance_add, attendance_record
from lianxin.activities.tests.factories import make_activity
from lianxin.activities.tests.test_compliance import cells, held_activity
from lianxin.core.periods import Period
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.services import organization_move

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=timezone.get_default_timezone())


def present(activity: Activity, member: Member, actor: User) -> None:
    """Record `member` present, inviting them first when they belong elsewhere."""
    if member.organization_id != activity.organization_id:
        attendance_add(activity=activity, actor=actor, member=member, role=Attendance.Role.INVITED)
    attendance_record(activity=activity, actor=actor, member=member, status=Attendance.Status.PRESENT)


def summary(board: Board) -> tuple[object, ...]:
    rows = [
        (r.organization.pk, r.missed, {kind: [(c.state, c.held) for c in found] for kind, found in r.cells.items()})
        for r in board.rows
    ]
    return rows, board.totals


def numbers(found: Coverage) -> tuple[object, ...]:
    lines = [(x.kind, x.activities, x.members) for x in found.lines]
    return found.activities, found.members, found.party_members, lines


def test_several_activities_in_one_window_make_one_held_window_with_their_count(city: City) -> None:
    for day in (date(2026, 4, 3), date(2026, 5, 3), date(2026, 6, 3)):
        held_activity(city.east, Kind.BRANCH_CONGRESS, day)

    board = compliance_board(organization=city.district, start=Q2[0], end=Q2[1], today=date(2026, 8, 1))

    [cell] = cells(board, city.east, Kind.BRANCH_CONGRESS)
    assert (cell.state, cell.held) == (HELD, 3)
    assert board.totals[Kind.BRANCH_CONGRESS] == {HELD: 1, MISSED: 1}


def test_windows_on_either_side_of_a_column_of_bits_are_kept_apart(city: City) -> None:
    # 84 monthly windows from 2020: January 2020 is the first bit of the first column, February
    # 2025 its last (the 62nd window), March 2025 the first bit of the second column.
    for day in (date(2020, 1, 10), date(2025, 2, 10), date(2025, 3, 10), date(2026, 12, 10)):
        held_activity(city.east, Kind.THEME_DAY, day)
    held_activity(city.east, Kind.PARTY_LECTURE, date(2025, 2, 20))

    board = compliance_board(
        organization=city.district, start=date(2020, 1, 1), end=date(2026, 12, 31), today=date(2027, 2, 1)
    )

    theme_days = cells(board, city.east, Kind.THEME_DAY)
    assert [c.label for c in theme_days if c.state == HELD] == ["2020-01", "2025-02", "2025-03", "2026-12"]
    assert [c.label for c in cells(board, city.east, Kind.PARTY_LECTURE) if c.state == HELD] == ["2025 Q1"]
    assert board.totals[Kind.THEME_DAY] == {HELD: 4, MISSED: 164}


def test_a_board_is_unchanged_by_activities_held_in_another_subtree(city: City) -> None:
    held_activity(city.east, Kind.BRANCH_CONGRESS, date(2026, 5, 2))
    before = summary(compliance_board(organization=city.district, start=Q2[0], end=Q2[1], today=date(2026, 8, 1)))

    for kind in (Kind.BRANCH_CONGRESS, Kind.THEME_DAY, Kind.PARTY_LECTURE):
        held_activity(city.other_branch, kind, date(2026, 5, 2))
    after = summary(compliance_board(organization=city.district, start=Q2[0], end=Q2[1], today=date(2026, 8, 1)))

    assert after == before


def test_a_moved_branch_is_counted_with_its_activities_under_its_new_parent(city: City) -> None:
    held_activity(city.east, Kind.BRANCH_CONGRESS, date(2026, 5, 2))

    organization_move(actor=None, organization=city.east, new_parent=city.other_district)

    there = compliance_board(organization=city.other_district, start=Q2[0], end=Q2[1], today=date(2026, 8, 1))
    here = compliance_board(organization=city.district, start=Q2[0], end=Q2[1], today=date(2026, 8, 1))
    assert [c.state for c in cells(there, city.east, Kind.BRANCH_CONGRESS)] == [HELD]
    assert there.totals[Kind.BRANCH_CONGRESS] == {HELD: 1, MISSED: 1}
    assert [r.organization.pk for r in here.rows] == [city.west.pk]
    assert HELD not in here.totals[Kind.BRANCH_CONGRESS]


def test_members_at_several_kinds_count_once_overall_and_once_in_each_kind(city: City, city_admin: User) -> None:
    a, b, c = (make_member(city.east, name=n) for n in ("甲", "乙", "丙"))
    congresses = [make_activity(city.east, planner=city_admin, starts_at=at(m, 2), held=True) for m in (3, 6)]
    lecture = make_activity(city.east, planner=city_admin, starts_at=at(5, 2), held=True, kind=Kind.PARTY_LECTURE)
    theme = make_activity(city.west, planner=city_admin, starts_at=at(5, 9), held=True, kind=Kind.THEME_DAY)
    for activity in congresses:
        present(activity, a, city_admin)
    present(lecture, a, city_admin)
    present(lecture, b, city_admin)
    present(theme, b, city_admin)
    attendance_add(activity=theme, actor=city_admin, member=c, role=Attendance.Role.INVITED)
    attendance_record(activity=theme, actor=city_admin, member=c, status=Attendance.Status.ABSENT, reason="出差")

    found = coverage(organization=city.district, period=YEAR)

    lines = {line.kind: (line.activities, line.members) for line in found.lines}
    assert (found.activities, found.members, found.party_members) == (4, 2, 3)
    assert lines[Kind.BRANCH_CONGRESS] == (2, 1)
    assert lines[Kind.PARTY_LECTURE] == (1, 2)
    assert lines[Kind.THEME_DAY] == (1, 1)
    assert lines[Kind.STUDY] == (0, 0)


def test_coverage_is_unchanged_by_attendance_in_another_subtree(city: City, city_admin: User) -> None:
    a = make_member(city.east, name="甲")
    present(make_activity(city.east, planner=city_admin, starts_at=at(3, 2), held=True), a, city_admin)
    before = numbers(coverage(organization=city.district, period=YEAR))

    # a member of the district present at an activity of another district counts there, not here
    fisher = make_member(city.other_branch, name="渔")
    far = make_activity(city.other_branch, planner=city_admin, starts_at=at(4, 2), held=True, kind=Kind.STUDY)
    present(far, a, city_admin)
    present(far, fisher, city_admin)

    assert numbers(coverage(organization=city.district, period=YEAR)) == before
    assert coverage(organization=city.other_district, period=YEAR).members == 2


def test_a_moved_branch_brings_its_attendance_to_its_new_parent(city: City, city_admin: User) -> None:
    a = make_member(city.east, name="甲")
    present(make_activity(city.east, planner=city_admin, starts_at=at(3, 2), held=True), a, city_admin)

    organization_move(actor=None, organization=city.east, new_parent=city.other_district)

    there = coverage(organization=city.other_district, period=YEAR)
    here = coverage(organization=city.district, period=YEAR)
    assert (there.activities, there.members, there.party_members) == (1, 1, 1)
    assert (here.activities, here.members, here.party_members) == (0, 0, 0)

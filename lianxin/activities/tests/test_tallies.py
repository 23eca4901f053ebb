"""The activity tallies equal counting activities and attendance, after every kind of change."""

from collections import Counter
from datetime import date, datetime

from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, ActivityTally, Attendance, Kind
from lianxin.activities.selectors.coverage import covered_members, held_activities, present_attendance
from lianxin.activities.selectors.tallies import KindTally, held_by_kind_tallied, members_present_count
from lianxin.activities.services.planning import (
    activity_cancel,
    activity_update,
    attendance_add,
    attendance_record,
)
from lianxin.activities.tests.factories import make_activity
from lianxin.core.periods import Period
from lianxin.core.tallies import tallies_refresh
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


def counted(organization: Organization, period: Period) -> dict[str, KindTally]:
    """The same figures counted from the base rows."""
    held = Counter(held_activities(organization, period).values_list("kind", flat=True))
    present = Counter(present_attendance(organization, period).values_list("kind", flat=True))
    return {kind: KindTally(held=held[kind], present=present[kind]) for kind in held | present}


def tallied(organization: Organization, period: Period) -> dict[str, KindTally]:
    return held_by_kind_tallied(organization, period.start, period.end)


def test_tallies_sum_held_activities_and_present_rows_per_kind_over_the_subtree_and_months(
    city: City, city_admin: User
) -> None:
    a, b = make_member(city.east, name="甲"), make_member(city.west, name="乙")
    congress = make_activity(city.east, planner=city_admin, starts_at=at(3, 31, 23, 30), held=True)
    lecture = make_activity(
        city.west, planner=city_admin, starts_at=at(4, 1, 0, 30), held=True, kind=Kind.PARTY_LECTURE
    )
    make_activity(city.other_branch, planner=city_admin, starts_at=at(4, 2), held=True)
    make_activity(city.east, planner=city_admin, starts_at=at(4, 3))  # planned: not held
    attendance_record(activity=congress, actor=city_admin, member=a, status=Attendance.Status.PRESENT)
    attendance_record(activity=lecture, actor=city_admin, member=b, status=Attendance.Status.PRESENT)

    tallies_refresh()

    march, april = Period.month_of(date(2026, 3, 1)), Period.month_of(date(2026, 4, 1))
    assert tallied(city.district, march) == {Kind.BRANCH_CONGRESS: KindTally(held=1, present=1)}
    assert tallied(city.district, april) == {Kind.PARTY_LECTURE: KindTally(held=1, present=1)}
    assert tallied(city.root, YEAR) == counted(city.root, YEAR)
    assert tallied(city.root, YEAR)[Kind.BRANCH_CONGRESS] == KindTally(held=2, present=1)


def test_holding_cancelling_moving_and_recording_are_counted_by_the_next_refresh(city: City, city_admin: User) -> None:
    a = make_member(city.east, name="甲")
    planned = make_activity(city.east, planner=city_admin, starts_at=at(5, 6))
    doomed = make_activity(city.east, planner=city_admin, starts_at=at(5, 7))
    moved = make_activity(city.west, planner=city_admin, starts_at=at(5, 8))
    tallies_refresh()
    # when one is moved to June, one cancelled and attendance recorded at a held one
    activity_update(
        activity=moved,
        actor=city_admin,
        kind=Kind.PARTY_LECTURE,
        title=moved.title,
        starts_at=at(6, 8),
        ends_at=at(6, 8, 11),
    )
    activity_cancel(activity=doomed, actor=city_admin, reason="台风")
    held = make_activity(city.east, planner=city_admin, starts_at=at(5, 9), held=True)
    attendance_record(activity=held, actor=city_admin, member=a, status=Attendance.Status.PRESENT)
    assert tallied(city.root, YEAR) == {}  # not refreshed yet
    refreshed = tallies_refresh(names=["activities"])
    # then an incremental refresh makes every figure equal to counting
    assert refreshed[0].full is False
    assert tallied(city.root, YEAR) == counted(city.root, YEAR) == {Kind.BRANCH_CONGRESS: KindTally(held=1, present=1)}
    assert Activity.objects.get(pk=planned.pk).status == Activity.Status.PLANNED
    # and every cell, the subtree counts of the district and the root included, is what a rebuild writes
    assert tallies_refresh(full=True, names=["activities"])[0].cells == 0


def test_a_rebuild_deletes_cells_whose_rows_are_gone(city: City, city_admin: User) -> None:
    activity = make_activity(city.east, planner=city_admin, starts_at=at(2, 2), held=True)
    tallies_refresh()
    assert ActivityTally.objects.filter(organization=city.east).count() == 1
    Activity.objects.filter(pk=activity.pk).delete()  # as a bulk correction in SQL would
    tallies_refresh(full=True)
    assert not ActivityTally.objects.exists()
    assert tallied(city.root, YEAR) == counted(city.root, YEAR) == {}


def test_distinct_members_present_are_counted_once_from_the_rows_whatever_the_months(
    city: City, city_admin: User
) -> None:
    a, b = make_member(city.east, name="甲"), make_member(city.west, name="乙")
    march = make_activity(city.east, planner=city_admin, starts_at=at(3, 2), held=True)
    april = make_activity(city.east, planner=city_admin, starts_at=at(4, 2), held=True, kind=Kind.PARTY_LECTURE)
    invited = attendance_add(activity=april, actor=city_admin, member=b, role=Attendance.Role.INVITED)
    for activity, member in ((march, a), (april, a), (april, invited.member)):
        attendance_record(activity=activity, actor=city_admin, member=member, status=Attendance.Status.PRESENT)
    tallies_refresh()
    # then the monthly tallies hold three present rows, but two people were present
    assert sum(t.present for t in tallied(city.root, YEAR).values()) == 3
    assert members_present_count(city.root, YEAR) == covered_members(city.root, YEAR).count() == 2
    assert members_present_count(city.district, YEAR, Kind.PARTY_LECTURE) == 2
    assert members_present_count(city.west, YEAR) == 0  # b was present at an activity of east

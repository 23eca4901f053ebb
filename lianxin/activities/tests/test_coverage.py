from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.activities.selectors.coverage import coverage, covered_members, held_activities, party_members
from lianxin.activities.services.planning import attendance_record
from lianxin.activities.tests.factories import make_activity
from lianxin.core.periods import Period
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=timezone.get_default_timezone())


def present(activity: Activity, member: Member, actor: User) -> None:
    attendance_record(activity=activity, actor=actor, member=member, status=Attendance.Status.PRESENT)


def test_members_present_at_two_sessions_are_counted_once_and_as_a_share_of_party_members(
    city: City, city_admin: User
) -> None:
    a, b = make_member(city.east, name="甲"), make_member(city.east, name="乙")
    make_member(city.west, name="丙")
    congress = make_activity(city.east, planner=city_admin, starts_at=at(3, 2), held=True)
    lecture = make_activity(city.east, planner=city_admin, starts_at=at(5, 2), held=True, kind=Kind.PARTY_LECTURE)
    present(congress, a, city_admin)
    present(lecture, a, city_admin)
    present(lecture, b, city_admin)

    figures = coverage(organization=city.district, period=YEAR)

    lines = {line.kind: line for line in figures.lines}
    assert (figures.activities, figures.members, figures.party_members) == (2, 2, 3)
    assert figures.share == Decimal("66.7")
    assert (lines[Kind.BRANCH_CONGRESS].activities, lines[Kind.BRANCH_CONGRESS].members) == (1, 1)
    assert (lines[Kind.PARTY_LECTURE].activities, lines[Kind.PARTY_LECTURE].members) == (1, 2)
    assert set(covered_members(city.district, YEAR)) == {a, b}


def test_absent_and_excused_members_and_activities_outside_the_period_do_not_count(
    city: City, city_admin: User
) -> None:
    a, b = make_member(city.east, name="甲"), make_member(city.east, name="乙")
    congress = make_activity(city.east, planner=city_admin, starts_at=at(3, 2), held=True)
    attendance_record(activity=congress, actor=city_admin, member=a, status=Attendance.Status.ABSENT, reason="出差")
    attendance_record(activity=congress, actor=city_admin, member=b, status=Attendance.Status.EXCUSED, reason="病假")

    spring = coverage(organization=city.east, period=Period(date(2026, 1, 1), date(2026, 3, 31)))
    summer = coverage(organization=city.east, period=Period(date(2026, 4, 1), date(2026, 6, 30)))

    assert (spring.activities, spring.members) == (1, 0)
    assert (summer.activities, summer.members) == (0, 0)


def test_another_subtree_is_not_counted_and_a_subtree_without_members_has_no_share(
    city: City, city_admin: User
) -> None:
    m = make_member(city.other_branch, name="渔")
    held = make_activity(city.other_branch, planner=city_admin, starts_at=at(3, 2), held=True)
    present(held, m, city_admin)

    figures = coverage(organization=city.district, period=YEAR)

    assert (figures.activities, figures.members, figures.party_members, figures.share) == (0, 0, 0, None)
    assert list(held_activities(city.root, YEAR)) == [held]


def test_members_who_are_not_party_members_are_not_in_the_denominator(city: City, city_admin: User) -> None:
    make_member(city.east, name="甲")
    make_member(
        city.east,
        name="积极分子",
        category=Member.Category.ACTIVIST,
        joined_on=None,
        full_on=None,
        applied_on=date(2025, 1, 1),
        activist_on=date(2025, 3, 1),
        candidate_on=None,
    )

    assert coverage(organization=city.east, period=YEAR).party_members == 1


def test_a_root_read_by_one_scan_and_a_subtree_read_organization_by_organization_give_the_rows_counts(
    city: City, city_admin: User
) -> None:
    """The root's figures come from one scan of the period's rows, a district's (on PostgreSQL) from
    each organization's own index range; both equal counting the rows behind each figure."""
    people = [make_member(org, name=f"员{n}") for n, org in enumerate([city.east, city.west, city.other_branch] * 2)]
    make_member(city.west, name="申请人", category=Member.Category.APPLICANT, joined_on=None, full_on=None)
    for n, org in enumerate([city.east, city.west, city.other_branch]):
        for kind, month in ((Kind.BRANCH_CONGRESS, 3), (Kind.PARTY_LECTURE, 6 + n)):
            activity = make_activity(org, planner=city_admin, starts_at=at(month, 2), held=True, kind=kind)
            for member in people[n :: 3 if kind == Kind.BRANCH_CONGRESS else 6]:
                present(activity, member, city_admin)
    make_activity(city.east, planner=city_admin, starts_at=at(4, 2), kind=Kind.STUDY)  # planned, not held

    for organization in (city.root, city.district, city.east):
        figures = coverage(organization=organization, period=YEAR)
        lines = {line.kind: line for line in figures.lines}
        held = held_activities(organization, YEAR)
        assert figures.activities == held.count() > 0
        assert figures.members == covered_members(organization, YEAR).count() > 0
        assert figures.party_members == party_members(organization).count()
        for value in Kind.values:
            assert lines[value].activities == held.filter(kind=value).count()
            assert lines[value].members == covered_members(organization, YEAR, value).count()

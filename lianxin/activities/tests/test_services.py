"""Planning, attendance, check-in, holding and quorum of activities, and joint events."""

import threading
from collections.abc import Iterable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance, JointEvent, Kind
from lianxin.activities.selectors import planning as selectors
from lianxin.activities.services import planning as services
from lianxin.activities.tests.factories import make_activity
from lianxin.core.models import Event
from lianxin.core.testing import all_at_once
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def _present(activity: Activity, secretary: User, members: Iterable[Member]) -> None:
    for m in members:
        services.attendance_record(activity=activity, actor=secretary, member=m, status="present")


def test_planning_lists_the_organizations_current_party_members_as_expected(city: City, branch_secretary: User) -> None:
    full = make_member(city.east, name="张全")
    probationary = make_member(city.east, name="王预", category=Member.Category.PROBATIONARY, full_on=None)
    make_member(
        city.east, name="赵申", category=Member.Category.ACTIVIST, candidate_on=None, joined_on=None, full_on=None
    )
    make_member(city.west, name="西边人")

    activity = make_activity(city.east, planner=branch_secretary)

    listed = set(activity.attendance.values_list("member_id", "role", "organization_id", "kind"))
    assert listed == {
        (full.pk, "expected", city.east.pk, Kind.BRANCH_CONGRESS),
        (probationary.pk, "expected", city.east.pk, Kind.BRANCH_CONGRESS),
    }
    assert activity.status == Activity.Status.PLANNED


def test_an_admin_cannot_plan_outside_their_subtree_and_nothing_is_written(city: City, branch_secretary: User) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        make_activity(city.west, planner=branch_secretary)
    assert not Activity.objects.exists()


def test_an_activity_ending_before_it_starts_is_refused_and_nothing_is_written(
    city: City, branch_secretary: User
) -> None:
    starts = timezone.now()
    with pytest.raises(ValidationError, match="must end after it starts"):
        make_activity(city.east, planner=branch_secretary, starts_at=starts, ends_at=starts - timedelta(hours=1))
    assert not Activity.objects.exists()


def test_a_blank_title_is_refused(city: City, branch_secretary: User) -> None:
    with pytest.raises(ValidationError, match="title"):
        make_activity(city.east, planner=branch_secretary, title="  ")
    assert not Activity.objects.exists()


def test_others_can_be_invited_or_attend_as_observers_but_only_once(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE)
    applicant = make_member(
        city.east,
        name="申请人",
        category=Member.Category.APPLICANT,
        activist_on=None,
        candidate_on=None,
        joined_on=None,
        full_on=None,
    )
    services.attendance_add(activity=activity, actor=branch_secretary, member=applicant, role="observer")
    assert activity.attendance.get(member=applicant).role == Attendance.Role.OBSERVER

    with pytest.raises(ValidationError, match="already on this activity's list"):
        services.attendance_add(activity=activity, actor=branch_secretary, member=east_member, role="invited")
    assert activity.attendance.get(member=east_member).role == Attendance.Role.EXPECTED


def test_an_absence_needs_a_reason_and_nothing_is_written_without_one(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    with pytest.raises(ValidationError, match="reason for the absence"):
        services.attendance_record(activity=activity, actor=branch_secretary, member=east_member, status="absent")
    assert activity.attendance.get(member=east_member).status == Attendance.Status.UNKNOWN

    services.attendance_record(
        activity=activity, actor=branch_secretary, member=east_member, status="absent", reason="出差"
    )
    row = activity.attendance.get(member=east_member)
    assert (row.status, row.reason) == ("absent", "出差")


def test_recording_someone_not_on_the_list_is_refused(city: City, branch_secretary: User, other_member: Member) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    with pytest.raises(ValidationError, match="not on this activity's list"):
        services.attendance_record(activity=activity, actor=branch_secretary, member=other_member, status="excused")
    assert not activity.attendance.filter(member=other_member).exists()


def test_a_member_checks_in_with_the_venue_code_once(city: City, branch_secretary: User, member_user: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    row = services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    assert row.status == Attendance.Status.PRESENT and row.checked_in_at is not None

    with pytest.raises(ValidationError, match="already checked in"):
        services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)


def test_a_wrong_code_is_refused_and_nothing_is_written(city: City, branch_secretary: User, member_user: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    wrong = "000000" if activity.checkin_code != "000000" else "111111"
    with pytest.raises(ValidationError, match="not this activity's check-in code"):
        services.attendance_check_in(activity=activity, actor=member_user, code=wrong)
    assert activity.attendance.get(member=member_user.member).checked_in_at is None


def test_check_in_opens_an_hour_before_the_start(city: City, branch_secretary: User, member_user: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() + timedelta(hours=3))
    with pytest.raises(ValidationError, match="opens an hour before"):
        services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    assert activity.attendance.get(member=member_user.member).status == Attendance.Status.UNKNOWN


def test_someone_of_another_organization_not_on_the_list_cannot_check_in(
    city: City, district_admin: User, member_user: User
) -> None:
    activity = make_activity(city.west, planner=district_admin)
    with pytest.raises(ValidationError, match="not on this activity's list"):
        services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    assert not activity.attendance.filter(member=member_user.member).exists()


def test_a_member_who_joined_the_branch_after_planning_checks_in_and_is_added_as_expected(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    Attendance.objects.filter(activity=activity, member=member_user.member).delete()
    row = services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    assert (row.role, row.status) == (Attendance.Role.EXPECTED, Attendance.Status.PRESENT)


def test_holding_records_the_minutes_and_who_hosted(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() - timedelta(hours=1))
    services.activity_hold(
        activity=activity,
        actor=branch_secretary,
        minutes="传达上级精神",
        topic="学习",
        host="张书记",
        recorder="李委员",
        is_online=True,
    )
    activity.refresh_from_db()
    assert (activity.status, activity.minutes, activity.host, activity.is_online) == (
        "held",
        "传达上级精神",
        "张书记",
        True,
    )


def test_holding_without_minutes_is_refused_and_it_stays_planned(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="minutes"):
        services.activity_hold(
            activity=activity, actor=branch_secretary, minutes=" ", topic="", host="张", recorder="李"
        )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_a_cancelled_activity_cannot_be_held(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="reason for cancelling"):
        services.activity_cancel(activity=activity, actor=branch_secretary, reason="")
    services.activity_cancel(activity=activity, actor=branch_secretary, reason="台风")
    with pytest.raises(ValidationError, match="cannot become held"):
        services.activity_hold(
            activity=activity, actor=branch_secretary, minutes="m", topic="", host="张", recorder="李"
        )
    activity.refresh_from_db()
    assert (activity.status, activity.cancel_reason) == ("cancelled", "台风")


def test_congress_quorum_counts_full_members_only(city: City, branch_secretary: User) -> None:
    full = [make_member(city.east) for _ in range(4)]
    probationary = [make_member(city.east, category=Member.Category.PROBATIONARY, full_on=None) for _ in range(3)]
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() - timedelta(hours=1))
    _present(activity, branch_secretary, full[:2] + probationary)

    quorum = selectors.activity_quorum(activity)
    assert quorum is not None
    assert (quorum.entitled, quorum.present, quorum.needed, quorum.met) == (4, 2, 3, False)

    _present(activity, branch_secretary, full[2:3])
    quorum = selectors.activity_quorum(activity)
    assert quorum is not None and quorum.met


def test_a_congress_without_quorum_is_still_recorded_as_held(city: City, branch_secretary: User) -> None:
    make_member(city.east)
    make_member(city.east)
    activity = make_activity(city.east, planner=branch_secretary, held=True)
    activity.refresh_from_db()
    quorum = selectors.activity_quorum(activity)
    assert activity.status == "held" and quorum is not None and not quorum.met


def test_committee_quorum_counts_the_expected_attendees(city: City, branch_secretary: User) -> None:
    members = [make_member(city.east, category=Member.Category.PROBATIONARY, full_on=None) for _ in range(3)]
    activity = make_activity(
        city.east, planner=branch_secretary, kind=Kind.COMMITTEE_MEETING, starts_at=timezone.now() - timedelta(hours=1)
    )
    _present(activity, branch_secretary, members[:2])
    quorum = selectors.activity_quorum(activity)
    assert quorum is not None and (quorum.entitled, quorum.present, quorum.met) == (3, 2, True)


def test_kinds_without_a_quorum_rule_have_none(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE)
    assert selectors.activity_quorum(activity) is None


def test_a_joint_event_counts_a_member_once_across_its_parts(city: City, district_admin: User) -> None:
    east_people = [make_member(city.east) for _ in range(2)]
    make_member(city.west)
    start = timezone.now() - timedelta(hours=1)
    event = services.joint_event_create(
        actor=district_admin,
        organizer=city.district,
        organizations=[city.east, city.west],
        kind=Kind.POLITICAL_BIRTHDAY,
        title="集体过政治生日",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        is_online=True,
    )
    east_part = event.activities.get(organization=city.east)
    west_part = event.activities.get(organization=city.west)
    # A member of 东社区 also joins 西社区's part as an observer: recorded in both, counted once.
    services.attendance_add(activity=west_part, actor=district_admin, member=east_people[0], role="observer")
    _present(east_part, district_admin, east_people)
    _present(west_part, district_admin, [east_people[0]])

    totals = selectors.joint_event_totals(event)
    assert totals == {"parts": 2, "listed": 3, "present": 2}


def test_a_joint_event_may_only_include_organizations_under_the_organizer(city: City, district_admin: User) -> None:
    start = timezone.now()
    with pytest.raises(ValidationError, match="not under the organizer"):
        services.joint_event_create(
            actor=district_admin,
            organizer=city.district,
            organizations=[city.east, city.other_branch],
            kind=Kind.THEME_DAY,
            title="主题党日",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    assert not JointEvent.objects.exists() and not Activity.objects.exists()


def test_changing_a_planned_activity_moves_the_attendance_copies_with_it(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    later = activity.starts_at + timedelta(days=1)
    services.activity_update(
        activity=activity,
        actor=branch_secretary,
        kind=Kind.PARTY_LECTURE,
        title="改为党课",
        starts_at=later,
        ends_at=later + timedelta(hours=1),
    )
    assert (activity.kind, activity.title, activity.starts_at) == (Kind.PARTY_LECTURE, "改为党课", later)
    assert list(activity.attendance.values_list("kind", "starts_at")) == [(Kind.PARTY_LECTURE, later)]


def test_a_held_activity_cannot_be_changed_and_stays_as_it_was(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, held=True)
    with pytest.raises(ValidationError, match="Only a planned activity"):
        services.activity_update(
            activity=activity,
            actor=branch_secretary,
            kind=Kind.THEME_DAY,
            title="改了",
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
        )
    activity.refresh_from_db()
    assert (activity.kind, activity.title) == (Kind.BRANCH_CONGRESS, "第三季度支部党员大会")


# ------------------------------------------------------------------ races (real threads, own connections)


@pytest.mark.django_db(transaction=True)
def test_a_member_checking_in_from_four_phones_at_once_is_checked_in_once(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)

    def check_in(barrier: threading.Barrier) -> None:
        loaded = Activity.objects.get(pk=activity.pk)
        barrier.wait()
        services.attendance_check_in(activity=loaded, actor=member_user, code=activity.checkin_code)

    wins, refusals = all_at_once([check_in] * 4)
    assert wins == 1 and refusals == ["You have already checked in."] * 3
    assert Event.objects.filter(verb="checked_in").count() == 1


@pytest.mark.django_db(transaction=True)
def test_holding_and_cancelling_at_once_leaves_one_outcome(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() - timedelta(hours=1))

    def hold(barrier: threading.Barrier) -> None:
        loaded = Activity.objects.get(pk=activity.pk)
        barrier.wait()
        services.activity_hold(
            activity=loaded, actor=branch_secretary, minutes="纪要", topic="", host="张", recorder="李"
        )

    def cancel(barrier: threading.Barrier) -> None:
        loaded = Activity.objects.get(pk=activity.pk)
        barrier.wait()
        services.activity_cancel(activity=loaded, actor=branch_secretary, reason="台风")

    wins, refusals = all_at_once([hold, cancel])
    assert wins == 1 and refusals == ["This activity has just been changed by someone else; reload the page."]
    activity.refresh_from_db()
    assert (activity.status == "held") == (activity.minutes == "纪要") and (activity.status == "cancelled") == (
        activity.cancel_reason == "台风"
    )


def test_a_committee_meeting_expects_the_branch_committee_by_their_posts(city: City, branch_secretary: User) -> None:
    secretary = make_member(city.east, post="支部书记")
    organizer = make_member(city.east, post="组织委员")
    make_member(city.east, post="")
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.COMMITTEE_MEETING)
    assert set(activity.attendance.values_list("member_id", flat=True)) == {secretary.pk, organizer.pk}


def test_the_minutes_of_a_held_activity_are_corrected_and_the_timeline_keeps_the_old_text(
    city: City, branch_secretary: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary, held=True)
    services.activity_minutes_correct(
        activity=activity,
        actor=branch_secretary,
        minutes="更正后的纪要",
        topic="学习党章",
        host="张书记",
        recorder="王委员",
    )
    assert (activity.minutes, activity.recorder) == ("更正后的纪要", "王委员")
    changes = Event.objects.filter(verb="changed").get().data["changes"]
    assert changes == {"minutes": ["学习党章，讨论发展对象。", "更正后的纪要"], "recorder": ["李委员", "王委员"]}


def test_minutes_cannot_be_corrected_before_the_activity_is_held(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    with pytest.raises(ValidationError, match="Only the minutes of a held activity"):
        services.activity_minutes_correct(
            activity=activity, actor=branch_secretary, minutes="m", topic="", host="张", recorder="李"
        )
    activity.refresh_from_db()
    assert activity.minutes == ""

"""Organizational life in the demo city: each branch's year of activities in a realistic mix,
some congresses missed, attendance copied from its activity, and a joint political birthday.

The small city is built once for the package (conftest) inside a transaction rolled back at the end.
"""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.utils import timezone

from lianxin.activities.models import Activity, Attendance, JointEvent, Kind
from lianxin.activities.selectors.compliance import HELD, MISSED, compliance_board
from lianxin.core.models import Event
from lianxin.demo.tests.city.city import DemoCity
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db
Status = Activity.Status


@pytest.fixture(scope="module")
def today(demo_city: DemoCity) -> date:
    """The small demo city, built once for the package; the fixture's value is the day it was built for."""
    return demo_city.today


def _last_quarter(today: date) -> tuple[date, date]:
    end = date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    return date(end.year, (end.month - 1) // 3 * 3 + 1, 1), end


def test_every_branch_with_party_members_has_a_year_of_activities_in_a_mix_of_kinds(today: date) -> None:
    branches = Organization.objects.filter(
        kind__in=Organization.BRANCH_KINDS, members__category__in=["probationary", "full"]
    ).distinct()
    assert branches.exists()
    without = branches.exclude(activities__kind=Kind.THEME_DAY)
    assert not without.exists()
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {Kind.BRANCH_CONGRESS, Kind.PARTY_LECTURE, Kind.THEME_DAY, Kind.COMMITTEE_MEETING} <= kinds
    assert Kind.POLITICAL_BIRTHDAY in kinds
    year_ago = timezone.now() - timedelta(days=366)
    assert not Activity.objects.filter(starts_at__lt=year_ago).exclude(kind=Kind.POLITICAL_BIRTHDAY).exists()


def test_activities_stand_as_planned_held_or_cancelled_as_their_dates_say(demo_city: DemoCity) -> None:
    now = demo_city.now
    assert set(Activity.objects.values_list("status", flat=True)) == set(Status.values)
    assert not Activity.objects.filter(status=Status.PLANNED, starts_at__lte=now - timedelta(hours=2)).exists()
    assert not Activity.objects.filter(status=Status.HELD, starts_at__gt=now).exists()
    held = Activity.objects.filter(status=Status.HELD)
    assert not held.filter(Q(minutes="") | Q(host="") | Q(recorder="")).exists()
    assert not Activity.objects.filter(status=Status.CANCELLED, cancel_reason="").exists()
    assert not Activity.objects.filter(status=Status.CANCELLED, attendance__isnull=False).exists()


def test_some_branches_missed_a_congress_on_the_compliance_board_while_most_held_it(today: date) -> None:
    start, end = _last_quarter(today)
    city = Organization.objects.get_root_nodes().get()
    board = compliance_board(organization=city, start=start, end=end, today=today)
    congress = board.totals[Kind.BRANCH_CONGRESS]
    assert congress[MISSED] > 0
    assert congress[HELD] > congress[MISSED]


def test_attendance_copies_its_activitys_organization_kind_and_start(today: date) -> None:
    rows = Attendance.objects.all()
    assert rows.count() > 1000
    mismatched = rows.exclude(
        organization=F("activity__organization"), kind=F("activity__kind"), starts_at=F("activity__starts_at")
    )
    assert not mismatched.exists()


def test_held_activities_record_present_excused_and_absent_members_with_reasons(today: date) -> None:
    held = Attendance.objects.filter(activity__status=Status.HELD)
    statuses = Counter(held.values_list("status", flat=True))
    assert statuses[Attendance.Status.PRESENT] > statuses[Attendance.Status.EXCUSED] > 0
    assert statuses[Attendance.Status.ABSENT] > 0
    assert not held.filter(status=Attendance.Status.PRESENT, checked_in_at__isnull=True).exists()
    assert not held.filter(status__in=["excused", "absent"], reason="").exists()
    planned = Attendance.objects.filter(activity__status=Status.PLANNED)
    assert not planned.exclude(status=Attendance.Status.UNKNOWN).exists()


def test_a_roll_lists_only_the_branchs_party_members_once_each(today: date) -> None:
    rows = Attendance.objects.all()
    assert not rows.exclude(member__organization=F("organization")).exists()
    assert not rows.exclude(member__category__in=["probationary", "full"]).exists()


def test_the_joint_political_birthday_counts_each_member_once_across_many_organizations(today: date) -> None:
    event = JointEvent.objects.get(kind=Kind.POLITICAL_BIRTHDAY)
    parts = event.activities.all()
    assert parts.count() > 5
    assert parts.values("organization").distinct().count() == parts.count()
    assert {True, False} == set(parts.values_list("is_online", flat=True))
    rows = Attendance.objects.filter(activity__joint_event=event)
    assert rows.count() == rows.values("member").distinct().count()
    assert not rows.values("member").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_each_activitys_timeline_ends_in_its_status_and_nothing_lies_after_the_present(today: date) -> None:
    subject_type = ContentType.objects.get_for_model(Activity)
    last: dict[int, Event] = {}
    for event in Event.objects.filter(subject_type=subject_type).order_by("at", "id"):
        last[event.subject_id] = event
    now = timezone.now()
    for activity in Activity.objects.all():
        event = last[activity.pk]
        assert event.to_state == activity.status
        assert event.at <= now

"""Who hears of organizational life: the members on an activity's list when it is planned, moved or
cancelled; the secretary when its minutes are late and when a required activity is due."""

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.activities import notices
from lianxin.activities.models import Activity, Kind
from lianxin.activities.services.compliance import compliance_remind
from lianxin.activities.services.planning import activity_cancel, activity_hold, activity_update, attendance_add
from lianxin.activities.services.reminders import minutes_remind
from lianxin.activities.tasks import remind_minutes_task
from lianxin.activities.tests.factories import make_activity
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.notifications.models import Notification
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.organizations.models import Organization

# Texts are asserted in English whatever the Chinese catalogue says (conftest.english_platform).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_platform")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _account(username: str, organization: Organization, **member: Any) -> User:
    """A member of `organization` with an account of their own."""
    user = user_create(username=username, password=PASSWORD, display_name=username)
    given_role(user=user, role=RoleAssignment.Role.MEMBER)
    person = make_member(organization, **member)
    person.user = user
    person.save(update_fields=["user"])
    return user


def _admin(username: str, organization: Organization) -> User:
    user = user_create(username=username, password=PASSWORD, display_name=username)
    given_role(user=user, role=RoleAssignment.Role.ORG_ADMIN, organization=organization)
    return user


def _told(kind: str) -> list[tuple[str, str]]:
    """(recipient, link) of every notification of `kind`, by recipient."""
    return list(Notification.objects.filter(kind=kind).order_by("recipient__username", "pk").values_list(
        "recipient__username", "url"))  # fmt: skip


def _page(activity: Activity) -> str:
    return reverse("activities:activity_detail", args=[activity.pk])


@pytest.fixture
def east_people(city: City) -> list[User]:
    """Two Party members of 东社区 with accounts; a third member without one; an applicant with one."""
    make_member(city.east, name="赵无号")
    applicant = {"category": Member.Category.APPLICANT, "activist_on": None, "candidate_on": None}
    _account("applicant", city.east, name="钱申请", **applicant, joined_on=None, full_on=None)
    return [_account("east_a", city.east, name="孙东"), _account("east_b", city.east, name="李东")]


# ---------------------------------------------------------------- planned, moved, cancelled


def test_a_planned_activity_reaches_its_expected_members_with_accounts_and_nobody_else(
    city: City, branch_secretary: User, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    _account("west_member", city.west)
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity(
            city.east, planner=branch_secretary, starts_at=datetime(2030, 7, 1, 19, 30, tzinfo=SHANGHAI)
        )

    page = _page(activity)
    assert _told(notices.PLANNED.code) == [("east_a", page), ("east_b", page)]  # not the applicant, not 西社区
    told = Notification.objects.filter(kind=notices.PLANNED.code).first()
    assert told is not None
    assert told.event_key == f"activity:{activity.pk}:planned"
    assert told.params == {
        "organization": "东社区党支部",
        "title": "第三季度支部党员大会",
        "when": "7/1 19:30–21:30",
        "place": "社区党群服务中心二楼",
        "date": "7/1",
    }
    assert "branch calendar" in told.text
    assert not told.urgent
    assert not Notification.objects.filter(recipient=branch_secretary).exists()


def test_someone_added_to_the_list_after_planning_is_told_of_the_plan_once(
    city: City, branch_secretary: User, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    guest = _account("west_guest", city.west, name="吴西")
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity(
            city.east, planner=branch_secretary, starts_at=datetime(2030, 7, 1, 19, 30, tzinfo=SHANGHAI)
        )
        attendance_add(activity=activity, actor=branch_secretary, member=Member.objects.get(user=guest), role="invited")

    page = _page(activity)
    assert _told(notices.PLANNED.code) == [("east_a", page), ("east_b", page), ("west_guest", page)]


def test_whoever_plans_it_is_not_told_of_their_own_activity(
    city: City, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    planner = _account("secretary_member", city.east, name="周书记")
    given_role(user=planner, role=RoleAssignment.Role.ORG_ADMIN, organization=city.east)
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(city.east, planner=planner)

    assert [who for who, _url in _told(notices.PLANNED.code)] == ["east_a", "east_b"]


def test_an_activity_entered_after_it_took_place_tells_nobody(
    city: City, branch_secretary: User, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(city.east, planner=branch_secretary, held=True)

    assert not Notification.objects.exists()


def test_a_committee_meeting_reaches_the_committee_only(
    city: City, branch_secretary: User, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    _account("committee", city.east, post="组织委员")
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(city.east, planner=branch_secretary, kind=Kind.COMMITTEE_MEETING)

    assert [who for who, _url in _told(notices.PLANNED.code)] == ["committee"]


def _change(activity: Activity, actor: User, **values: Any) -> Activity:
    """`activity` with `values` changed, the rest as it is."""
    current: dict[str, Any] = {
        field: getattr(activity, field) for field in ("kind", "title", "starts_at", "ends_at", "place", "is_online")
    }
    return activity_update(activity=activity, actor=actor, **{**current, **values})


def test_each_move_of_time_or_place_reaches_the_list_and_a_new_title_does_not(
    city: City, branch_secretary: User, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    starts = timezone.now() + timedelta(days=5)
    activity = make_activity(city.east, planner=branch_secretary, starts_at=starts)
    with django_capture_on_commit_callbacks(execute=True):
        activity = _change(activity, branch_secretary, title="七月支部党员大会")
    assert not Notification.objects.filter(kind=notices.CHANGED.code).exists()

    with django_capture_on_commit_callbacks(execute=True):
        activity = _change(activity, branch_secretary, place="会议室")
    with django_capture_on_commit_callbacks(execute=True):
        _change(
            activity,
            branch_secretary,
            starts_at=starts + timedelta(days=1),
            ends_at=starts + timedelta(days=1, hours=2),
        )

    page = _page(activity)
    assert _told(notices.CHANGED.code) == [("east_a", page), ("east_a", page), ("east_b", page), ("east_b", page)]
    keys = set(Notification.objects.filter(kind=notices.CHANGED.code).values_list("event_key", flat=True))
    assert len(keys) == 2 and all(key.startswith(f"activity:{activity.pk}:changed:") for key in keys)
    assert not Notification.objects.filter(kind=notices.CHANGED.code, urgent=True).exists()


def test_a_move_within_a_day_of_the_start_is_urgent(
    city: City, branch_secretary: User, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    starts = timezone.now() + timedelta(hours=20)
    activity = make_activity(city.east, planner=branch_secretary, starts_at=starts)
    with django_capture_on_commit_callbacks(execute=True):
        _change(
            activity,
            branch_secretary,
            starts_at=starts + timedelta(days=7),
            ends_at=starts + timedelta(days=7, hours=2),
        )

    assert set(Notification.objects.filter(kind=notices.CHANGED.code).values_list("urgent", flat=True)) == {True}


def test_a_cancellation_reaches_the_list_and_is_urgent_only_within_a_day_of_the_start(
    city: City, branch_secretary: User, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    soon = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() + timedelta(hours=3))
    later = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        activity_cancel(activity=soon, actor=branch_secretary, reason="台风预警")
        activity_cancel(activity=later, actor=branch_secretary, reason="与区委会议冲突")

    cancelled = Notification.objects.filter(kind=notices.CANCELLED.code)
    assert sorted(cancelled.filter(urgent=True).values_list("recipient__username", "url")) == [
        ("east_a", _page(soon)),
        ("east_b", _page(soon)),
    ]
    assert sorted(cancelled.filter(urgent=False).values_list("recipient__username", "url")) == [
        ("east_a", _page(later)),
        ("east_b", _page(later)),
    ]
    assert {n.event_key for n in cancelled} == {f"activity:{soon.pk}:cancelled", f"activity:{later.pk}:cancelled"}


def test_a_refused_cancellation_tells_nobody(
    city: City, branch_secretary: User, east_people: list[User], django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError, match="reason"):
        activity_cancel(activity=activity, actor=branch_secretary, reason="")

    assert not Notification.objects.filter(kind=notices.CANCELLED.code).exists()


# ------------------------------------------------------------------------ minutes not recorded


def _planned_on(organization: Organization, planner: User, day: date, **values: str) -> Activity:
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), tick=False):
        return make_activity(
            organization, planner=planner, starts_at=datetime(day.year, day.month, day.day, 19, tzinfo=SHANGHAI)
        )


def _scan_on(day: date, callbacks: CommitCallbacks) -> list[Activity]:
    morning = datetime(day.year, day.month, day.day, 7, 30, tzinfo=SHANGHAI)
    with time_machine.travel(morning, tick=False), callbacks(execute=True):
        return minutes_remind()


def test_minutes_still_missing_three_days_after_reach_the_secretary_once(
    city: City, branch_secretary: User, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    west_secretary = _admin("west_secretary", city.west)
    late = _planned_on(city.east, branch_secretary, date(2026, 12, 1))
    held = _planned_on(city.east, branch_secretary, date(2026, 12, 1))
    cancelled = _planned_on(city.east, branch_secretary, date(2026, 12, 1))
    with time_machine.travel(datetime(2026, 12, 1, 22, tzinfo=SHANGHAI), tick=False):
        activity_hold(
            activity=held, actor=branch_secretary, minutes="学习党章。", topic="党章", host="张书记", recorder="李委员"
        )
        activity_cancel(activity=cancelled, actor=branch_secretary, reason="台风")

    assert _scan_on(date(2026, 12, 3), django_capture_on_commit_callbacks) == []
    assert _scan_on(date(2026, 12, 4), django_capture_on_commit_callbacks) == [late]
    assert _scan_on(date(2026, 12, 4), django_capture_on_commit_callbacks) == [late]  # the same day again
    assert _scan_on(date(2026, 12, 5), django_capture_on_commit_callbacks) == [late]  # and the next

    told = Notification.objects.get(kind=notices.MINUTES_DUE.code)
    assert (told.recipient, told.url) == (branch_secretary, _page(late))
    assert told.event_key == f"activity:{late.pk}:minutes_due"
    assert told.organization == city.east  # its group robots post it
    assert told.params["date"] == "12/1"
    # Not the district above (东社区 has its own admin), not 西社区's.
    assert not Notification.objects.filter(recipient__in=[district_admin, west_secretary]).exists()


def test_the_scan_looks_back_a_week_and_no_further(
    city: City, branch_secretary: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    # Due on 12/4 for an activity of 12/1; a week back from that: 11/25 is found, 11/24 is too old.
    _planned_on(city.east, branch_secretary, date(2026, 11, 25))
    _planned_on(city.east, branch_secretary, date(2026, 11, 24))

    found = _scan_on(date(2026, 12, 4), django_capture_on_commit_callbacks)

    assert [timezone.localdate(a.starts_at) for a in found] == [date(2026, 11, 25)]


def test_a_branch_without_an_admin_is_served_by_the_organization_above(
    city: City, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    late = _planned_on(city.west, district_admin, date(2026, 12, 1))

    _scan_on(date(2026, 12, 4), django_capture_on_commit_callbacks)

    assert _told(notices.MINUTES_DUE.code) == [("district_admin", _page(late))]


def test_the_command_and_the_task_run_the_scan(
    city: City, branch_secretary: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    _planned_on(city.east, branch_secretary, date(2026, 12, 1))
    out = StringIO()
    with time_machine.travel(datetime(2026, 12, 4, 7, 30, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("remind_minutes", stdout=out)
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_minutes_task.call() == 1

    assert out.getvalue().strip() == "1 activity(ies) without minutes; each secretary is told once."
    assert _told(notices.MINUTES_DUE.code) == [("branch_secretary", _page(Activity.objects.get()))]


# ------------------------------------------------------------------------------- compliance


def test_the_compliance_reminder_tells_each_branchs_secretary_once_per_period(
    city: City, branch_secretary: User, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    island_secretary = _admin("island_secretary", city.other_branch)
    for day in (date(2026, 6, 25), date(2026, 6, 25), date(2026, 6, 26)):
        with django_capture_on_commit_callbacks(execute=True):
            compliance_remind(organization=city.district, today=day)

    # 东社区 by its own admin, 西社区 (no admin of its own) by the district's; once each for the quarter.
    assert _told(notices.COMPLIANCE_DUE.code) == [
        ("branch_secretary", reverse("activities:compliance") + "?org=D1E"),
        ("district_admin", reverse("activities:compliance") + "?org=D1W"),
    ]
    told = Notification.objects.get(kind=notices.COMPLIANCE_DUE.code, recipient=branch_secretary)
    assert told.event_key == f"organization:{city.east.pk}:compliance_due:2026-06-30"
    assert told.params["date"] == "6/30"
    assert told.params["kinds"].startswith("branch congress、Party")  # cut to fit one text message
    assert not Notification.objects.filter(recipient=island_secretary).exists()  # another district's branch


def test_whoever_is_told_for_several_branches_gets_one_compliance_message_for_all(
    city: City, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    # 东社区 and 西社区 have no administrator of their own: the district's is told, once for both.
    for day in (date(2026, 6, 25), date(2026, 6, 26)):  # the board's reminder repeated: nobody told twice
        with django_capture_on_commit_callbacks(execute=True):
            compliance_remind(organization=city.district, today=day)
    [both] = Notification.objects.filter(kind=notices.COMPLIANCE_DUE.code, recipient=district_admin)
    assert both.params["organization"].startswith("2 organizations under")
    assert both.url == notices.compliance_url(city.district)

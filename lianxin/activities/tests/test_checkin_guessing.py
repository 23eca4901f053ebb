"""Check-in codes cannot be found by trying them: the window comes before the code, and wrong
tries pause per person and per activity (issue 11, item 5), in the service, on the page and in the API."""

import threading
from datetime import datetime, timedelta
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance
from lianxin.activities.services import planning as services
from lianxin.activities.tests.factories import make_activity
from lianxin.core.checkin import CHECKIN_FAILURE_LIMIT, CHECKIN_PAUSE, CHECKIN_SUBJECT_FAILURE_LIMIT, checkin_keys
from lianxin.core.models import Event, Throttle
from lianxin.core.testing import all_at_once
from lianxin.core.throttling import throttle_used
from lianxin.wishes.tests.factories import make_member_user

pytestmark = pytest.mark.django_db


def _wrong(activity: Activity) -> str:
    return f"{(int(activity.checkin_code) + 1) % 10**6:06d}"


def _refusal(activity: Activity, user: User, code: str, **when: object) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        services.attendance_check_in(activity=activity, actor=user, code=code, **when)  # type: ignore[arg-type]
    return refused.value


def _nothing_written(activity: Activity, user: User) -> bool:
    return (
        not Attendance.objects.filter(activity=activity, checked_in_at__isnull=False).exists()
        and not Event.objects.filter(verb="checked_in", actor=user).exists()
    )


def _used(activity: Activity, user: User, now: datetime) -> list[int]:
    """Tries counted for this person on this activity, and for the activity."""
    return [throttle_used(rule=rule, key=key, now=now) for rule, key in checkin_keys(subject=activity, user=user)]


def _nothing_counted() -> bool:
    return not Throttle.objects.filter(scope__startswith="checkin").exists()


@pytest.mark.parametrize("days", [-3, 3])
def test_outside_the_window_the_answer_is_the_same_whatever_the_code(
    city: City, branch_secretary: User, member_user: User, days: int
) -> None:
    starts = timezone.now() + timedelta(days=days)
    activity = make_activity(city.east, planner=branch_secretary, starts_at=starts)
    right = _refusal(activity, member_user, activity.checkin_code)
    wrong = _refusal(activity, member_user, _wrong(activity))
    assert right.messages == wrong.messages and right.code == wrong.code
    assert right.code in ("too_early", "too_late")
    assert _nothing_written(activity, member_user)
    assert _nothing_counted()


def test_after_the_wrong_tries_even_the_right_code_waits_for_the_pause(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    now = timezone.now()
    for _ in range(CHECKIN_FAILURE_LIMIT):
        assert _refusal(activity, member_user, _wrong(activity), now=now).code == "wrong_code"
    assert _used(activity, member_user, now) == [CHECKIN_FAILURE_LIMIT, CHECKIN_FAILURE_LIMIT]

    paused = _refusal(activity, member_user, activity.checkin_code, now=now)
    assert paused.code == "too_many_tries"
    assert f"{CHECKIN_PAUSE.seconds // 60} minutes" in paused.messages[0]
    assert _nothing_written(activity, member_user)

    row = services.attendance_check_in(
        activity=activity, actor=member_user, code=activity.checkin_code, now=now + CHECKIN_PAUSE
    )
    assert row.status == Attendance.Status.PRESENT


def test_one_persons_wrong_tries_do_not_pause_another(city: City, branch_secretary: User, member_user: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    other = make_member_user(city.east, "east_other")
    now = timezone.now()
    for _ in range(CHECKIN_FAILURE_LIMIT):
        _refusal(activity, member_user, _wrong(activity), now=now)
    row = services.attendance_check_in(activity=activity, actor=other, code=activity.checkin_code, now=now)
    assert row.checked_in_at == now


def test_many_people_guessing_together_pause_the_activity(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    now = timezone.now()
    guessers = -(-CHECKIN_SUBJECT_FAILURE_LIMIT // CHECKIN_FAILURE_LIMIT)
    for n in range(guessers):
        user = make_member_user(city.east, f"guesser{n}")
        for _ in range(CHECKIN_FAILURE_LIMIT):
            _refusal(activity, user, _wrong(activity), now=now)
    latecomer = make_member_user(city.east, "latecomer")
    assert _refusal(activity, latecomer, activity.checkin_code, now=now).code == "too_many_tries"
    assert _nothing_written(activity, latecomer)
    assert _used(activity, latecomer, now) == [0, CHECKIN_SUBJECT_FAILURE_LIMIT]  # the refused try is given back


def test_the_right_code_is_not_counted(city: City, branch_secretary: User, member_user: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    now = timezone.now()
    for _ in range(CHECKIN_FAILURE_LIMIT - 1):
        _refusal(activity, member_user, _wrong(activity), now=now)
    row = services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code, now=now)
    assert row.status == Attendance.Status.PRESENT
    assert _used(activity, member_user, now) == [CHECKIN_FAILURE_LIMIT - 1, CHECKIN_FAILURE_LIMIT - 1]


def _guess(activity: Activity, user: User, now: datetime, barrier: threading.Barrier) -> None:
    barrier.wait()
    services.attendance_check_in(activity=activity, actor=user, code=_wrong(activity), now=now)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_codes_get_exactly_the_allowed_tries(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    now = timezone.now()
    tries = 3 * CHECKIN_FAILURE_LIMIT

    wins, refusals = all_at_once([partial(_guess, activity, member_user, now) for _ in range(tries)])

    wrong = [m for m in refusals if "not this activity's check-in code" in m]
    paused = [m for m in refusals if "Too many wrong check-in codes" in m]
    assert wins == 0 and len(wrong) == CHECKIN_FAILURE_LIMIT and len(paused) == tries - CHECKIN_FAILURE_LIMIT
    assert _used(activity, member_user, now) == [CHECKIN_FAILURE_LIMIT, CHECKIN_FAILURE_LIMIT]


def test_someone_not_on_the_list_learns_nothing_about_the_code(
    city: City, district_admin: User, member_user: User
) -> None:
    activity = make_activity(city.west, planner=district_admin)
    right = _refusal(activity, member_user, activity.checkin_code)
    wrong = _refusal(activity, member_user, _wrong(activity))
    assert right.messages == wrong.messages and right.code == "not_listed"
    assert _nothing_counted()


def _logged_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_check_in_page_days_ahead_answers_the_same_for_any_code(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() + timedelta(days=3))
    page = _logged_in(member_user)
    url = reverse("activities:activity_checkin", args=[activity.pk])
    answers = [
        page.post(url, {"code": code}, follow=True).content.decode()
        for code in (activity.checkin_code, _wrong(activity))
    ]
    assert "Check-in opens an hour before the start." in answers[0]
    assert "not this activity&#x27;s check-in code" not in answers[1]
    assert "Check-in opens an hour before the start." in answers[1]
    assert _nothing_written(activity, member_user)


def test_the_api_pauses_after_the_wrong_tries(city: City, branch_secretary: User, member_user: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    api = _logged_in(member_user)
    url = f"/api/v1/activities/{activity.pk}/checkin"
    for _ in range(CHECKIN_FAILURE_LIMIT):
        assert api.post(url, {"code": _wrong(activity)}, content_type="application/json").status_code == 409
    paused = api.post(url, {"code": activity.checkin_code}, content_type="application/json")
    assert paused.status_code in (409, 429) and "Too many wrong check-in codes" in paused.content.decode()
    assert _nothing_written(activity, member_user)

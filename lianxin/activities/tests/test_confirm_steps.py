"""No surprises: recording an activity as held and cancelling it cannot be undone, so each is
previewed with its warnings first and written only when what was shown is confirmed."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, ActivityVerb
from lianxin.activities.services.attendance import attendance_record_bulk
from lianxin.activities.services.planning import attendance_record
from lianxin.activities.tests.factories import make_activity, make_branch_congress
from lianxin.core.models import Event

pytestmark = pytest.mark.django_db
HOLD = {"minutes": "学习党章，讨论发展对象。", "host": "张书记", "recorder": "李委员", "topic": "学习党章"}


def _as(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _confirmation(html: str) -> str:
    found = re.search(r'name="confirm" value="([0-9a-f]+)"', html)
    assert found, "the preview offers no confirmation"
    return found.group(1)


def _unchanged(activity: Activity) -> None:
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED and activity.minutes == "" and activity.cancel_reason == ""
    assert not Event.objects.filter(
        subject_id=activity.pk, verb__in=[ActivityVerb.HELD, ActivityVerb.CANCELLED]
    ).exists()


def test_holding_is_previewed_with_the_unrecorded_and_the_missing_quorum_and_written_on_confirmation(
    city: City, branch_secretary: User
) -> None:
    activity, people = make_branch_congress(city.east, planner=branch_secretary, full=5, probationary=1)
    attendance_record(activity=activity, actor=branch_secretary, member=people[0], status="present")
    client = _as(branch_secretary)
    url = reverse("activities:activity_hold", args=[activity.pk])

    response = client.post(url, HOLD)

    html = response.content.decode()
    assert response.status_code == 200
    assert "will be recorded as held: 1 of 6 expected present." in html
    assert "5 people on the list have no attendance recorded and will count as not present." in html
    assert "Only 1 of 5 entitled to vote are recorded present; at least 3 are needed." in html
    assert "学习党章，讨论发展对象。" in html
    _unchanged(activity)

    response = client.post(url, {**HOLD, "confirm": _confirmation(html)})

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD and activity.host == "张书记"


def test_a_confirmation_after_the_activity_changed_or_of_other_values_is_previewed_again(
    city: City, branch_secretary: User
) -> None:
    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=3)
    client = _as(branch_secretary)
    url = reverse("activities:activity_hold", args=[activity.pk])
    shown = _confirmation(client.post(url, HOLD).content.decode())

    other_minutes = client.post(url, {**HOLD, "minutes": "另一份记录", "confirm": shown})
    attendance_record_bulk(activity=activity, actor=branch_secretary, status="present")
    Activity.objects.filter(pk=activity.pk).update(updated_at=timezone.now() + timedelta(seconds=5))
    after_a_change = client.post(url, {**HOLD, "confirm": shown})

    assert other_minutes.status_code == after_a_change.status_code == 200
    assert "Check before confirming" in after_a_change.content.decode()
    _unchanged(activity)


def test_attendance_recorded_between_the_preview_and_the_confirmation_brings_the_preview_back(
    city: City, branch_secretary: User
) -> None:
    # Given a hold previewed while no one's attendance was recorded
    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=3)
    client = _as(branch_secretary)
    url = reverse("activities:activity_hold", args=[activity.pk])
    shown = _confirmation(client.post(url, HOLD).content.decode())
    # When everyone is recorded present (the activity row itself unchanged) and the old preview is confirmed
    attendance_record_bulk(activity=activity, actor=branch_secretary, status="present")
    again = client.post(url, {**HOLD, "confirm": shown})
    # Then the new preview is shown, without the warnings that no longer hold, and nothing is written
    html = again.content.decode()
    assert again.status_code == 200 and "Check before confirming" in html
    assert "no attendance recorded" not in html
    _unchanged(activity)


def test_an_activity_not_started_offers_no_confirmation_to_hold(city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() + timedelta(days=1))
    response = _as(branch_secretary).post(reverse("activities:activity_hold", args=[activity.pk]), HOLD)
    html = response.content.decode()
    assert "An activity cannot be held before it starts." in html and 'name="confirm"' not in html
    _unchanged(activity)


def test_cancelling_is_previewed_with_who_is_on_the_list_and_written_on_confirmation(
    city: City, branch_secretary: User
) -> None:
    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=4)
    client = _as(branch_secretary)
    url = reverse("activities:activity_cancel", args=[activity.pk])

    html = client.post(url, {"reason": "台风"}).content.decode()

    assert "will be cancelled for the 4 people on its list. A cancellation cannot be undone." in html
    assert "This activity has already started; if it took place, record it as held instead." in html
    _unchanged(activity)
    client.post(url, {"reason": "台风", "confirm": _confirmation(html)})
    activity.refresh_from_db()
    assert (activity.status, activity.cancel_reason) == (Activity.Status.CANCELLED, "台风")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", {"Name the host and the recorder.", "Write the minutes of the activity."}),
        ("zh-hans", {"请填写主持人和记录人。", "请填写活动的会议记录。"}),
    ],
)
def test_empty_required_fields_are_refused_with_a_clear_message_and_nothing_is_written(
    city: City, branch_secretary: User, language: str, expected: set[str]
) -> None:
    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=2)
    response = _as(branch_secretary, language).post(
        reverse("activities:activity_hold", args=[activity.pk]), {"minutes": " ", "host": "", "recorder": ""}
    )
    assert response.status_code == 302
    assert {str(m) for m in get_messages(response.wsgi_request)} == expected
    _unchanged(activity)


@pytest.mark.parametrize(
    ("language", "required"), [("en", "This field is required."), ("zh-hans", "这个字段是必填项。")]
)
def test_planning_with_an_empty_start_is_refused_in_chinese_and_english(
    city: City, branch_secretary: User, language: str, required: str
) -> None:
    response = _as(branch_secretary, language).post(
        reverse("activities:activity_new"),
        {
            "organization": city.east.pk,
            "kind": "branch_congress",
            "title": "支部党员大会",
            "starts_at": "",
            "ends_at": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.count(required) == 2
    assert not Activity.objects.exists()


def test_an_admin_of_another_branch_cannot_preview_or_confirm(city: City, branch_secretary: User) -> None:
    from conftest import _user

    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=2)
    client = _as(_user("west_secretary", "org_admin", city.west))
    for step, data in (("activity_hold", HOLD), ("activity_cancel", {"reason": "台风"})):
        response = client.post(reverse(f"activities:{step}", args=[activity.pk]), {**data, "confirm": "x"})
        assert response.status_code == 404
    _unchanged(activity)

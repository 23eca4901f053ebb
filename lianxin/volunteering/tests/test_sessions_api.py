"""Sessions through the API: list, detail, sign up, leave, check in with the code, check out."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import SignUp
from lianxin.volunteering.tests.factories_sessions import (
    make_led_team,
    make_session,
    make_volunteer,
    move_session,
    signed_up,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(member_user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=member_user.username, password=PASSWORD)
    return client


def test_the_api_needs_a_login(city: City) -> None:
    make_session(make_led_team(city.east))
    assert Client().get("/api/v1/volunteering/sessions").status_code == 401


def test_a_member_lists_upcoming_sessions_and_reads_one(api: Client, city: City) -> None:
    session = make_session(make_led_team(city.east), title="义务理发")
    items = api.get("/api/v1/volunteering/sessions").json()["items"]
    assert [(i["id"], i["title"], i["signed_up"]) for i in items] == [(session.pk, "义务理发", 0)]
    detail = api.get(f"/api/v1/volunteering/sessions/{session.pk}").json()
    assert detail["place"] == session.place and detail["slots"] == 5


def test_a_member_signs_up_checks_in_and_out_and_leaving_after_check_in_is_refused(
    api: Client, city: City, member_user: User
) -> None:
    session = move_session(make_session(make_led_team(city.east)), timezone.now() + timedelta(minutes=20))
    base = f"/api/v1/volunteering/sessions/{session.pk}"
    assert api.post(f"{base}/signup", content_type="application/json").status_code == 201
    wrong = "000000" if session.checkin_code != "000000" else "111111"
    refused = api.post(f"{base}/checkin", {"code": wrong}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["detail"] == "That is not this session's check-in code."
    assert SignUp.objects.get(user=member_user).checked_in_at is None
    checked_in = api.post(f"{base}/checkin", {"code": session.checkin_code}, content_type="application/json")
    assert checked_in.status_code == 200 and checked_in.json()["checked_in_at"]
    leave = api.post(f"{base}/leave", content_type="application/json")
    assert leave.status_code == 409 and "can no longer leave" in leave.json()["detail"]
    early = api.post(f"{base}/checkout", content_type="application/json")
    assert early.status_code == 409 and "records 0 hours; confirm" in early.json()["detail"]
    assert SignUp.objects.get(user=member_user).checked_out_at is None
    out = api.post(f"{base}/checkout?confirm=true", content_type="application/json")
    assert out.status_code == 200 and out.json()["hours"] == "0"


def test_a_full_session_answers_409_with_the_message(api: Client, city: City) -> None:
    session = make_session(make_led_team(city.east), slots=1)
    signed_up(session, make_volunteer(city.east))
    response = api.post(f"/api/v1/volunteering/sessions/{session.pk}/signup", content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"] == "The last place on this session has just been taken."


def test_leaving_before_check_in_frees_the_place(api: Client, city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    base = f"/api/v1/volunteering/sessions/{session.pk}"
    api.post(f"{base}/signup", content_type="application/json")
    response = api.post(f"{base}/leave", content_type="application/json")
    assert response.status_code == 200 and response.json()["left_at"]
    assert api.get(base).json()["signed_up"] == 0


def test_a_walk_in_signs_up_and_checks_in_through_the_api_and_a_full_session_answers_409(
    api: Client, city: City, member_user: User
) -> None:
    session = move_session(make_session(make_led_team(city.east), slots=1), timezone.now() - timedelta(minutes=10))
    base = f"/api/v1/volunteering/sessions/{session.pk}"
    done = api.post(f"{base}/walk-in", {"code": session.checkin_code}, content_type="application/json")
    assert done.status_code == 201 and done.json()["checked_in_at"]
    assert SignUp.objects.get(user=member_user).checked_in_at is not None

    full = move_session(make_session(make_led_team(city.east), slots=1), timezone.now() + timedelta(days=3))
    signed_up(full, make_volunteer(city.east))
    full = move_session(full, timezone.now() + timedelta(minutes=30))
    refused = api.post(
        f"/api/v1/volunteering/sessions/{full.pk}/walk-in", {"code": full.checkin_code}, content_type="application/json"
    )
    assert refused.status_code == 409 and refused.json()["code"] == "full"
    assert not SignUp.objects.filter(session=full, user=member_user).exists()

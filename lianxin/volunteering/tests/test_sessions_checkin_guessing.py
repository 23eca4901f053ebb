"""A session's check-in code cannot be found by trying it: the window comes before the code, and
wrong tries pause per person and per session (issue 11, item 5), in the service, on the page and in the API."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.checkin import CHECKIN_FAILURE_LIMIT, CHECKIN_PAUSE, CHECKIN_SUBJECT_FAILURE_LIMIT, checkin_keys
from lianxin.core.models import Event, Throttle
from lianxin.core.throttling import throttle_used
from lianxin.volunteering.models import Session, SignUp
from lianxin.volunteering.services.sessions import signup_check_in
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, make_volunteer, signed_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(city: City) -> Session:
    return make_session(make_led_team(city.east), hours=2, slots=CHECKIN_SUBJECT_FAILURE_LIMIT + 2)


def _volunteer(city: City, session: Session) -> User:
    user = make_volunteer(city.east)
    signed_up(session, user)
    return user


def _wrong(session: Session) -> str:
    return f"{(int(session.checkin_code) + 1) % 10**6:06d}"


def _refusal(session: Session, user: User, code: str, **when: object) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        signup_check_in(session=session, actor=user, code=code, **when)  # type: ignore[arg-type]
    return refused.value


def _nothing_written(session: Session) -> bool:
    return (
        not SignUp.objects.filter(session=session, checked_in_at__isnull=False).exists()
        and not Event.objects.filter(verb="checked_in").exists()
    )


def _used(session: Session, user: User, now: datetime) -> list[int]:
    """Tries counted for this person on this session, and for the session."""
    return [throttle_used(rule=rule, key=key, now=now) for rule, key in checkin_keys(subject=session, user=user)]


def _nothing_counted() -> bool:
    return not Throttle.objects.filter(scope__startswith="checkin").exists()


@pytest.mark.parametrize("offset", [timedelta(days=-3), timedelta(hours=-2), timedelta(days=3)])
def test_outside_the_window_the_answer_is_the_same_whatever_the_code(
    city: City, session: Session, offset: timedelta
) -> None:
    volunteer = _volunteer(city, session)
    now = session.starts_at + offset if offset < timedelta(0) else session.ends_at + offset
    right = _refusal(session, volunteer, session.checkin_code, now=now)
    wrong = _refusal(session, volunteer, _wrong(session), now=now)
    assert right.messages == wrong.messages and right.code in ("too_early", "too_late")
    assert _nothing_written(session) and _nothing_counted()


def test_after_the_wrong_tries_even_the_right_code_waits_for_the_pause(city: City, session: Session) -> None:
    volunteer = _volunteer(city, session)
    now = session.starts_at
    for _ in range(CHECKIN_FAILURE_LIMIT):
        assert _refusal(session, volunteer, _wrong(session), now=now).code == "wrong_code"
    assert _used(session, volunteer, now) == [CHECKIN_FAILURE_LIMIT, CHECKIN_FAILURE_LIMIT]
    paused = _refusal(session, volunteer, session.checkin_code, now=now + timedelta(minutes=1))
    assert paused.code == "too_many_tries"
    assert f"{CHECKIN_PAUSE.seconds // 60 - 1} minutes" in paused.messages[0]
    assert _nothing_written(session)
    signup = signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=now + CHECKIN_PAUSE)
    assert signup.checked_in_at == now + CHECKIN_PAUSE


def test_one_persons_wrong_tries_do_not_pause_another(city: City, session: Session) -> None:
    guesser, other = _volunteer(city, session), _volunteer(city, session)
    for _ in range(CHECKIN_FAILURE_LIMIT):
        _refusal(session, guesser, _wrong(session), now=session.starts_at)
    assert signup_check_in(session=session, actor=other, code=session.checkin_code, now=session.starts_at)


def test_many_people_guessing_together_pause_the_session(city: City, session: Session) -> None:
    now = session.starts_at
    for _n in range(-(-CHECKIN_SUBJECT_FAILURE_LIMIT // CHECKIN_FAILURE_LIMIT)):
        guesser = _volunteer(city, session)
        for _ in range(CHECKIN_FAILURE_LIMIT):
            _refusal(session, guesser, _wrong(session), now=now)
    latecomer = _volunteer(city, session)
    assert _refusal(session, latecomer, session.checkin_code, now=now).code == "too_many_tries"
    assert _nothing_written(session)
    assert _used(session, latecomer, now) == [0, CHECKIN_SUBJECT_FAILURE_LIMIT]  # the refused try is given back


def test_the_right_code_is_not_counted(city: City, session: Session) -> None:
    volunteer, now = _volunteer(city, session), session.starts_at
    for _ in range(CHECKIN_FAILURE_LIMIT - 1):
        _refusal(session, volunteer, _wrong(session), now=now)
    assert signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=now).checked_in_at == now
    assert _used(session, volunteer, now) == [CHECKIN_FAILURE_LIMIT - 1, CHECKIN_FAILURE_LIMIT - 1]


def test_someone_not_signed_up_learns_nothing_about_the_code(city: City, session: Session) -> None:
    stranger = make_volunteer(city.east)
    right = _refusal(session, stranger, session.checkin_code, now=session.starts_at)
    wrong = _refusal(session, stranger, _wrong(session), now=session.starts_at)
    assert right.messages == wrong.messages and right.code == "not_signed_up"
    assert _nothing_counted()


def _logged_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_check_in_page_a_day_ahead_answers_the_same_for_any_code(city: City, session: Session) -> None:
    page = _logged_in(_volunteer(city, session))
    url = reverse("volunteering:session_checkin", args=[session.pk])
    answers = [
        page.post(url, {"code": code}, follow=True).content.decode() for code in (session.checkin_code, _wrong(session))
    ]
    assert all("Check-in opens at" in answer for answer in answers)
    assert "not this session&#x27;s check-in code" not in answers[1]
    assert _nothing_written(session)


def test_the_api_days_ahead_answers_the_same_for_any_code(city: City, session: Session) -> None:
    api = _logged_in(_volunteer(city, session))
    url = f"/api/v1/volunteering/sessions/{session.pk}/checkin"
    answers = [
        api.post(url, {"code": code}, content_type="application/json")
        for code in (session.checkin_code, _wrong(session))
    ]
    assert [a.status_code for a in answers] == [409, 409]
    assert answers[0].json() == answers[1].json()
    assert _nothing_written(session)

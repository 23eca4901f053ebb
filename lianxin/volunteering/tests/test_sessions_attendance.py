"""At the venue: check in with the code inside the window, check out, hours; the leader's sheet."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.volunteering.models import Session, SignUp
from lianxin.volunteering.services.sessions import (
    session_cancel,
    signup_check_in,
    signup_check_out,
    signup_leave,
    signup_record_hours,
)
from lianxin.volunteering.tests.factories import leader_of
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, make_volunteer, signed_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(city: City) -> Session:
    return make_session(make_led_team(city.east), hours=2)


@pytest.fixture
def volunteer(city: City, session: Session) -> User:
    user = make_volunteer(city.east)
    signed_up(session, user)
    return user


def test_a_volunteer_checks_in_with_the_code_and_out_two_hours_later(session: Session, volunteer: User) -> None:
    start = session.starts_at
    signup = signup_check_in(
        session=session, actor=volunteer, code=session.checkin_code, now=start - timedelta(minutes=5)
    )
    assert signup.checked_in_at == start - timedelta(minutes=5)
    signup = signup_check_out(session=session, actor=volunteer, now=start + timedelta(minutes=100), confirmed=True)
    stored = SignUp.objects.get(pk=signup.pk)
    # 105 minutes: one hour, and 45 minutes that count half an hour
    assert stored.hours == Decimal("1.5")
    assert stored.checked_out_at == start + timedelta(minutes=100)


def test_hours_are_capped_by_the_session_length(session: Session, volunteer: User) -> None:
    signup_check_in(
        session=session, actor=volunteer, code=session.checkin_code, now=session.starts_at - timedelta(hours=1)
    )
    signup = signup_check_out(session=session, actor=volunteer, now=session.ends_at + timedelta(hours=2))
    assert signup.hours == Decimal("2")


def test_a_wrong_code_is_refused_clearly_and_nothing_is_written(session: Session, volunteer: User) -> None:
    wrong = "000000" if session.checkin_code != "000000" else "111111"
    with pytest.raises(ValidationError, match="not this session's check-in code"):
        signup_check_in(session=session, actor=volunteer, code=wrong, now=session.starts_at)
    assert SignUp.objects.get(user=volunteer).checked_in_at is None


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(hours=-1, seconds=-1), "Check-in opens at"),
        (timedelta(hours=2, seconds=1), "check-in is closed"),
    ],
)
def test_checking_in_outside_the_window_is_refused(
    session: Session, volunteer: User, offset: timedelta, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=session.starts_at + offset)
    assert SignUp.objects.get(user=volunteer).checked_in_at is None


def test_the_window_opens_exactly_an_hour_before_and_closes_at_the_end(city: City, session: Session) -> None:
    early, late = make_volunteer(city.east), make_volunteer(city.east)
    signed_up(session, early)
    signed_up(session, late)
    signup_check_in(session=session, actor=early, code=session.checkin_code, now=session.starts_at - timedelta(hours=1))
    signup_check_in(session=session, actor=late, code=session.checkin_code, now=session.ends_at)
    assert SignUp.objects.filter(session=session, checked_in_at__isnull=False).count() == 2


def test_someone_not_signed_up_cannot_check_in(city: City, session: Session) -> None:
    stranger = make_volunteer(city.east)
    with pytest.raises(ValidationError, match="not signed up"):
        signup_check_in(session=session, actor=stranger, code=session.checkin_code, now=session.starts_at)
    assert not SignUp.objects.filter(user=stranger).exists()


def test_checking_in_twice_is_refused_and_keeps_the_first_time(session: Session, volunteer: User) -> None:
    first = session.starts_at - timedelta(minutes=10)
    signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=first)
    with pytest.raises(ValidationError, match="already checked in"):
        signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=session.starts_at)
    assert SignUp.objects.get(user=volunteer).checked_in_at == first


def test_checking_out_before_checking_in_or_twice_is_refused(session: Session, volunteer: User) -> None:
    with pytest.raises(ValidationError, match="Check in first"):
        signup_check_out(session=session, actor=volunteer, now=session.ends_at)
    signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=session.starts_at)
    signup_check_out(session=session, actor=volunteer, now=session.ends_at)
    with pytest.raises(ValidationError, match="already checked out"):
        signup_check_out(session=session, actor=volunteer, now=session.ends_at + timedelta(hours=1))
    assert SignUp.objects.get(user=volunteer).hours == Decimal("2")


def test_leaving_after_check_in_is_refused(session: Session, volunteer: User) -> None:
    signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=session.starts_at)
    with pytest.raises(ValidationError, match="can no longer leave"):
        signup_leave(session=session, actor=volunteer)
    assert SignUp.objects.get(user=volunteer).left_at is None
    assert Session.objects.get(pk=session.pk).signed_up_count == 1


def test_a_cancelled_session_takes_no_check_in(session: Session, volunteer: User) -> None:
    session_cancel(session=session, actor=leader_of(session.team), reason="台风")
    with pytest.raises(ValidationError, match="not open for check-in"):
        signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=session.starts_at)
    assert SignUp.objects.get(user=volunteer).checked_in_at is None


def _started(session: Session) -> Session:
    length = session.ends_at - session.starts_at
    start = timezone.now() - timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + length)
    session.refresh_from_db()
    return session


def test_the_leader_records_hours_by_hand_for_someone_without_a_phone(session: Session, volunteer: User) -> None:
    session = _started(session)
    signup = SignUp.objects.get(user=volunteer)
    signup_record_hours(
        session=session, actor=leader_of(session.team), signup=signup, hours=Decimal("1.5"), note="无手机"
    )
    assert SignUp.objects.get(pk=signup.pk).hours == Decimal("1.5")


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (Decimal("-1"), "cannot be negative"),
        (Decimal("2.5"), "At most 2 hours"),
        (Decimal("1.3"), "whole hours or .5 of an hour"),
    ],
)
def test_hours_by_hand_must_fit_the_session_and_the_rule(
    session: Session, volunteer: User, hours: Decimal, message: str
) -> None:
    session = _started(session)
    signup = SignUp.objects.get(user=volunteer)
    with pytest.raises(ValidationError, match=message):
        signup_record_hours(session=session, actor=leader_of(session.team), signup=signup, hours=hours)
    assert SignUp.objects.get(pk=signup.pk).hours == Decimal("0")


def test_hours_cannot_be_recorded_before_the_start_or_by_a_volunteer(session: Session, volunteer: User) -> None:
    signup = SignUp.objects.get(user=volunteer)
    with pytest.raises(ValidationError, match="once the session has started"):
        signup_record_hours(session=session, actor=leader_of(session.team), signup=signup, hours=Decimal("1"))
    session = _started(session)
    with pytest.raises(ValidationError, match="not allowed"):
        signup_record_hours(session=session, actor=volunteer, signup=signup, hours=Decimal("2"))
    assert SignUp.objects.get(pk=signup.pk).hours == Decimal("0")

"""At the venue: a walk-in signs up and checks in in one step; an early check-out asks first;
the leader confirms everyone present at once and marks the exceptions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.volunteering.models import Session, SignUp
from lianxin.volunteering.services.attendance import session_confirm_all_present, signup_walk_in
from lianxin.volunteering.services.sessions import signup_check_in, signup_check_out, signup_record_hours
from lianxin.volunteering.tests.factories import leader_of, make_user
from lianxin.volunteering.tests.factories_sessions import (
    make_led_team,
    make_session,
    make_volunteer,
    move_session,
    signed_up,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(city: City) -> Session:
    return make_session(make_led_team(city.east), hours=2, slots=2)


def _wrong(session: Session) -> str:
    return "000000" if session.checkin_code != "000000" else "111111"


def _nothing_written(session: Session, user: User, places: int = 0) -> None:
    assert not SignUp.objects.filter(session=session, user=user).exists()
    assert Session.objects.get(pk=session.pk).signed_up_count == places
    assert not Event.objects.filter(subject_id=session.pk, verb__in=["signed_up", "checked_in"], actor=user).exists()


def test_a_walk_in_with_places_left_is_signed_up_and_checked_in_at_once(city: City, session: Session) -> None:
    walker = make_volunteer(city.east)
    at = session.starts_at + timedelta(minutes=10)

    signup = signup_walk_in(session=session, actor=walker, code=session.checkin_code, now=at)

    stored = SignUp.objects.get(pk=signup.pk)
    assert stored.user == walker and stored.checked_in_at == at and stored.left_at is None
    assert Session.objects.get(pk=session.pk).signed_up_count == 1
    verbs = list(
        Event.objects.filter(subject_id=session.pk, actor=walker).values_list("verb", "data__walk_in").order_by("id")
    )
    assert verbs == [("signed_up", True), ("checked_in", True)]


def test_a_full_session_refuses_the_walk_in_clearly_and_writes_nothing(city: City, session: Session) -> None:
    signed_up(session, make_volunteer(city.east))
    signed_up(session, make_volunteer(city.east))
    walker = make_volunteer(city.east)
    session.refresh_from_db()

    with pytest.raises(ValidationError, match="This session is full: all 2 places are taken") as refused:
        signup_walk_in(session=session, actor=walker, code=session.checkin_code, now=session.starts_at)

    assert refused.value.code == "full"
    _nothing_written(session, walker, places=2)


def test_the_last_place_taken_meanwhile_refuses_the_walk_in_as_full(city: City, session: Session) -> None:
    walker = make_volunteer(city.east)
    stale = Session.objects.get(pk=session.pk)  # read before the two places went
    signed_up(session, make_volunteer(city.east))
    signed_up(session, make_volunteer(city.east))

    with pytest.raises(ValidationError, match="This session is full"):
        signup_walk_in(session=stale, actor=walker, code=session.checkin_code, now=session.starts_at)

    _nothing_written(session, walker, places=2)


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(hours=-1, seconds=-1), "Check-in opens at"),
        (timedelta(hours=2, seconds=1), "check-in is closed"),
    ],
)
def test_a_walk_in_outside_the_check_in_window_is_refused(
    city: City, session: Session, offset: timedelta, message: str
) -> None:
    walker = make_volunteer(city.east)
    with pytest.raises(ValidationError, match=message):
        signup_walk_in(session=session, actor=walker, code=session.checkin_code, now=session.starts_at + offset)
    _nothing_written(session, walker)


def test_someone_already_signed_up_is_told_to_check_in_and_nothing_changes(city: City, session: Session) -> None:
    volunteer = make_volunteer(city.east)
    signed_up(session, volunteer)

    with pytest.raises(ValidationError, match="already signed up for this session; check in with the code"):
        signup_walk_in(session=session, actor=volunteer, code=session.checkin_code, now=session.starts_at)

    stored = SignUp.objects.get(session=session, user=volunteer)
    assert stored.checked_in_at is None and Session.objects.get(pk=session.pk).signed_up_count == 1


def test_a_wrong_code_signs_nobody_up(city: City, session: Session) -> None:
    walker = make_volunteer(city.east)
    with pytest.raises(ValidationError, match="not this session's check-in code"):
        signup_walk_in(session=session, actor=walker, code=_wrong(session), now=session.starts_at)
    _nothing_written(session, walker)


def test_someone_who_may_not_volunteer_cannot_walk_in(session: Session) -> None:
    stranger = make_user("passer_by")
    with pytest.raises(ValidationError, match="Sign-up is for Party members"):
        signup_walk_in(session=session, actor=stranger, code=session.checkin_code, now=session.starts_at)
    _nothing_written(session, stranger)


def test_a_cancelled_session_takes_no_walk_in(city: City, session: Session) -> None:
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    session.refresh_from_db()
    walker = make_volunteer(city.east)
    with pytest.raises(ValidationError, match="not open for check-in"):
        signup_walk_in(session=session, actor=walker, code=session.checkin_code, now=session.starts_at)
    _nothing_written(session, walker)


# ------------------------------------------------------------------ checking out early


@pytest.fixture
def checked_in(city: City, session: Session) -> User:
    volunteer = make_volunteer(city.east)
    signed_up(session, volunteer)
    signup_check_in(session=session, actor=volunteer, code=session.checkin_code, now=session.starts_at)
    return volunteer


def test_an_early_check_out_without_confirmation_says_it_counts_nothing_and_writes_nothing(
    session: Session, checked_in: User
) -> None:
    with pytest.raises(ValidationError, match="records 0 hours; confirm to check out") as asked:
        signup_check_out(session=session, actor=checked_in, now=session.starts_at + timedelta(minutes=10))

    assert asked.value.code == "confirm_early_check_out"
    stored = SignUp.objects.get(session=session, user=checked_in)
    assert stored.checked_out_at is None and stored.hours == 0
    assert not Event.objects.filter(subject_id=session.pk, verb="checked_out").exists()


def test_an_early_check_out_names_the_hours_it_would_count(session: Session, checked_in: User) -> None:
    with pytest.raises(ValidationError, match=r"records 1\.5 hours"):
        signup_check_out(session=session, actor=checked_in, now=session.starts_at + timedelta(minutes=100))
    assert SignUp.objects.get(session=session, user=checked_in).checked_out_at is None


def test_a_confirmed_early_check_out_records_the_hours_and_says_it_was_early(
    session: Session, checked_in: User
) -> None:
    at = session.starts_at + timedelta(minutes=50)
    signup = signup_check_out(session=session, actor=checked_in, now=at, confirmed=True)
    assert SignUp.objects.get(pk=signup.pk).hours == Decimal("1") and signup.checked_out_at == at
    assert Event.objects.get(subject_id=session.pk, verb="checked_out").data["early"] is True


def test_checking_out_after_the_end_needs_no_confirmation(session: Session, checked_in: User) -> None:
    signup = signup_check_out(session=session, actor=checked_in, now=session.ends_at + timedelta(minutes=5))
    assert signup.hours == Decimal("2")


# ------------------------------------------------------------------ all present, then the exceptions


def _started(session: Session) -> Session:
    return move_session(session, session.starts_at - timedelta(days=2))


def test_all_present_credits_only_those_still_to_confirm(city: City) -> None:
    session = make_session(make_led_team(city.east), hours=2, slots=5)
    waiting, absent, gone = (make_volunteer(city.east) for _n in range(3))
    for person in (waiting, absent, gone):
        signed_up(session, person)
    session = _started(session)
    leader = leader_of(session.team)
    absent_row = SignUp.objects.get(session=session, user=absent)
    signup_record_hours(session=session, actor=leader, signup=absent_row, hours=Decimal("0"))
    SignUp.objects.filter(session=session, user=gone).update(
        checked_in_at=session.starts_at, checked_out_at=session.starts_at + timedelta(hours=1), hours=Decimal("1")
    )

    changed = session_confirm_all_present(session=session, actor=leader)

    hours = dict(SignUp.objects.filter(session=session).values_list("user__username", "hours"))
    assert [s.user for s in changed] == [waiting]
    assert hours == {waiting.username: Decimal("2"), absent.username: Decimal("0"), gone.username: Decimal("1")}
    assert Event.objects.filter(subject_id=session.pk, verb="hours_recorded", data__all_present=True).count() == 1
    assert session_confirm_all_present(session=session, actor=leader) == []


def test_an_exception_marked_after_all_present_is_absent(city: City) -> None:
    session = make_session(make_led_team(city.east), hours=2)
    volunteer = make_volunteer(city.east)
    signed_up(session, volunteer)
    session = _started(session)
    leader = leader_of(session.team)
    session_confirm_all_present(session=session, actor=leader)
    row = SignUp.objects.get(session=session, user=volunteer)

    signup_record_hours(session=session, actor=leader, signup=row, hours=Decimal("0"), note="absent")

    row.refresh_from_db()
    assert row.hours == 0 and row.hours_confirmed_at is not None


@pytest.mark.parametrize(("who", "message"), [("stranger", "not allowed"), ("leader", "once the session has started")])
def test_all_present_is_refused_to_strangers_and_before_the_start(city: City, who: str, message: str) -> None:
    session = make_session(make_led_team(city.east))
    volunteer = make_volunteer(city.east)
    signed_up(session, volunteer)
    if who == "stranger":
        session = _started(session)
    actor = make_volunteer(city.east) if who == "stranger" else leader_of(session.team)
    with pytest.raises(ValidationError, match=message):
        session_confirm_all_present(session=session, actor=actor)
    assert SignUp.objects.get(session=session, user=volunteer).hours_confirmed_at is None

"""Sessions through their life: scheduled, changed, signed up for, left, cancelled, held."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.volunteering.models import Order, Session, SignUp
from lianxin.volunteering.services.sessions import (
    session_cancel,
    session_mark_held,
    session_update,
    signup_create,
    signup_leave,
)
from lianxin.volunteering.tests.factories import leader_of, make_item, make_order, make_team, make_user
from lianxin.volunteering.tests.factories_sessions import (
    make_led_team,
    make_session,
    make_volunteer,
    move_session,
    signed_up,
)

pytestmark = pytest.mark.django_db


def tomorrow_at(hour: int) -> datetime:
    day = timezone.localtime() + timedelta(days=1)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


# ------------------------------------------------------------------ scheduling


def test_the_team_leader_schedules_a_session_and_it_is_on_the_timeline(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team, title="  测血压  ")
    assert session.status == Session.Status.PLANNED
    assert session.title == "测血压"
    assert len(session.checkin_code) == 6 and session.checkin_code.isdigit()
    assert Event.objects.filter(subject_id=session.pk, verb="scheduled").exists()


def test_an_admin_over_the_teams_organization_schedules_too(city: City, district_admin: User) -> None:
    team = make_led_team(city.east)
    assert make_session(team, actor=district_admin).created_by == district_admin


def test_a_member_who_does_not_lead_the_team_cannot_schedule_and_nothing_is_written(
    city: City, member_user: User, branch_secretary: User
) -> None:
    team = make_led_team(city.other_branch)
    with pytest.raises(ValidationError, match="not allowed"):
        make_session(team, actor=member_user)
    with pytest.raises(ValidationError, match="not allowed"):
        make_session(team, actor=branch_secretary)
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": " "}, "Give the session a title."),
        ({"place": ""}, "Say where the session takes place."),
        ({"hours": 0}, "The session must end after it starts."),
        ({"hours": -1}, "The session must end after it starts."),
        ({"hours": 25}, "A session lasts at most 24 hours"),
        ({"slots": 0}, "A session needs at least one volunteer."),
    ],
)
def test_bad_schedules_are_refused_clearly_and_nothing_is_written(
    city: City, overrides: dict[str, Any], message: str
) -> None:
    team = make_led_team(city.east)
    with pytest.raises(ValidationError, match=message):
        make_session(team, **overrides)
    assert not Session.objects.exists()
    assert not Event.objects.filter(verb="scheduled").exists()


def test_a_service_item_of_another_team_is_refused(city: City) -> None:
    team, other = make_led_team(city.east), make_led_team(city.west)
    with pytest.raises(ValidationError, match="is not a service of"):
        make_session(team, item=make_item(other))
    assert not Session.objects.exists()


def test_a_session_for_an_accepted_order_must_fall_within_the_days_asked_for(city: City, resident: User) -> None:
    team = make_led_team(city.east)
    order = make_order(make_item(team), ordered_by=resident, until=Order.Status.ACCEPTED)
    start = timezone.make_aware(datetime.combine(order.starts_on, datetime.min.time())).replace(hour=9)
    session = make_session(team, starts_at=start, order=order, item=order.item)
    assert session.order == order
    with pytest.raises(ValidationError, match="asks for a service between"):
        make_session(team, starts_at=start + timedelta(days=10), order=order)
    assert Session.objects.count() == 1


def test_an_order_not_yet_accepted_cannot_be_scheduled(city: City, resident: User) -> None:
    team = make_led_team(city.east)
    order = make_order(make_item(team), ordered_by=resident, until=Order.Status.DISPATCHED)
    with pytest.raises(ValidationError, match="Only an accepted order"):
        make_session(team, order=order)
    assert not Session.objects.exists()


def test_changing_a_session_moves_its_sign_ups_and_its_updated_at(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    volunteer = make_volunteer(city.east)
    signed_up(session, volunteer)
    before = Session.objects.get(pk=session.pk).updated_at
    new_start = tomorrow_at(14)
    session_update(
        session=session,
        actor=leader_of(team),
        title="改到下午",
        area=session.area,
        place=session.place,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=3),
        slots=3,
    )
    session.refresh_from_db()
    assert session.title == "改到下午" and session.starts_at == new_start
    assert session.updated_at > before
    assert SignUp.objects.get(session=session).ends_at == new_start + timedelta(hours=3)
    assert Event.objects.filter(subject_id=session.pk, verb="changed").exists()


def test_slots_cannot_drop_below_the_people_already_signed_up(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team, slots=3)
    for _ in range(2):
        signed_up(session, make_volunteer(city.east))
    with pytest.raises(ValidationError, match="2 volunteers have signed up"):
        session_update(
            session=session,
            actor=leader_of(team),
            title="x",
            area=session.area,
            place=session.place,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            slots=1,
        )
    session.refresh_from_db()
    assert session.slots == 3 and session.title != "x"


def test_cancelling_needs_a_reason_and_goes_through_the_transition_table(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    with pytest.raises(ValidationError, match="Say why"):
        session_cancel(session=session, actor=leader_of(team), reason=" ")
    assert Session.objects.get(pk=session.pk).status == Session.Status.PLANNED
    session_cancel(session=session, actor=leader_of(team), reason="台风")
    assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED
    move_session(session, timezone.now() - timedelta(hours=3))
    with pytest.raises(ValidationError, match="cannot become"):
        session_mark_held(session=session, actor=leader_of(team), beneficiaries=3)


def test_a_session_is_marked_held_with_the_people_served_once_it_has_started(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    with pytest.raises(ValidationError, match="once it has started"):
        session_mark_held(session=session, actor=leader_of(team), beneficiaries=30)
    move_session(session, timezone.now() - timedelta(hours=3))
    with pytest.raises(ValidationError, match="cannot be negative"):
        session_mark_held(session=session, actor=leader_of(team), beneficiaries=-1)
    assert Session.objects.get(pk=session.pk).beneficiaries is None
    session_mark_held(session=session, actor=leader_of(team), beneficiaries=36)
    session.refresh_from_db()
    assert session.status == Session.Status.HELD and session.beneficiaries == 36


# ------------------------------------------------------------------ signing up


def test_a_party_member_signs_up_and_takes_a_place(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    signup = signed_up(session, member_user)
    session.refresh_from_db()
    assert session.signed_up_count == 1
    assert (signup.starts_at, signup.ends_at) == (session.starts_at, session.ends_at)


def test_a_resident_without_a_member_record_or_team_cannot_sign_up(city: City, resident: User) -> None:
    session = make_session(make_led_team(city.east))
    with pytest.raises(ValidationError, match="Party members and the team's volunteers"):
        signed_up(session, resident)
    assert Session.objects.get(pk=session.pk).signed_up_count == 0
    assert not SignUp.objects.exists()


def test_a_team_volunteer_without_a_member_record_signs_up_for_their_own_team(city: City) -> None:
    team = make_led_team(city.east)
    volunteer = make_user("helper")
    team.memberships.create(user=volunteer, joined_on=timezone.localdate())
    signed_up(make_session(team), volunteer)
    other = make_session(make_led_team(city.west), starts_at=tomorrow_at(15))
    with pytest.raises(ValidationError, match="team's volunteers"):
        signed_up(other, volunteer)


def test_the_last_place_goes_to_one_and_the_next_person_is_told(city: City) -> None:
    session = make_session(make_led_team(city.east), slots=1)
    signed_up(session, make_volunteer(city.east))
    late = make_volunteer(city.east)
    with pytest.raises(ValidationError, match="The last place on this session has just been taken"):
        signed_up(session, late)
    assert not SignUp.objects.filter(user=late).exists()
    assert Session.objects.get(pk=session.pk).signed_up_count == 1


def test_signing_up_twice_is_refused(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    signed_up(session, member_user)
    with pytest.raises(ValidationError, match="Already signed up"):
        signed_up(session, member_user)
    assert Session.objects.get(pk=session.pk).signed_up_count == 1


def test_a_sign_up_overlapping_another_of_the_same_person_is_refused(city: City, member_user: User) -> None:
    first = make_session(make_led_team(city.east), starts_at=tomorrow_at(9), hours=2)
    clash = make_session(make_led_team(city.west), starts_at=tomorrow_at(10), hours=2)
    after = make_session(make_led_team(city.west), starts_at=tomorrow_at(11), hours=1)
    signed_up(first, member_user)
    with pytest.raises(ValidationError, match=f"overlaps with {first.title}"):
        signed_up(clash, member_user)
    assert Session.objects.get(pk=clash.pk).signed_up_count == 0
    signed_up(after, member_user)  # back to back is no overlap


def test_a_left_or_cancelled_session_does_not_block_another(city: City, member_user: User) -> None:
    team = make_led_team(city.east)
    first = make_session(team, starts_at=tomorrow_at(9))
    second = make_session(team, starts_at=tomorrow_at(9))
    signed_up(first, member_user)
    signup_leave(session=first, actor=member_user)
    signed_up(second, member_user)
    session_cancel(session=second, actor=leader_of(team), reason="改期")
    third = make_session(team, starts_at=tomorrow_at(9))
    signed_up(third, member_user)


def test_sign_up_closes_when_the_session_starts_but_the_leader_may_add_someone(city: City) -> None:
    team = make_led_team(city.east)
    session = move_session(make_session(team), timezone.now() - timedelta(minutes=10))
    volunteer = make_volunteer(city.east)
    with pytest.raises(ValidationError, match="already started"):
        signed_up(session, volunteer)
    signup_create(session=session, actor=leader_of(team), volunteer=volunteer)
    assert SignUp.objects.filter(session=session, user=volunteer).exists()


def test_only_the_sessions_managers_sign_up_someone_else(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    with pytest.raises(ValidationError, match="not allowed"):
        signup_create(session=session, actor=member_user, volunteer=make_volunteer(city.east))
    assert not SignUp.objects.exists()


def test_leaving_gives_the_place_back(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east), slots=1)
    signed_up(session, member_user)
    signup_leave(session=session, actor=member_user)
    session.refresh_from_db()
    assert session.signed_up_count == 0
    assert SignUp.objects.get(user=member_user).left_at is not None
    signed_up(session, make_volunteer(city.east))


def test_leaving_without_a_sign_up_is_refused(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    with pytest.raises(ValidationError, match="not signed up"):
        signup_leave(session=session, actor=member_user)


def test_a_cancelled_session_takes_no_sign_ups(city: City, member_user: User) -> None:
    team = make_team(city.east, leader=make_user("lead"))
    session = make_session(team)
    session_cancel(session=session, actor=leader_of(team), reason="下雨")
    with pytest.raises(ValidationError, match="not open for sign-up"):
        signed_up(session, member_user)
    assert not SignUp.objects.exists()

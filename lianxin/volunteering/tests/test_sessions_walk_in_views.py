"""The pages of the walk-in, the early check-out and the other steps that ask first, and the
leader's attendance sheet answering in place."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import Order, Session, SignUp
from lianxin.volunteering.tests.factories import leader_of, make_item, make_order
from lianxin.volunteering.tests.factories_sessions import (
    make_led_team,
    make_session,
    make_volunteer,
    move_session,
    signed_up,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


@pytest.fixture
def under_way(city: City) -> Session:
    """A session that began 20 minutes ago: check-in is open."""
    return move_session(make_session(make_led_team(city.east), slots=2), timezone.now() - timedelta(minutes=20))


def test_a_walk_in_opens_the_venue_link_and_signs_up_and_checks_in_in_one_step(city: City, under_way: Session) -> None:
    walker = make_volunteer(city.east)
    client = client_for(walker)
    checkin = reverse("volunteering:session_checkin", args=[under_way.pk])

    page = client.get(f"{checkin}?code={under_way.checkin_code}").content.decode()
    assert "Sign up and check in" in page and "2 places are still free" in page
    assert f'value="{under_way.checkin_code}"' in page

    done = client.post(
        reverse("volunteering:session_walk_in", args=[under_way.pk]), {"code": under_way.checkin_code}, follow=True
    )

    assert messages_of(done) == ["You are signed up and checked in. Thank you for serving!"]
    assert done.redirect_chain[-1][0] == under_way.get_absolute_url()
    assert SignUp.objects.get(session=under_way, user=walker).checked_in_at is not None


def test_a_full_session_says_so_on_the_check_in_page_and_refuses_the_walk_in(city: City, under_way: Session) -> None:
    for _n in range(2):
        SignUp.objects.create(
            session=under_way, user=make_volunteer(city.east), starts_at=under_way.starts_at, ends_at=under_way.ends_at
        )
    Session.objects.filter(pk=under_way.pk).update(signed_up_count=2)
    walker = make_volunteer(city.east)
    client = client_for(walker)

    page = client.get(reverse("volunteering:session_checkin", args=[under_way.pk])).content.decode()
    assert "This session is full: all 2 places are taken." in page and "Sign up and check in" not in page

    refused = client.post(
        reverse("volunteering:session_walk_in", args=[under_way.pk]), {"code": under_way.checkin_code}, follow=True
    )
    assert "This session is full" in messages_of(refused)[0]
    assert not SignUp.objects.filter(session=under_way, user=walker).exists()


def test_a_wrong_code_on_the_walk_in_shows_the_message_and_writes_nothing(city: City, under_way: Session) -> None:
    walker = make_volunteer(city.east)
    wrong = "000000" if under_way.checkin_code != "000000" else "111111"
    refused = client_for(walker).post(
        reverse("volunteering:session_walk_in", args=[under_way.pk]), {"code": wrong}, follow=True
    )
    assert messages_of(refused) == ["That is not this session's check-in code."]
    assert not SignUp.objects.filter(session=under_way, user=walker).exists()


def test_before_check_in_opens_the_page_offers_the_ordinary_sign_up(city: City) -> None:
    session = make_session(make_led_team(city.east))
    page = client_for(make_volunteer(city.east)).get(reverse("volunteering:session_checkin", args=[session.pk]))
    html = page.content.decode()
    assert "Sign up and check in" not in html and reverse("volunteering:session_signup", args=[session.pk]) in html


def test_an_early_check_out_shows_the_hours_first_and_only_the_confirmation_writes(
    city: City, under_way: Session
) -> None:
    volunteer = make_volunteer(city.east)
    signed_up_row = SignUp.objects.create(
        session=under_way, user=volunteer, starts_at=under_way.starts_at, ends_at=under_way.ends_at
    )
    SignUp.objects.filter(pk=signed_up_row.pk).update(checked_in_at=timezone.now() - timedelta(minutes=5))
    client = client_for(volunteer)
    url = reverse("volunteering:session_checkout", args=[under_way.pk])

    asked = client.post(url).content.decode()

    assert "Check out early?" in asked and "Checking out now records 0 hours." in asked
    assert "Up to 15 minutes of service count no hours" in asked and 'name="confirm" value="1"' in asked
    assert SignUp.objects.get(pk=signed_up_row.pk).checked_out_at is None

    done = client.post(url, {"confirm": "1"}, follow=True)
    assert messages_of(done) == ["Checked out: 0 hours recorded."]
    assert SignUp.objects.get(pk=signed_up_row.pk).checked_out_at is not None


def test_cancelling_a_session_shows_what_will_happen_before_anything_is_written(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    signed_up(session, make_volunteer(city.east))
    client = client_for(leader_of(team))
    url = reverse("volunteering:session_cancel", args=[session.pk])

    asked = client.post(url, {"reason": "台风"}).content.decode()

    assert "cancelled for good" in asked and "1 signed-up volunteers see it as cancelled" in asked
    assert 'name="reason" value="台风"' in asked
    assert Session.objects.get(pk=session.pk).status == Session.Status.PLANNED
    client.post(url, {"reason": "台风", "confirm": "1"})
    assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED


def test_an_empty_reason_is_refused_before_any_question(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    response = client_for(leader_of(team)).post(
        reverse("volunteering:session_cancel", args=[session.pk]), {"reason": ""}, follow=True
    )
    assert messages_of(response) == ["This field is required."]
    assert Session.objects.get(pk=session.pk).status == Session.Status.PLANNED


def test_marking_held_asks_first_and_names_who_has_not_checked_in(city: City, under_way: Session) -> None:
    SignUp.objects.create(
        session=under_way, user=make_volunteer(city.east), starts_at=under_way.starts_at, ends_at=under_way.ends_at
    )
    client = client_for(leader_of(under_way.team))
    asked = client.post(reverse("volunteering:session_held", args=[under_way.pk]), {"beneficiaries": "30"})
    assert "1 signed-up volunteers have not checked in" in asked.content.decode()
    assert Session.objects.get(pk=under_way.pk).status == Session.Status.PLANNED


def test_cancelling_or_declining_an_order_asks_first(city: City, resident: User, district_admin: User) -> None:
    team = make_led_team(city.east)
    order = make_order(make_item(team), ordered_by=resident, until=Order.Status.DISPATCHED)
    leader = client_for(leader_of(team))

    asked = leader.post(reverse("volunteering:order_decline", args=[order.pk]), {"reason": "队员外出"})
    assert "goes back to" in asked.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.DISPATCHED

    asked = client_for(resident).post(reverse("volunteering:order_cancel", args=[order.pk]), {"reason": "改期"})
    assert "closed for good" in asked.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.DISPATCHED

    client_for(resident).post(reverse("volunteering:order_cancel", args=[order.pk]), {"reason": "改期", "confirm": "1"})
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED


# ------------------------------------------------------------------ the attendance sheet in place


@pytest.fixture
def held(city: City) -> Session:
    session = make_session(make_led_team(city.east), hours=2, slots=5)
    for _n in range(3):
        signed_up(session, make_volunteer(city.east))
    return move_session(session, timezone.now() - timedelta(days=1))


def test_all_present_answers_the_list_in_place_then_one_row_is_marked_absent(held: Session) -> None:
    client = client_for(leader_of(held.team))
    sheet = client.get(reverse("volunteering:session_attendance", args=[held.pk])).content.decode()
    assert "All present: 2 hours each for the 3 still to confirm" in sheet

    rows = client.post(reverse("volunteering:session_all_present", args=[held.pk]), headers=HTMX).content.decode()

    assert "<html" not in rows and rows.count('class="badge badge-ok">present<') == 3
    assert "3 volunteers confirmed present with 2 hours each" in rows
    assert set(SignUp.objects.filter(session=held).values_list("hours", flat=True)) == {Decimal("2")}

    first = SignUp.objects.filter(session=held).order_by("id").first()
    assert first is not None
    row = client.post(
        reverse("volunteering:session_attendance", args=[held.pk]),
        {"signup": first.pk, "hours": "0", "note": "absent"},
        headers=HTMX,
    ).content.decode()

    assert row.strip().startswith(f'<li class="attendance-row" id="signup-{first.pk}">') and ">absent<" in row
    assert SignUp.objects.get(pk=first.pk).hours == 0


def test_a_refused_row_shows_the_message_in_place_and_keeps_the_hours(held: Session) -> None:
    client = client_for(leader_of(held.team))
    first = SignUp.objects.filter(session=held).order_by("id").first()
    assert first is not None
    row = client.post(
        reverse("volunteering:session_attendance", args=[held.pk]), {"signup": first.pk, "hours": "9"}, headers=HTMX
    ).content.decode()
    assert "At most 2 hours for a session of this length." in row and 'role="alert"' in row
    assert SignUp.objects.get(pk=first.pk).hours == 0 and SignUp.objects.get(pk=first.pk).hours_confirmed_at is None


def test_all_present_without_htmx_comes_back_with_a_message(held: Session) -> None:
    response = client_for(leader_of(held.team)).post(
        reverse("volunteering:session_all_present", args=[held.pk]), follow=True
    )
    assert messages_of(response) == ["3 volunteers confirmed present with 2 hours each; mark the exceptions below."]


def test_the_sheet_and_its_buttons_are_not_found_for_a_volunteer(city: City, held: Session) -> None:
    client = client_for(make_volunteer(city.east))
    assert client.post(reverse("volunteering:session_all_present", args=[held.pk]), headers=HTMX).status_code == 404
    assert not SignUp.objects.filter(session=held, hours_confirmed_at__isnull=False).exists()


def test_marking_a_row_first_updates_the_all_present_button_out_of_band(held: Session) -> None:
    client = client_for(leader_of(held.team))
    first = SignUp.objects.filter(session=held).order_by("id").first()
    assert first is not None

    answer = client.post(
        reverse("volunteering:session_attendance", args=[held.pk]),
        {"signup": first.pk, "hours": "0", "note": "absent"},
        headers=HTMX,
    ).content.decode()

    assert '<div id="all-present" hx-swap-oob="outerHTML">' in answer
    assert "All present: 2 hours each for the 2 still to confirm" in answer
    client.post(reverse("volunteering:session_all_present", args=[held.pk]), headers=HTMX)
    assert SignUp.objects.get(pk=first.pk).hours == 0

"""Session pages: who sees what, scheduling from an order, the venue screen, the phone check-in."""

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


def client_for(user: User) -> Client:
    """Pages pick their language per request; these assertions read the English messages."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def test_the_leader_schedules_a_session_from_the_new_session_page(city: City) -> None:
    team = make_led_team(city.east)
    client = client_for(leader_of(team))
    page = client.get(reverse("volunteering:session_new"))
    assert page.status_code == 200
    start = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("volunteering:session_new"),
        {
            "team": team.pk,
            "title": "理发服务",
            "area": team.organization.area.pk,
            "place": "社区活动室",
            "starts_at": start.strftime("%Y-%m-%dT09:00"),
            "ends_at": start.strftime("%Y-%m-%dT11:00"),
            "slots": 4,
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteering:session_detail", args=[session.pk]
    )
    assert session.title == "理发服务" and session.slots == 4 and session.created_by == team.leader


def test_a_schedule_error_shows_on_the_form_and_nothing_is_written(city: City) -> None:
    team = make_led_team(city.east)
    start = timezone.localtime() + timedelta(days=2)
    response = client_for(leader_of(team)).post(
        reverse("volunteering:session_new"),
        {
            "team": team.pk,
            "title": "理发服务",
            "area": team.organization.area.pk,
            "place": "社区活动室",
            "starts_at": start.strftime("%Y-%m-%dT11:00"),
            "ends_at": start.strftime("%Y-%m-%dT09:00"),
            "slots": 4,
        },
    )
    assert response.status_code == 200
    assert "The session must end after it starts." in response.content.decode()
    assert not Session.objects.exists()


def test_the_new_session_page_is_not_found_for_someone_who_leads_no_team(member_user: User) -> None:
    assert client_for(member_user).get(reverse("volunteering:session_new")).status_code == 404


def test_an_accepted_order_prefills_the_new_session(city: City, resident: User) -> None:
    team = make_led_team(city.east)
    order = make_order(make_item(team, title="健康义诊"), ordered_by=resident, until=Order.Status.ACCEPTED)
    response = client_for(leader_of(team)).get(reverse("volunteering:session_new") + f"?order={order.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["item"] == order.item_id and form.initial["area"] == order.area_id
    assert form.initial["place"] == order.place and form.initial["title"] == "健康义诊"
    assert timezone.localtime(form.initial["starts_at"]).date() == order.starts_on


def test_someone_elses_order_is_not_found(city: City, resident: User, member_user: User) -> None:
    team = make_led_team(city.east)
    order = make_order(make_item(team), ordered_by=resident, until=Order.Status.ACCEPTED)
    assert client_for(member_user).get(reverse("volunteering:session_new") + f"?order={order.pk}").status_code == 404


def test_a_member_signs_up_from_the_session_page(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    client = client_for(member_user)
    assert "Sign up" in client.get(reverse("volunteering:session_detail", args=[session.pk])).content.decode()
    response = client.post(reverse("volunteering:session_signup", args=[session.pk]), follow=True)
    assert "You signed up" in " ".join(messages_of(response))
    assert SignUp.objects.filter(session=session, user=member_user, left_at__isnull=True).exists()


def test_a_full_session_tells_the_late_member_clearly(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east), slots=1)
    signed_up(session, make_volunteer(city.east))
    response = client_for(member_user).post(reverse("volunteering:session_signup", args=[session.pk]), follow=True)
    assert messages_of(response) == ["The last place on this session has just been taken."]
    assert not SignUp.objects.filter(user=member_user).exists()


def test_the_venue_screen_shows_the_code_and_a_qr_code_of_the_check_in_page(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    response = client_for(leader_of(team)).get(reverse("volunteering:session_venue", args=[session.pk]))
    body = response.content.decode()
    assert session.checkin_code in body
    assert "<svg" in body
    url = f"http://testserver{reverse('volunteering:session_checkin', args=[session.pk])}?code={session.checkin_code}"
    assert response.context["checkin_url"] == url


def test_volunteers_never_see_the_venue_screen(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    signed_up(session, member_user)
    response = client_for(member_user).get(reverse("volunteering:session_venue", args=[session.pk]))
    assert response.status_code == 404


def test_the_qr_link_opens_the_check_in_page_with_the_code_filled_in_and_one_press_checks_in(
    city: City, member_user: User
) -> None:
    session = move_session(make_session(make_led_team(city.east)), timezone.now() + timedelta(minutes=20))
    signed_up(session, member_user)
    client = client_for(member_user)
    url = reverse("volunteering:session_checkin", args=[session.pk])
    page = client.get(f"{url}?code={session.checkin_code}")
    assert page.context["form"].initial["code"] == session.checkin_code
    response = client.post(url, {"code": session.checkin_code}, follow=True)
    assert "You are checked in" in " ".join(messages_of(response))
    assert SignUp.objects.get(user=member_user).checked_in_at is not None


def test_a_wrong_code_on_the_phone_says_so_and_nothing_is_written(city: City, member_user: User) -> None:
    session = move_session(make_session(make_led_team(city.east)), timezone.now() + timedelta(minutes=20))
    signed_up(session, member_user)
    wrong = "000000" if session.checkin_code != "000000" else "111111"
    response = client_for(member_user).post(
        reverse("volunteering:session_checkin", args=[session.pk]), {"code": wrong}, follow=True
    )
    assert messages_of(response) == ["That is not this session's check-in code."]
    assert SignUp.objects.get(user=member_user).checked_in_at is None


def test_the_check_in_page_asks_for_login_first(city: City) -> None:
    session = make_session(make_led_team(city.east))
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("volunteering:session_checkin", args=[session.pk]) + "?code=123456"
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_leader_records_hours_on_the_attendance_sheet(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    volunteer = make_volunteer(city.east)
    signed_up(session, volunteer)
    move_session(session, timezone.now() - timedelta(hours=3))
    client = client_for(leader_of(team))
    assert client.get(reverse("volunteering:session_attendance", args=[session.pk])).status_code == 200
    signup = SignUp.objects.get(user=volunteer)
    client.post(
        reverse("volunteering:session_attendance", args=[session.pk]), {"signup": signup.pk, "hours": "2", "note": ""}
    )
    assert SignUp.objects.get(pk=signup.pk).hours == Decimal("2")


def test_the_leader_signs_up_someone_by_user_name(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    volunteer = make_volunteer(city.east, "laowang")
    response = client_for(leader_of(team)).post(
        reverse("volunteering:session_add_volunteer", args=[session.pk]), {"login": "laowang"}, follow=True
    )
    assert "is signed up" in " ".join(messages_of(response))
    assert SignUp.objects.filter(session=session, user=volunteer).exists()
    response = client_for(leader_of(team)).post(
        reverse("volunteering:session_add_volunteer", args=[session.pk]), {"login": "nobody"}, follow=True
    )
    assert messages_of(response) == ["No user with that user name or mobile number."]


def test_a_member_cannot_open_the_attendance_sheet_or_cancel(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    client = client_for(member_user)
    assert client.get(reverse("volunteering:session_attendance", args=[session.pk])).status_code == 404
    response = client.post(reverse("volunteering:session_cancel", args=[session.pk]), {"reason": "x"}, follow=True)
    assert messages_of(response) == ["You are not allowed to do this with this session."]
    assert Session.objects.get(pk=session.pk).status == Session.Status.PLANNED


def test_a_cancelled_session_is_hidden_from_those_who_never_signed_up(city: City, member_user: User) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    url = reverse("volunteering:session_cancel", args=[session.pk])
    client_for(leader_of(team)).post(url, {"reason": "台风", "confirm": "1"})
    assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED
    assert client_for(member_user).get(reverse("volunteering:session_detail", args=[session.pk])).status_code == 404


def test_the_session_list_shows_upcoming_sessions_to_a_member(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east), title="清扫楼道")
    response = client_for(member_user).get(reverse("volunteering:session_list"))
    assert "清扫楼道" in response.content.decode()
    past = client_for(member_user).get(reverse("volunteering:session_list") + "?when=past")
    assert session.title not in past.content.decode()


def test_check_out_from_the_session_page_shows_the_hours_on_the_record(city: City, member_user: User) -> None:
    session = move_session(make_session(make_led_team(city.east)), timezone.now() + timedelta(minutes=30))
    signed_up(session, member_user)
    client = client_for(member_user)
    client.post(reverse("volunteering:session_checkin", args=[session.pk]), {"code": session.checkin_code})
    SignUp.objects.filter(user=member_user).update(checked_in_at=timezone.now() - timedelta(minutes=50))
    asked = client.post(reverse("volunteering:session_checkout", args=[session.pk]))
    assert "Check out and record 1 hours" in asked.content.decode()
    assert SignUp.objects.get(user=member_user).checked_out_at is None
    response = client.post(reverse("volunteering:session_checkout", args=[session.pk]), {"confirm": "1"}, follow=True)
    assert messages_of(response)[-1] == "Checked out: 1 hours recorded."
    record = client.get(reverse("volunteering:my_service_record"))
    assert record.context["record"].total_hours == Decimal("1")


def test_scheduling_through_an_accepted_order_links_the_session_to_it(city: City, resident: User) -> None:
    team = make_led_team(city.east)
    order = make_order(make_item(team), ordered_by=resident, until=Order.Status.ACCEPTED)
    response = client_for(leader_of(team)).post(
        reverse("volunteering:session_new") + f"?order={order.pk}",
        {
            "team": team.pk,
            "title": "上门义诊",
            "item": order.item_id,
            "area": order.area_id,
            "place": order.place,
            "starts_at": f"{order.starts_on:%Y-%m-%d}T09:00",
            "ends_at": f"{order.starts_on:%Y-%m-%d}T11:00",
            "slots": 2,
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert session.order == order and session.item == order.item


def test_the_leader_changes_a_session_on_its_edit_page(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    client = client_for(leader_of(team))
    page = client.get(reverse("volunteering:session_edit", args=[session.pk]))
    assert page.context["form"].initial["place"] == session.place
    start = timezone.localtime(session.starts_at) + timedelta(days=1)
    client.post(
        reverse("volunteering:session_edit", args=[session.pk]),
        {
            "title": "改到后天",
            "area": session.area_id,
            "place": "新地点",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "slots": 2,
        },
    )
    session.refresh_from_db()
    assert (session.title, session.place, session.slots) == ("改到后天", "新地点", 2)


def test_the_leader_marks_a_started_session_held_with_the_people_served(city: City) -> None:
    team = make_led_team(city.east)
    session = move_session(make_session(team), timezone.now() - timedelta(hours=1))
    response = client_for(leader_of(team)).post(
        reverse("volunteering:session_held", args=[session.pk]),
        {"beneficiaries": "42", "note": "", "confirm": "1"},
        follow=True,
    )
    assert messages_of(response) == ["The session is marked as held."]
    session.refresh_from_db()
    assert session.status == Session.Status.HELD and session.beneficiaries == 42


def test_a_member_leaves_from_the_session_page(city: City, member_user: User) -> None:
    session = make_session(make_led_team(city.east))
    signed_up(session, member_user)
    response = client_for(member_user).post(reverse("volunteering:session_leave", args=[session.pk]), follow=True)
    assert "You left this session" in " ".join(messages_of(response))
    assert Session.objects.get(pk=session.pk).signed_up_count == 0

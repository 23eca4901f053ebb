"""The API: public touring schedules and free slots without people; booking a slot once."""

import json
import re
from datetime import date

import pytest
from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.volunteering.models import AppointmentSlot, Booking
from lianxin.volunteering.services.touring import tour_publish
from lianxin.volunteering.tests.factories_touring import (
    make_appointment_service,
    make_booking,
    make_slot,
    make_stop,
    make_tour,
    make_tour_team,
    make_town,
)

pytestmark = pytest.mark.django_db


def test_published_tours_and_their_stops_are_public_with_team_names_and_no_leaders(
    client: Client, city: City, district_admin: User
) -> None:
    team = make_tour_team(city.district, "医疗卫生系统服务队", ("医疗义诊",))
    team.leader = user_create(username="leader", password=PASSWORD, display_name="郑队长", mobile="13866668888")
    team.save(update_fields=["leader"])
    tour = make_tour(city.district, organizer=district_admin, starts_on=date(2014, 6, 27))
    make_stop(tour, organizer=district_admin, town=make_town(city.district.area, "高楼镇"), teams=[team])
    draft = make_tour(city.district, organizer=district_admin, title="草稿")
    assert client.get("/api/v1/volunteering/tours").json()["count"] == 0
    tour_publish(tour=tour, actor=district_admin)

    listing = client.get("/api/v1/volunteering/tours").json()
    assert [t["title"] for t in listing["items"]] == [tour.title]
    detail = client.get(f"/api/v1/volunteering/tours/{tour.pk}").json()
    assert detail["stops"][0]["town"] == "高楼镇"
    assert detail["stops"][0]["teams"] == ["医疗卫生系统服务队"]
    assert detail["stops"][0]["services"] == ["医疗义诊"]
    assert "郑队长" not in str(detail) and "13866668888" not in str(detail)
    assert client.get(f"/api/v1/volunteering/tours/{draft.pk}").status_code == 404


def test_free_slots_are_public_and_a_booked_one_is_not_listed(
    client: Client, city: City, district_admin: User, resident: User
) -> None:
    service = make_appointment_service(city.district, unit=district_admin)
    taken = make_slot(service, unit=district_admin, hour=9)
    free = make_slot(service, unit=district_admin, hour=14)
    make_booking(taken, booker=resident)
    listing = client.get("/api/v1/volunteering/appointments").json()
    assert listing["items"][0]["free_slots"] == 1
    detail = client.get(f"/api/v1/volunteering/appointments/{service.pk}").json()
    assert [s["id"] for s in detail["free_slots"]] == [free.pk]
    assert "张海明" not in str(detail) and "1381234" not in str(detail)


def test_booking_through_the_api_masks_the_phone_and_a_second_booking_gets_409(
    client: Client, city: City, district_admin: User, resident: User, member_user: User
) -> None:
    service = make_appointment_service(city.district, unit=district_admin)
    slot = make_slot(service, unit=district_admin)
    url = f"/api/v1/volunteering/appointments/slots/{slot.pk}/book"
    payload = {"contact_name": "张海明", "contact_phone": "13812345678", "unit_name": "海城远洋渔业有限公司"}
    assert client.post(url, payload, content_type="application/json").status_code == 401
    assert client.login(username=resident.username, password=PASSWORD)
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["contact_phone"] == "138****5678"
    client.logout()
    assert client.login(username=member_user.username, password=PASSWORD)
    again = client.post(
        url, {**payload, "contact_name": "李船长"}, content_type="application/json", headers={"accept-language": "en"}
    )
    assert again.status_code == 409
    assert "Someone else has just booked this slot" in again.json()["detail"]
    assert Booking.objects.count() == 1 and AppointmentSlot.objects.get(pk=slot.pk).is_booked


def test_a_bad_phone_through_the_api_gets_422_and_writes_nothing(
    client: Client, city: City, district_admin: User, resident: User
) -> None:
    service = make_appointment_service(city.district, unit=district_admin)
    slot = make_slot(service, unit=district_admin)
    assert client.login(username=resident.username, password=PASSWORD)
    response = client.post(
        f"/api/v1/volunteering/appointments/slots/{slot.pk}/book",
        {"contact_name": "张海明", "contact_phone": "12"},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 422
    assert "Invalid mobile number" in response.json()["detail"]
    assert Booking.objects.count() == 0 and not AppointmentSlot.objects.get(pk=slot.pk).is_booked


def test_stop_times_are_hours_and_minutes_documented_as_a_plain_pattern(
    client: Client, city: City, district_admin: User
) -> None:
    """`format: time` needs an offset ("08:30:00+08:00"); a stop's time of day is local, so it is HH:MM."""
    team = make_tour_team(city.district, "医疗卫生系统服务队", ("医疗义诊",))
    tour = make_tour(city.district, organizer=district_admin)
    stop = make_stop(tour, organizer=district_admin, town=make_town(city.district.area, "高楼镇"), teams=[team])
    tour_publish(tour=tour, actor=district_admin)
    shown = client.get(f"/api/v1/volunteering/tours/{tour.pk}").json()["stops"][0]
    assert stop.starts_at is not None and stop.ends_at is not None
    assert shown["starts_at"] == stop.starts_at.strftime("%H:%M")
    assert shown["ends_at"] == stop.ends_at.strftime("%H:%M")
    schema = client.get("/api/v1/openapi.json").json()
    for name in ("starts_at", "ends_at"):
        field = schema["components"]["schemas"]["StopOut"]["properties"][name]
        assert '"format"' not in json.dumps(field), field
        text = next(v for v in field["anyOf"] if v.get("type") == "string")
        assert re.fullmatch(text["pattern"], shown[name]) and not re.fullmatch(text["pattern"], "08:30:00")

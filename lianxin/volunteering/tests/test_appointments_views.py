"""Appointment pages: public free slots without people, booking, the unit's masked list, cancelling."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import AppointmentService, AppointmentSlot, Booking
from lianxin.volunteering.tests.factories_touring import make_appointment_service, make_booking, make_slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def service(city: City, district_admin: User) -> AppointmentService:
    return make_appointment_service(city.district, unit=district_admin)


@pytest.fixture
def slot(service: AppointmentService, district_admin: User) -> AppointmentSlot:
    return make_slot(service, unit=district_admin)


def test_the_public_list_and_page_show_free_slots_and_nobody_who_booked(
    client: Client, service: AppointmentService, slot: AppointmentSlot, district_admin: User, resident: User
) -> None:
    free = make_slot(service, unit=district_admin, hour=14)
    make_booking(slot, booker=resident)
    listing = client.get(reverse("volunteering:appointment_list"))
    assert listing.context["services"][0].free_slots == 1
    page = client.get(reverse("volunteering:appointment_detail", args=[service.pk])).content.decode()
    assert reverse("volunteering:booking_new", args=[free.pk]) in page
    assert reverse("volunteering:booking_new", args=[slot.pk]) not in page
    for text in ("张海明", "海城远洋渔业有限公司", "13812345678", "138****5678"):
        assert text not in page and text not in listing.content.decode()


def test_an_unpublished_service_is_found_by_its_unit_only(
    client: Client, service: AppointmentService, district_admin: User, branch_secretary: User
) -> None:
    AppointmentService.objects.filter(pk=service.pk).update(is_published=False)
    url = reverse("volunteering:appointment_detail", args=[service.pk])
    assert client.get(url).status_code == 404
    assert _as(client, branch_secretary).get(url).status_code == 404
    assert _as(client, district_admin).get(url).status_code == 200


def test_a_resident_books_a_slot_and_sees_it_in_their_bookings_with_the_phone_masked(
    client: Client, slot: AppointmentSlot, resident: User
) -> None:
    _as(client, resident)
    response = client.post(
        reverse("volunteering:booking_new", args=[slot.pk]),
        {"contact_name": "张海明", "contact_phone": "138-1234-5678", "unit_name": "", "note": "办理不动产登记"},
    )
    booking = Booking.objects.get()
    assert response.url == reverse("volunteering:booking_detail", args=[booking.pk])  # type: ignore[attr-defined]
    page = client.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert "138****5678" in page and "13812345678" not in page
    mine = client.get(reverse("volunteering:my_bookings")).content.decode()
    assert reverse("volunteering:booking_detail", args=[booking.pk]) in mine


def test_a_bad_phone_is_shown_on_the_form_and_nothing_is_written(
    client: Client, slot: AppointmentSlot, resident: User
) -> None:
    response = _as(client, resident).post(
        reverse("volunteering:booking_new", args=[slot.pk]), {"contact_name": "张海明", "contact_phone": "5551234"}
    )
    assert response.status_code == 200
    assert "Invalid mobile number: 5551234" in response.content.decode()
    assert Booking.objects.count() == 0
    assert not AppointmentSlot.objects.get(pk=slot.pk).is_booked


def test_a_second_booking_of_the_same_slot_is_refused_with_a_clear_message(
    client: Client, slot: AppointmentSlot, resident: User, member_user: User
) -> None:
    make_booking(slot, booker=resident)
    response = _as(client, member_user).post(
        reverse("volunteering:booking_new", args=[slot.pk]),
        {"contact_name": "李船长", "contact_phone": "13900001111"},
        follow=True,
    )
    assert "Someone else has just booked this slot; please choose another." in response.content.decode()
    assert Booking.objects.count() == 1


def test_booking_needs_a_login(client: Client, slot: AppointmentSlot) -> None:
    response = client.get(reverse("volunteering:booking_new", args=[slot.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url  # type: ignore[attr-defined]


def test_the_unit_sees_its_bookings_with_names_and_masked_phones_and_marks_them_served(
    client: Client, service: AppointmentService, slot: AppointmentSlot, district_admin: User, resident: User
) -> None:
    booking = make_booking(slot, booker=resident)
    AppointmentSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    _as(client, district_admin)
    page = client.get(reverse("volunteering:appointment_bookings", args=[service.pk])).content.decode()
    assert "海城远洋渔业有限公司" in page and "张海明" in page
    assert "138****5678" in page and "13812345678" not in page
    client.post(reverse("volunteering:booking_done", args=[booking.pk]), {"note": "已办结"})
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.DONE


def test_another_admin_cannot_see_the_units_bookings_or_a_booking(
    client: Client, service: AppointmentService, slot: AppointmentSlot, branch_secretary: User, resident: User
) -> None:
    booking = make_booking(slot, booker=resident)
    _as(client, branch_secretary)
    assert client.get(reverse("volunteering:appointment_bookings", args=[service.pk])).status_code == 404
    assert client.get(reverse("volunteering:booking_detail", args=[booking.pk])).status_code == 404


def test_the_booker_cancels_from_the_booking_page_and_the_slot_is_listed_free_again(
    client: Client, service: AppointmentService, slot: AppointmentSlot, resident: User
) -> None:
    booking = make_booking(slot, booker=resident)
    url = reverse("volunteering:booking_cancel", args=[booking.pk])
    asked = _as(client, resident).post(url, {"note": "改期"}).content.decode()
    assert "cannot be restored" in asked and 'name="note" value="改期"' in asked
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED
    client.post(url, {"note": "改期", "confirm": "1"})
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    page = client.get(reverse("volunteering:appointment_detail", args=[service.pk])).content.decode()
    assert reverse("volunteering:booking_new", args=[slot.pk]) in page


def test_the_unit_adds_slots_for_tuesdays_and_thursdays_through_the_page(
    client: Client, service: AppointmentService, district_admin: User
) -> None:
    start = timezone.localdate() + timedelta(days=7)
    response = _as(client, district_admin).post(
        reverse("volunteering:appointment_slots", args=[service.pk]),
        {
            "action": "bulk",
            "bulk-first_day": start.isoformat(),
            "bulk-last_day": (start + timedelta(days=6)).isoformat(),
            "bulk-weekdays": ["1", "3"],
            "bulk-times": "09:00-11:00，14:00-16:00",
            "bulk-place": "东极岛便民服务点",
        },
    )
    assert response.status_code == 302
    assert service.slots.count() == 4


def test_a_bulk_plan_with_unreadable_times_is_shown_on_the_form_and_nothing_is_written(
    client: Client, service: AppointmentService, district_admin: User
) -> None:
    start = timezone.localdate() + timedelta(days=7)
    response = _as(client, district_admin).post(
        reverse("volunteering:appointment_slots", args=[service.pk]),
        {
            "action": "bulk",
            "bulk-first_day": start.isoformat(),
            "bulk-last_day": start.isoformat(),
            "bulk-weekdays": [str(start.weekday())],
            "bulk-times": "morning",
        },
    )
    assert response.status_code == 200
    assert "morning is not one" in response.content.decode()
    assert service.slots.count() == 0


def test_a_unit_offers_a_new_service_through_the_page(client: Client, city: City, district_admin: User) -> None:
    response = _as(client, district_admin).post(
        reverse("volunteering:appointment_new"),
        {
            "title": "预约式入企服务",
            "organization": city.district.code,
            "description": "上门指导",
            "is_published": "on",
        },
    )
    service = AppointmentService.objects.get(title="预约式入企服务")
    assert response.url == reverse("volunteering:appointment_slots", args=[service.pk])  # type: ignore[attr-defined]
    assert service.is_published and service.organization == city.district

"""Appointment services (预约式服务): a unit publishes slots; residents and enterprises book one each.

Seed 002: the ports bureau ran "appointment" visits to 34 enterprises, and the resources bureau's
"tidal service" takes registration to remote islands on set days.
"""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.selectors import event_list_for
from lianxin.volunteering.models import AppointmentService, AppointmentSlot, Booking
from lianxin.volunteering.services.appointments import (
    appointment_service_create,
    appointment_slot_add,
    appointment_slot_remove,
    appointment_slots_add_bulk,
    booking_cancel,
    booking_create,
    booking_mark_done,
)
from lianxin.volunteering.tests.factories_touring import (
    make_appointment_service,
    make_booking,
    make_past_slot,
    make_slot,
    tomorrow_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(city: City, district_admin: User) -> AppointmentService:
    return make_appointment_service(city.district, unit=district_admin)


@pytest.fixture
def slot(service: AppointmentService, district_admin: User) -> AppointmentSlot:
    return make_slot(service, unit=district_admin)


def _next(weekday: int) -> date:
    """The first `weekday` (0 = Monday) at least a week ahead, so every slot of it is in the future."""
    day = timezone.localdate() + timedelta(days=7)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def test_a_unit_publishes_a_service_and_an_admin_elsewhere_cannot(
    city: City, district_admin: User, branch_secretary: User
) -> None:
    service = make_appointment_service(city.district, unit=district_admin)
    assert service.is_published
    with pytest.raises(ValidationError, match="not allowed to manage"):
        appointment_service_create(actor=branch_secretary, organization=city.district, title="入企服务")
    assert AppointmentService.objects.count() == 1


def test_a_resident_books_a_free_slot_with_a_normalized_encrypted_phone(
    service: AppointmentService, slot: AppointmentSlot, resident: User
) -> None:
    booking = make_booking(slot, booker=resident, contact_phone="+86 138-1234-5678")
    slot.refresh_from_db()
    assert slot.is_booked and booking.status == Booking.Status.BOOKED
    assert booking.contact_phone == "13812345678" and booking.contact_phone_masked == "138****5678"
    assert event_list_for(booking).get().verb == "booked"


def test_the_phone_is_encrypted_at_rest(slot: AppointmentSlot, resident: User) -> None:
    booking = make_booking(slot, booker=resident)
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM volunteering_booking WHERE id = %s", [booking.pk])
        raw = cursor.fetchone()[0]
    assert "13812345678" not in raw


def test_a_booked_slot_refuses_a_second_booking_clearly_and_writes_nothing(
    slot: AppointmentSlot, resident: User, member_user: User
) -> None:
    make_booking(slot, booker=resident)
    with pytest.raises(ValidationError) as refused:
        make_booking(AppointmentSlot.objects.get(pk=slot.pk), booker=member_user)
    assert refused.value.messages == ["Someone else has just booked this slot; please choose another."]
    assert Booking.objects.count() == 1


def test_a_stale_page_that_still_shows_the_slot_free_cannot_double_book_it(
    slot: AppointmentSlot, resident: User, member_user: User
) -> None:
    stale = AppointmentSlot.objects.get(pk=slot.pk)  # loaded before the first booking
    make_booking(slot, booker=resident)
    with pytest.raises(ValidationError, match="Someone else has just booked"):
        make_booking(stale, booker=member_user)
    assert Booking.objects.filter(slot=slot).count() == 1


def test_a_slot_in_the_past_cannot_be_booked(service: AppointmentService, resident: User) -> None:
    past = make_past_slot(service)
    with pytest.raises(ValidationError, match="already begun"):
        make_booking(past, booker=resident)
    past.refresh_from_db()
    assert not past.is_booked and Booking.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact_name": "  "}, "Give the name of the person to contact."),
        ({"contact_phone": ""}, "Give a mobile number so the unit can reach you."),
        ({"contact_phone": "12345"}, "Invalid mobile number: 12345"),
    ],
)
def test_a_booking_without_a_contact_or_with_a_bad_phone_is_refused_and_the_slot_stays_free(
    slot: AppointmentSlot, resident: User, overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_booking(slot, booker=resident, **overrides)
    assert refused.value.messages == [message]
    slot.refresh_from_db()
    assert not slot.is_booked and Booking.objects.count() == 0


def test_an_unpublished_service_takes_no_bookings(
    service: AppointmentService, slot: AppointmentSlot, resident: User
) -> None:
    AppointmentService.objects.filter(pk=service.pk).update(is_published=False)
    slot.refresh_from_db()
    with pytest.raises(ValidationError, match="not taking bookings"):
        make_booking(slot, booker=resident)
    assert Booking.objects.count() == 0


def test_the_booker_cancels_and_the_slot_reopens_for_someone_else(
    slot: AppointmentSlot, resident: User, member_user: User
) -> None:
    booking = make_booking(slot, booker=resident)
    with pytest.raises(ValidationError, match="Only the person who booked"):
        booking_cancel(booking=booking, actor=member_user)
    booking_cancel(booking=booking, actor=resident, note="船期改了")
    slot.refresh_from_db()
    assert not slot.is_booked
    second = make_booking(slot, booker=member_user, contact_name="李船长")
    assert Booking.objects.filter(slot=slot).exclude(status=Booking.Status.CANCELLED).get() == second
    assert [e.verb for e in event_list_for(booking)] == ["cancelled", "booked"]


def test_a_cancelled_booking_cannot_be_cancelled_again(slot: AppointmentSlot, resident: User) -> None:
    booking = make_booking(slot, booker=resident)
    booking_cancel(booking=booking, actor=resident)
    with pytest.raises(ValidationError, match="cancelled and cannot become cancelled"):
        booking_cancel(booking=booking, actor=resident)


def test_the_unit_marks_a_booking_served_once_its_slot_has_begun(
    service: AppointmentService, slot: AppointmentSlot, district_admin: User, branch_secretary: User, resident: User
) -> None:
    booking = make_booking(slot, booker=resident)
    with pytest.raises(ValidationError, match="once its slot has begun"):
        booking_mark_done(booking=booking, actor=district_admin)
    AppointmentSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    booking = Booking.objects.get(pk=booking.pk)
    with pytest.raises(ValidationError, match="not allowed"):
        booking_mark_done(booking=booking, actor=branch_secretary)
    booking_mark_done(booking=booking, actor=district_admin, note="已上岛办理")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.DONE
    with pytest.raises(ValidationError, match="cannot become cancelled"):
        booking_cancel(booking=booking, actor=resident)


def test_slots_in_the_past_or_ending_before_they_start_are_refused(
    service: AppointmentService, district_admin: User
) -> None:
    start = timezone.now() - timedelta(hours=1)
    with pytest.raises(ValidationError, match="in the past"):
        appointment_slot_add(service=service, actor=district_admin, starts_at=start, ends_at=start + timedelta(hours=1))
    later = tomorrow_at(10)
    with pytest.raises(ValidationError, match="must end after it starts"):
        appointment_slot_add(service=service, actor=district_admin, starts_at=later, ends_at=later)
    assert AppointmentSlot.objects.count() == 0


def test_slots_are_added_in_bulk_on_chosen_weekdays_at_each_time_and_twice_adds_nothing(
    service: AppointmentService, district_admin: User
) -> None:
    monday = _next(0)
    plan = {
        "service": service,
        "actor": district_admin,
        "first_day": monday,
        "last_day": monday + timedelta(days=13),
        "weekdays": [1, 3],  # the tidal service lands on Tuesdays and Thursdays
        "times": [(time(9, 0), time(11, 0)), (time(14, 0), time(16, 0))],
        "place": "东极岛便民服务点",
    }
    slots = appointment_slots_add_bulk(**plan)  # type: ignore[arg-type]
    assert len(slots) == 8
    assert {timezone.localtime(s.starts_at).weekday() for s in slots} == {1, 3}
    assert {timezone.localtime(s.starts_at).hour for s in slots} == {9, 14}
    assert appointment_slots_add_bulk(**plan) == []  # type: ignore[arg-type]
    assert service.slots.count() == 8


def test_a_bulk_plan_reaching_into_the_past_is_refused_whole(service: AppointmentService, district_admin: User) -> None:
    with pytest.raises(ValidationError, match="in the past"):
        appointment_slots_add_bulk(
            service=service,
            actor=district_admin,
            first_day=timezone.localdate() - timedelta(days=7),
            last_day=timezone.localdate() + timedelta(days=7),
            weekdays=list(range(7)),
            times=[(time(0, 0), time(0, 30))],
        )
    assert AppointmentSlot.objects.count() == 0


def test_a_bulk_plan_without_weekdays_or_too_large_is_refused(
    service: AppointmentService, district_admin: User
) -> None:
    monday = _next(0)
    with pytest.raises(ValidationError, match="at least one day of the week"):
        appointment_slots_add_bulk(
            service=service,
            actor=district_admin,
            first_day=monday,
            last_day=monday,
            weekdays=[],
            times=[(time(9), time(10))],
        )
    with pytest.raises(ValidationError, match="more than 400 slots"):
        appointment_slots_add_bulk(
            service=service,
            actor=district_admin,
            first_day=monday,
            last_day=monday + timedelta(days=200),
            weekdays=list(range(7)),
            times=[(time(9), time(10)), (time(10), time(11))],
        )
    assert AppointmentSlot.objects.count() == 0


def test_a_free_slot_can_be_removed_but_a_booked_one_stays(
    service: AppointmentService, slot: AppointmentSlot, district_admin: User, resident: User
) -> None:
    other = make_slot(service, unit=district_admin, hour=14)
    make_booking(slot, booker=resident)
    with pytest.raises(ValidationError, match="This slot is booked"):
        appointment_slot_remove(slot=slot, actor=district_admin)
    appointment_slot_remove(slot=other, actor=district_admin)
    assert list(AppointmentSlot.objects.all()) == [slot]
    assert AppointmentSlot.objects.get(pk=slot.pk).is_booked


def test_a_slot_that_was_booked_and_cancelled_keeps_its_history(
    service: AppointmentService, slot: AppointmentSlot, district_admin: User, resident: User
) -> None:
    booking_cancel(booking=make_booking(slot, booker=resident), actor=resident)
    with pytest.raises(ValidationError, match="booking history"):
        appointment_slot_remove(slot=slot, actor=district_admin)
    slot.refresh_from_db()
    assert not slot.is_booked  # still open for booking after the refused removal


def test_a_second_booking_row_for_a_held_slot_is_refused_by_the_schema_too(
    slot: AppointmentSlot, resident: User, member_user: User
) -> None:
    make_booking(slot, booker=resident)
    AppointmentSlot.objects.filter(pk=slot.pk).update(is_booked=False)  # a flag out of step with the rows
    with pytest.raises(ValidationError, match="Someone else has just booked"):
        booking_create(
            slot=AppointmentSlot.objects.get(pk=slot.pk),
            actor=member_user,
            contact_name="李船长",
            contact_phone="13900001111",
        )
    assert Booking.objects.count() == 1

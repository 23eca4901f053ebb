"""People who book the same slot at the same moment: exactly one gets it, on PostgreSQL and SQLite.

Real threads with their own database connections, released together by a barrier, so the
conditional UPDATE of AppointmentSlot.is_booked decides and not the order the threads run in.
"""

import threading
from functools import partial

import pytest

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign, user_create
from lianxin.core.testing import all_at_once
from lianxin.volunteering.models import AppointmentSlot, Booking
from lianxin.volunteering.services.appointments import booking_cancel, booking_create
from lianxin.volunteering.tests.factories_touring import make_appointment_service, make_slot

THREADS = 8


def _residents(count: int) -> list[User]:
    users = []
    for i in range(count):
        user = user_create(username=f"booker{i}", password=PASSWORD, display_name=f"booker{i}")
        role_assign(user=user, role=RoleAssignment.Role.RESIDENT, organization=None)
        users.append(user)
    return users


@pytest.mark.django_db(transaction=True)
def test_of_eight_simultaneous_bookings_of_one_slot_exactly_one_wins_and_seven_are_told_clearly(
    city: City, district_admin: User
) -> None:
    service = make_appointment_service(city.district, unit=district_admin)
    slot = make_slot(service, unit=district_admin)
    users = _residents(THREADS)

    def book(user: User, barrier: threading.Barrier) -> None:
        barrier.wait()
        loaded = AppointmentSlot.objects.get(pk=slot.pk)  # each booker's page showed the slot free
        booking_create(slot=loaded, actor=user, contact_name=user.username, contact_phone="13812345678")

    wins, refusals = all_at_once([partial(book, u) for u in users])
    assert wins == 1
    assert refusals == ["Someone else has just booked this slot; please choose another."] * (THREADS - 1)
    assert Booking.objects.filter(slot=slot).count() == 1
    assert AppointmentSlot.objects.get(pk=slot.pk).is_booked


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_cancel_cancels_once_and_reopens_the_slot_once(city: City, district_admin: User) -> None:
    service = make_appointment_service(city.district, unit=district_admin)
    slot = make_slot(service, unit=district_admin)
    (booker,) = _residents(1)
    booking = booking_create(slot=slot, actor=booker, contact_name="张海明", contact_phone="13812345678")

    def cancel(barrier: threading.Barrier) -> None:
        barrier.wait()
        booking_cancel(booking=Booking.objects.get(pk=booking.pk), actor=booker)

    wins, refusals = all_at_once([cancel, cancel])
    assert wins == 1
    assert len(refusals) == 1
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    assert not AppointmentSlot.objects.get(pk=slot.pk).is_booked

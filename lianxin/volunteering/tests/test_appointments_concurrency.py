"""People who book the same slot at the same moment: exactly one gets it, on PostgreSQL and SQLite.

Real threads with their own database connections, released together by a barrier, so the
conditional UPDATE of AppointmentSlot.is_booked decides and not the order the threads run in.
"""

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign, user_create
from lianxin.volunteering.models import AppointmentSlot, Booking
from lianxin.volunteering.services_appointments import booking_cancel, booking_create
from lianxin.volunteering.tests.factories_touring import make_appointment_service, make_slot

THREADS = 8


def _residents(count: int) -> list[User]:
    users = []
    for i in range(count):
        user = user_create(username=f"booker{i}", password=PASSWORD, display_name=f"booker{i}")
        role_assign(user=user, role=RoleAssignment.Role.RESIDENT, organization=None)
        users.append(user)
    return users


def _all_at_once(users: list[User], act: Callable[[User], None]) -> tuple[int, list[str]]:
    barrier = threading.Barrier(len(users))
    lock = threading.Lock()
    wins: list[int] = []
    refusals: list[str] = []
    unexpected: list[BaseException] = []

    def run(user: User) -> Callable[[], None]:
        def go() -> None:
            try:
                with translation.override("en"):
                    barrier.wait()
                    try:
                        act(user)
                    except ValidationError as exc:
                        with lock:
                            refusals.extend(exc.messages)
                    else:
                        with lock:
                            wins.append(user.pk)
            except BaseException as exc:  # surfaced in the main thread
                with lock:
                    unexpected.append(exc)
            finally:
                connection.close()

        return go

    threads = [threading.Thread(target=run(u)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not unexpected, unexpected
    return len(wins), refusals


@pytest.mark.django_db(transaction=True)
def test_of_eight_simultaneous_bookings_of_one_slot_exactly_one_wins_and_seven_are_told_clearly(
    city: City, district_admin: User
) -> None:
    service = make_appointment_service(city.district, unit=district_admin)
    slot = make_slot(service, unit=district_admin)
    users = _residents(THREADS)

    def book(user: User) -> None:
        loaded = AppointmentSlot.objects.get(pk=slot.pk)  # each booker's page showed the slot free
        booking_create(slot=loaded, actor=user, contact_name=user.username, contact_phone="13812345678")

    wins, refusals = _all_at_once(users, book)
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

    def cancel(user: User) -> None:
        booking_cancel(booking=Booking.objects.get(pk=booking.pk), actor=user)

    wins, refusals = _all_at_once([booker, booker], cancel)
    assert wins == 1
    assert len(refusals) == 1
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    assert not AppointmentSlot.objects.get(pk=slot.pk).is_booked

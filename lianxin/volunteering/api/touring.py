"""Touring schedules and appointment services through the API.

Public (no login): published tours with their stops (team names and item titles, never
people), and published appointment services with their free slots. Logged in: book a slot.
Registered by importing this module in lianxin/volunteering/api/__init__.py.
"""

from datetime import date, datetime, time
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.volunteering.api.router import router
from lianxin.volunteering.models import AppointmentService, Booking, Tour, TourStop
from lianxin.volunteering.selectors.appointments import (
    access_public_appointment_service,
    access_slot_to_book,
    appointment_service_list_public,
    free_slots,
)
from lianxin.volunteering.selectors.touring import access_public_tour, tour_list_public, tour_stops
from lianxin.volunteering.services.appointments import booking_create


class TourOut(Schema):
    id: int
    title: str
    organizer: str = Field(..., alias="organization.name")
    starts_on: date
    ends_on: date
    description: str
    stops: int = Field(..., alias="stop_count")
    towns: int = Field(..., alias="town_count")


# A stop's time of day is local (the city's), with no date: HH:MM, not `format: time`, which needs an offset.
HourMinute = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["08:30"])]


def _hour_minute(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


class StopOut(Schema):
    id: int
    date: date
    starts_at: HourMinute | None = Field(..., description="local time of day, HH:MM")
    ends_at: HourMinute | None = Field(..., description="local time of day, HH:MM")
    town: str
    town_code: str
    place: str
    teams: list[str]
    services: list[str]
    beneficiaries: int | None

    @staticmethod
    def from_stop(stop: TourStop) -> "StopOut":
        return StopOut(
            id=stop.pk,
            date=stop.date,
            starts_at=_hour_minute(stop.starts_at),
            ends_at=_hour_minute(stop.ends_at),
            town=stop.area.name,
            town_code=stop.area.code,
            place=stop.place,
            teams=[t.name for t in stop.teams.all()],
            services=[i.title for i in stop.items.all()],
            beneficiaries=stop.beneficiaries,
        )


class TourDetailOut(Schema):
    id: int
    title: str
    organizer: str
    starts_on: date
    ends_on: date
    description: str
    stops: list[StopOut]


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    place: str


class AppointmentServiceOut(Schema):
    id: int
    title: str
    description: str
    unit: str = Field(..., alias="organization.name")
    category: str | None = Field(None, alias="category.name")
    free_slots: int
    next_slot: datetime | None


class AppointmentServiceDetailOut(Schema):
    id: int
    title: str
    description: str
    unit: str
    free_slots: list[SlotOut]


class BookingIn(Schema):
    contact_name: str
    contact_phone: str
    unit_name: str = ""
    note: str = ""


class BookingOut(Schema):
    id: int
    slot_id: int
    status: str
    contact_name: str
    contact_phone: str = Field(..., alias="contact_phone_masked", description="masked: 138****5678")
    unit_name: str


@router.get("/tours", response=list[TourOut], auth=None, tags=["touring"])
@paginate(PageNumberPagination, page_size=50)
def list_tours(request: HttpRequest) -> QuerySet[Tour]:
    """Published touring schedules, newest first."""
    return tour_list_public()


@router.get("/tours/{int:pk}", response=TourDetailOut, auth=None, tags=["touring"])
def get_tour(request: HttpRequest, pk: int) -> TourDetailOut:
    tour: Tour = access_public_tour(request.user, pk)
    return TourDetailOut(
        id=tour.pk,
        title=tour.title,
        organizer=tour.organization.name,
        starts_on=tour.starts_on,
        ends_on=tour.ends_on,
        description=tour.description,
        stops=[StopOut.from_stop(s) for s in tour_stops(tour)],
    )


@router.get("/appointments", response=list[AppointmentServiceOut], auth=None, tags=["appointments"])
@paginate(PageNumberPagination, page_size=50)
def list_appointment_services(request: HttpRequest) -> QuerySet[AppointmentService]:
    """Published services taking bookings, each with its number of free slots and the next one."""
    return appointment_service_list_public()


@router.get("/appointments/{int:pk}", response=AppointmentServiceDetailOut, auth=None, tags=["appointments"])
def get_appointment_service(request: HttpRequest, pk: int) -> AppointmentServiceDetailOut:
    service = access_public_appointment_service(pk)
    return AppointmentServiceDetailOut(
        id=service.pk,
        title=service.title,
        description=service.description,
        unit=service.organization.name,
        free_slots=[SlotOut.model_validate(s, from_attributes=True) for s in free_slots(service)[:500]],
    )


@router.post("/appointments/slots/{int:pk}/book", response={201: BookingOut}, tags=["appointments"])
def book_slot(request: AuthenticatedHttpRequest, pk: int, payload: BookingIn) -> Status[Booking]:
    """Book a free slot: 409 when someone took it first or it has begun, 422 when a field is wrong."""
    slot = access_slot_to_book(request.user, pk)
    return Status(201, booking_create(slot=slot, actor=request.user, **payload.dict()))

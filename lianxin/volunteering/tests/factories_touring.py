"""Builders for touring services and appointment services, through the services.

Teams and items come from the catalogue builders (factories.make_team / make_item).
"""

import itertools
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.tests.factories import make_area
from lianxin.volunteering.models import AppointmentService, AppointmentSlot, Booking, Team, Tour, TourStop
from lianxin.volunteering.services.appointments import appointment_service_create, appointment_slot_add, booking_create
from lianxin.volunteering.services.touring import tour_create, tour_stop_add
from lianxin.volunteering.tests.factories import make_item, make_team

_seq = itertools.count(1)


def make_town(parent: Area, name: str = "") -> Area:
    return make_area(name=name or f"镇{next(_seq)}", kind=Area.Kind.TOWN, parent=parent)


def make_tour(
    organization: Organization,
    *,
    organizer: User,
    starts_on: date | None = None,
    days: int = 20,
    **overrides: Any,
) -> Tour:
    """A 20-day tour starting today (seed 004 ran 27 June to 16 July), still a draft."""
    first = starts_on or timezone.localdate()
    values: dict[str, Any] = {"title": "红七月·服务月 巡回服务", "description": "市直机关党员志愿服务队巡回服务"}
    values.update(overrides)
    return tour_create(
        actor=organizer, organization=organization, starts_on=first, ends_on=first + timedelta(days=days - 1), **values
    )


def make_tour_team(organization: Organization, name: str, item_titles: tuple[str, ...] = ()) -> Team:
    team = make_team(organization, name=name)
    for title in item_titles:
        make_item(team, title=title)
    return team


def make_stop(
    tour: Tour,
    *,
    organizer: User,
    town: Area,
    teams: list[Team],
    on: date | None = None,
    place: str = "发银广场",
    with_items: bool = True,
) -> TourStop:
    items = [i.pk for t in teams for i in t.items.all()] if with_items else []
    return tour_stop_add(
        tour=tour,
        actor=organizer,
        area=town,
        date=on or tour.starts_on,
        place=place,
        team_ids=[t.pk for t in teams],
        item_ids=items,
        starts_at=time(8, 30),
        ends_at=time(11, 30),
    )


def make_appointment_service(organization: Organization, *, unit: User, **overrides: Any) -> AppointmentService:
    values: dict[str, Any] = {
        "title": "潮汐服务·不动产登记上岛",
        "description": "定期驻点与流动服务相结合，上门提供权调测绘、申请受理和集中登记",
    }
    values.update(overrides)
    return appointment_service_create(actor=unit, organization=organization, **values)


def tomorrow_at(hour: int, days: int = 1) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def make_slot(service: AppointmentService, *, unit: User, hour: int = 9, days: int = 1) -> AppointmentSlot:
    start = tomorrow_at(hour, days)
    return appointment_slot_add(
        service=service, actor=unit, starts_at=start, ends_at=start + timedelta(hours=1), place="东极岛便民服务点"
    )


def make_past_slot(service: AppointmentService, *, hours_ago: int = 2) -> AppointmentSlot:
    """A slot that has begun: the services refuse to create one, so it is written directly."""
    start = timezone.now() - timedelta(hours=hours_ago)
    return AppointmentSlot.objects.create(service=service, starts_at=start, ends_at=start + timedelta(hours=1))


def make_booking(slot: AppointmentSlot, *, booker: User, **overrides: Any) -> Booking:
    values: dict[str, Any] = {
        "contact_name": "张海明",
        "contact_phone": "138 1234 5678",
        "unit_name": "海城远洋渔业有限公司",
        "note": "想咨询船员党员组织关系转接",
    }
    values.update(overrides)
    return booking_create(slot=slot, actor=booker, **values)

"""Appointment services of the demo city (seed 002, 预约式服务): the services, their slots and
the bookings are made, served and cancelled by the appointments service, with the clock set
back to each step's moment."""

from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import TYPE_CHECKING

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.demo.context import UNIT_SECTORS, ServiceContext
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.volunteering.models import AppointmentService, AppointmentSlot, Booking, ServiceCategory
from lianxin.volunteering.services.appointments import (
    appointment_service_create,
    appointment_slot_add,
    booking_cancel,
    booking_create,
    booking_mark_done,
)

if TYPE_CHECKING:
    from lianxin.demo.service_demo import Volunteering

TIDAL_NOTE = "办理不动产登记，需上门测绘"
VISIT_NOTE = "咨询审批许可和安全生产问题"
# A slot is put on the schedule this long before it (or just before the demo's present).
SLOT_NOTICE = timedelta(days=14)


class Appointments:
    def __init__(self, ctx: ServiceContext, volunteering: "Volunteering") -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.admin = ctx.accounts["admin"]
        organs = volunteering.corps.node
        self.departments = [n.obj for n in organs.children]
        self.organs = organs.obj
        self.monday = ctx.today - timedelta(days=ctx.today.weekday())
        self.opened = ctx.at(self.monday - timedelta(weeks=7))
        self.residents = [(u, m) for u, m in ctx.volunteers if m.organization.sector in UNIT_SECTORS]
        firm = Organization.Sector.PRIVATE_ENTERPRISE
        self.firms = [(u, m) for u, m in ctx.volunteers if m.organization.sector == firm]

    def unit(self, name: str) -> Organization:
        return next((d for d in self.departments if name in d.name), self.organs)

    def services(self) -> tuple[AppointmentService, AppointmentService]:
        """The "tidal" land-registration service to remote islands, and visits to enterprises."""
        ctx = self.ctx
        categories = {c.code: c for c in ServiceCategory.objects.filter(code__in=["public_welfare", "tech_info"])}
        self.islands = [i for t in ctx.planner.towns for i in t.islands]
        with ctx.happen(self.opened):
            tidal = appointment_service_create(
                actor=self.admin,
                organization=self.unit("市资源规划局"),
                title="潮汐式服务：悬水小岛不动产登记上门服务",
                description="定期驻点与流动服务相结合，上门提供权调测绘、申请受理和集中登记，海岛群众少跑腿。",
                category=categories["public_welfare"],
                areas=self.islands,
            )
        with ctx.happen(self.opened + timedelta(hours=2)):
            visits = appointment_service_create(
                actor=self.admin,
                organization=self.unit("市港航和口岸局"),
                title="走访企业：“预约式”入企指导服务",
                description="党员干部按企业预约上门，现场解答审批许可、安全生产、合规经营等问题。",
                category=categories["tech_info"],
                areas=list(ctx.planner.district_areas.values()),
            )
        return tidal, visits

    def slot(self, service: AppointmentService, day: date, start: clock, length: timedelta, place: str) -> None:
        ctx = self.ctx
        starts = timezone.make_aware(datetime.combine(day, start))
        if day == ctx.today:
            return  # nothing is half-way through when the demo opens
        added = max(self.opened + timedelta(hours=3), min(starts - SLOT_NOTICE, ctx.now - timedelta(days=2)))
        with ctx.happen(added):
            slot = appointment_slot_add(
                service=service, actor=self.admin, starts_at=starts, ends_at=starts + length, place=place
            )
        self.slots.append(slot)
        self.added[slot.pk] = added

    def schedule(self, tidal: AppointmentService, visits: AppointmentService) -> None:
        """Tuesday mornings and Friday afternoons on an island, Wednesday afternoons at enterprises."""
        self.slots: list[AppointmentSlot] = []
        self.added: dict[int, datetime] = {}
        for week in range(-6, 7):
            island = self.islands[(week + 6) % len(self.islands)]
            for weekday, start in ((1, clock(9, 0)), (4, clock(13, 30))):
                day = self.monday + timedelta(days=7 * week + weekday)
                self.slot(tidal, day, start, timedelta(hours=2, minutes=30), f"{island.name}“小岛有我”服务站")
            if -4 <= week <= 4:
                day = self.monday + timedelta(days=7 * week + 2)
                self.slot(visits, day, clock(14, 30), timedelta(hours=2), "企业所在地")

    def book(self, slot: AppointmentSlot, user: User, member: Member | None, *, enterprise: bool) -> Booking:
        ctx = self.ctx
        booked = min(slot.starts_at - timedelta(days=self.rng.randint(2, 9)), ctx.now - timedelta(days=1))
        with ctx.happen(max(booked, self.added[slot.pk] + timedelta(hours=1))):
            return booking_create(
                slot=slot,
                actor=user,
                contact_name=member.name if member else user.display_name.removeprefix("居民 "),
                contact_phone=member.mobile if member else user.mobile,
                unit_name=member.work_unit if enterprise and member else "",
                note=VISIT_NOTE if enterprise else TIDAL_NOTE,
            )

    def bookings(self, tidal: AppointmentService) -> None:
        """Past slots mostly served, some upcoming ones booked (one by `resident`), one booking cancelled."""
        ctx, rng, now = self.ctx, self.rng, self.ctx.now
        resident, resident_booked = ctx.accounts["resident"], False
        for n, slot in enumerate(self.slots):
            past = slot.starts_at < now
            if rng.random() > (0.8 if past else 0.4) and n != 0:
                continue
            enterprise = slot.service != tidal
            user, member = rng.choice(self.firms if enterprise and self.firms else self.residents)
            if not past and not enterprise and not resident_booked:
                booking, resident_booked = self.book(slot, resident, None, enterprise=False), True
            else:
                booking = self.book(slot, user, member, enterprise=enterprise)
            if past:
                with ctx.happen(slot.ends_at):
                    booking_mark_done(booking=booking, actor=ctx.admin_over(slot.service.organization))
        # One resident cancelled: the slot opened again.
        free = next(s for s in self.slots if not s.is_booked and s.starts_at > now and s.service == tidal)
        user, member = rng.choice(self.residents)
        booking = self.book(free, user, member, enterprise=False)
        with ctx.happen(booking.created_at + timedelta(hours=20)):
            booking_cancel(booking=booking, actor=user, note="家中有事，改约下次")


def build(ctx: ServiceContext, volunteering: "Volunteering") -> None:
    appointments = Appointments(ctx, volunteering)
    tidal, visits = appointments.services()
    appointments.schedule(tidal, visits)
    appointments.bookings(tidal)

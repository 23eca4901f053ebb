"""The demo city's service work: volunteer teams, orders, sessions, a touring service,
appointment services, community reporting and micro-wishes, written after the roster.

Rows are written in bulk straight through the models (the services are for one change at
a time), but every row keeps the rules the services enforce: dates in order, counters
equal to the active rows they count, capacities respected, hours by the rounding rule,
one active report per member, and a timeline Event for every state change.
"""

import random
from bisect import bisect_left
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from lianxin.accounts.models import RoleAssignment, User
from lianxin.core.crypto import lookup_hash
from lianxin.core.models import Event
from lianxin.demo.clock import back_to
from lianxin.demo.names import GIVEN_ANY, GIVEN_FEMALE, GIVEN_MALE, SURNAMES
from lianxin.demo.plan import Planner
from lianxin.demo.tree import OrgNode
from lianxin.members.models import Member
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import AppointmentService, AppointmentSlot, Booking, ServiceCategory, Tour, TourStop

if TYPE_CHECKING:
    from lianxin.demo.service_demo import Volunteering
    from lianxin.demo.session_demo import TeamPlan

BATCH = 2000
Role = RoleAssignment.Role
Sector = Organization.Sector
UNIT_SECTORS = (Sector.VILLAGE, Sector.COMMUNITY)


@dataclass(frozen=True)
class ServiceScale:
    volunteers: int  # member accounts created for volunteering, wishes and community work
    unit_team_share: float  # villages and communities with a team of their own
    orders: int
    past_sessions: int  # per team, besides the sessions of served orders
    upcoming_sessions: int  # per team
    report_share: float  # in-service members reported to their residential community
    wishes: int
    warm_tasks: int
    detailed_events: bool  # sign-up, check-in and check-out rows on session timelines


SERVICE_SCALES = {
    "small": ServiceScale(
        volunteers=360,
        unit_team_share=0.5,
        orders=80,
        past_sessions=3,
        upcoming_sessions=2,
        report_share=0.6,
        wishes=60,
        warm_tasks=10,
        detailed_events=True,
    ),
    "city": ServiceScale(
        volunteers=4000,
        unit_team_share=0.12,
        orders=1500,
        past_sessions=8,
        upcoming_sessions=2,
        report_share=0.15,
        wishes=800,
        warm_tasks=100,
        detailed_events=False,
    ),
}


@dataclass
class ServiceContext:
    """What every part of the service demo reads: the city as built, the accounts, the clock."""

    rng: random.Random
    today: date
    scale: ServiceScale
    nodes: list[OrgNode]
    planner: Planner
    mobile: Any  # PeopleFactory.mobile: numbers that never repeat a member's
    accounts: dict[str, User] = field(default_factory=dict)
    # Every volunteer account with its roster record, and the accounts by member pk.
    volunteers: list[tuple[User, Member]] = field(default_factory=list)
    user_of: dict[int, User] = field(default_factory=dict)
    node_of_org: dict[int, OrgNode] = field(default_factory=dict)
    unit_org: dict[int, Organization] = field(default_factory=dict)  # residential area pk -> its organization
    events: list[tuple[Event, datetime]] = field(default_factory=list)
    # The present when the build began: what the clock set back by `happen` must never pass.
    real_now: datetime = field(default_factory=timezone.now)
    _by_path: list[tuple[tuple[str, int], User]] = field(default_factory=list)

    # ------------------------------------------------------------------ clock

    def at(self, d: date, hour: int = 10, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(d, clock(hour, minute)))

    @property
    def now(self) -> datetime:
        """An hour before the demo's "now": 10:00 on its day, or the real time if that is earlier
        (a demo built just after midnight must not date anything after the present)."""
        return min(self.at(self.today), self.real_now) - timedelta(hours=1)

    def happen(self, at: datetime) -> AbstractContextManager[None]:
        """The clock set back to `at` (never past the present) while a service does one step."""
        return back_to(min(at, self.real_now))

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def days_ahead(self, low: int, high: int) -> date:
        return self.today + timedelta(days=self.rng.randint(low, high))

    # ------------------------------------------------------------------ people

    def person_name(self) -> str:
        rng = self.rng
        surname = rng.choices([s for s, _w in SURNAMES], weights=[w for _s, w in SURNAMES])[0]
        pool = rng.choice((GIVEN_FEMALE, GIVEN_MALE)) + GIVEN_ANY
        return surname + rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")

    def users_under(self, org: Organization) -> list[User]:
        """Volunteer accounts of members of `org` and everything under it (a range of sorted paths)."""
        if len(self._by_path) != len(self.volunteers):
            self._by_path = sorted(((m.organization.path, m.pk), u) for u, m in self.volunteers)
        start = bisect_left(self._by_path, ((org.path, 0),))
        users: list[User] = []
        for (path, _pk), user in self._by_path[start:]:
            if not path.startswith(org.path):
                break
            users.append(user)
        return users

    def secretary_user(self, org: Organization) -> User | None:
        secretary = org.secretary  # the Member the builder assigned, with its account if any
        return secretary.user if secretary is not None and secretary.user_id else None

    def admin_over(self, org: Organization) -> User:
        """The demo account that would act for an organization's admins."""
        dinghai = self.planner.named["定海区"].obj
        return self.accounts["dinghai"] if org.path.startswith(dinghai.path) else self.accounts["admin"]

    def unit_nodes(self) -> list[OrgNode]:
        """Village and community organizations (a community Party committee, not its branches)."""
        return [self.node_of_org[o.pk] for o in self.unit_org.values()]

    # ------------------------------------------------------------------ timeline

    def record(
        self,
        subject: models.Model,
        *,
        verb: str,
        at: datetime,
        actor: User | None = None,
        from_state: str = "",
        to_state: str = "",
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        event = Event(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            actor=actor,
            verb=verb,
            from_state=from_state,
            to_state=to_state,
            note=note,
            data=data or {},
        )
        # Nothing on a timeline lies after the present, even for a demo built just after midnight.
        self.events.append((event, min(at, self.real_now)))

    def save_events(self) -> None:
        events = [e for e, _at in self.events]
        Event.objects.bulk_create(events, batch_size=BATCH)
        stamp(events, {id(e): at for e, at in self.events}, "at")
        self.events = []


def stamp(objects: list[Any], stamps: dict[int, datetime], field_name: str = "created_at") -> None:
    """Backdate an auto_now_add field: the insert stamps "now", the story needs the past.

    One prepared UPDATE run for every row: `bulk_update`'s CASE expressions take seconds
    per ten thousand rows, this takes a fraction of one on SQLite and PostgreSQL alike.
    """
    if not objects:
        return
    for obj in objects:
        setattr(obj, field_name, stamps[id(obj)])
    meta = type(objects[0])._meta
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    column = meta.get_field(field_name).column
    sql = f"UPDATE {quote(meta.db_table)} SET {quote(column)} = %s WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(adapt(getattr(obj, field_name)), obj.pk) for obj in objects])


# ---------------------------------------------------------------------- accounts


def _eligible(member: Member) -> bool:
    return (
        member.category in Member.PARTY_MEMBER_CATEGORIES
        and bool(member.mobile)
        and member.user_id is None
        and not (member.is_lost_contact or member.is_abroad or member.is_at_sea)
        and member.post != "退休"
    )


def _volunteer_accounts(ctx: ServiceContext) -> None:
    """Accounts for some members of every organization, and for every village and community
    secretary (they order services, review wishes and approve community reports)."""
    branches = [n for n in ctx.nodes if n.members]
    eligible = {n.obj.pk: [m for m in n.members if _eligible(m)] for n in branches}
    secretaries = {n.obj.secretary.pk for n in ctx.nodes if n.obj.sector in UNIT_SECTORS and n.obj.secretary}
    total = sum(len(v) for v in eligible.values()) or 1
    share = min(1.0, ctx.scale.volunteers / total)
    chosen: list[Member] = []
    for node in branches:
        pool = eligible[node.obj.pk]
        take = [m for m in pool if m.pk in secretaries]
        rest = [m for m in pool if m.pk not in secretaries]
        take += ctx.rng.sample(rest, min(len(rest), round(len(pool) * share)))
        chosen.extend(take)
    unusable = make_password(None)
    users = [
        User(
            username=f"zs{m.pk:06d}",
            display_name=m.name,
            mobile=m.mobile,
            mobile_hash=lookup_hash(m.mobile),
            password=unusable,
            date_joined=ctx.at(ctx.today - timedelta(days=400)),
        )
        for m in chosen
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    for user, member in zip(users, chosen, strict=True):
        member.user = user
        ctx.user_of[member.pk] = user
    Member.objects.bulk_update(chosen, ["user"], batch_size=BATCH)
    ctx.volunteers = list(zip(users, chosen, strict=True))
    roles = {(u.pk, Role.MEMBER, None) for u in users}
    for node in ctx.nodes:
        secretary = ctx.secretary_user(node.obj)
        # The demo accounts already hold their roles.
        if secretary is not None and secretary.username.startswith("zs") and node.obj.sector in UNIT_SECTORS:
            roles.add((secretary.pk, Role.ORG_ADMIN, node.obj.pk))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=u, role=r, organization_id=o) for u, r, o in sorted(roles, key=str)],
        batch_size=BATCH,
    )


def _unit_organizations(ctx: ServiceContext) -> None:
    """Each village or community area's own organization (the community Party committee where
    there is one, otherwise the branch)."""
    for node in sorted(ctx.nodes, key=lambda n: n.obj.depth):
        org = node.obj
        ctx.node_of_org[org.pk] = node
        area: Area = org.area
        if org.sector in UNIT_SECTORS and area.kind in (Area.Kind.VILLAGE, Area.Kind.COMMUNITY):
            ctx.unit_org.setdefault(area.pk, org)


def service_demo_build(
    *, rng: random.Random, today: date, scale: str, nodes: list[OrgNode], planner: Planner, mobile: Any
) -> None:
    """Add the service work to a freshly built demo city (the demo accounts must exist)."""
    from lianxin.demo import activity_demo, community_demo, demand_demo, development_demo, service_demo

    ctx = ServiceContext(rng=rng, today=today, scale=SERVICE_SCALES[scale], nodes=nodes, planner=planner, mobile=mobile)
    ctx.accounts = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    _unit_organizations(ctx)
    _volunteer_accounts(ctx)
    volunteering = service_demo.build(ctx)
    _tour(ctx, volunteering)
    _appointments(ctx, volunteering)
    community_demo.build(ctx)
    demand_demo.build(ctx, scale)
    activity_demo.build(ctx, scale)
    development_demo.build(ctx, scale)
    ctx.save_events()


DEMO_USERNAMES = ("admin", "dinghai", "secretary", "member", "handler", "leader", "resident")


# ---------------------------------------------------------------------- touring and appointments

TOUR_TITLE = "红七月·服务月 巡回服务"
TEN_KINDS = "结对帮扶、党课教育、济困扶弱、医疗卫生、文体竞技、生态环保、治安维稳、技术信息、党员关爱、公益志愿"


def _tour(ctx: ServiceContext, volunteering: "Volunteering") -> None:
    """Seed 004: the corps tours 15 towns from 27 June to 16 July with ten kinds of service."""
    rng, admin = ctx.rng, ctx.accounts["admin"]
    first, last = date(ctx.today.year, 6, 27), date(ctx.today.year, 7, 16)
    towns = ctx.planner.towns
    opening = next(t for t in towns if t.place.name == "千岛街道")
    others = rng.sample([t for t in towns if t is not opening], min(14, len(towns) - 1))
    places = [(t.area, f"{t.place.name}党群服务中心广场") for t in [opening, *others]]
    # The small city has fewer than 15 towns: the tour also calls at "小岛有我" stations.
    islands = [i for t in towns for i in t.islands]
    places += [(i, f"{i.name}“小岛有我”服务站") for i in islands[: 15 - len(places)]]
    dates = [first, *sorted(rng.sample([first + timedelta(days=n) for n in range(1, 19)], 13)), last]
    tour = Tour.objects.create(
        title=TOUR_TITLE,
        organization=volunteering.corps.team.organization,
        starts_on=first,
        ends_on=last,
        description=f"市直机关党员志愿服务总队与15个镇街机关党委联动，深入基层一线巡回服务，开展{TEN_KINDS}十项服务活动。",
        is_published=True,
        created_by=admin,
    )
    created = ctx.at(first - timedelta(days=20))
    Tour.objects.filter(pk=tour.pk).update(created_at=created)
    ctx.record(tour, verb="created", at=created, actor=admin, data={"from": str(first), "to": str(last)})
    ctx.record(tour, verb="published", at=created + timedelta(days=5), actor=admin)
    corps = volunteering.corps_plans
    stops: list[tuple[TourStop, list[TeamPlan]]] = []
    for n, ((area, place), day) in enumerate(zip(places, dates, strict=True)):
        morning = n % 2 == 0
        stop = TourStop(
            tour=tour,
            area=area,
            date=day,
            place=place,
            starts_at=clock(8, 30) if morning else clock(14, 0),
            ends_at=clock(11, 30) if morning else clock(17, 0),
            beneficiaries=rng.randint(150, 600) if day < ctx.today else None,
        )
        stops.append((stop, [corps[(n + k * 3) % len(corps)] for k in range(3)]))
    TourStop.objects.bulk_create([s for s, _p in stops])
    Teams, Items = TourStop.teams.through, TourStop.items.through
    Teams.objects.bulk_create([Teams(tourstop_id=s.pk, team_id=p.team.pk) for s, plans in stops for p in plans])
    Items.objects.bulk_create(
        [Items(tourstop_id=s.pk, serviceitem_id=i.pk) for s, plans in stops for p in plans for i in p.items]
    )


def _slot(service: AppointmentService, day: date, start: clock, length: timedelta, place: str) -> AppointmentSlot:
    starts = timezone.make_aware(datetime.combine(day, start))
    return AppointmentSlot(service=service, starts_at=starts, ends_at=starts + length, place=place)


def _appointments(ctx: ServiceContext, volunteering: "Volunteering") -> None:
    """Seed 002: the "tidal" land-registration service to remote islands, and visits to enterprises."""
    organs = volunteering.corps.node
    departments = [n.obj for n in organs.children]

    def unit(name: str) -> Organization:
        return next((d for d in departments if name in d.name), organs.obj)

    categories = {c.code: c for c in ServiceCategory.objects.filter(code__in=["public_welfare", "tech_info"])}
    islands = [i for t in ctx.planner.towns for i in t.islands]
    tidal = AppointmentService.objects.create(
        organization=unit("市资源规划局"),
        title="潮汐式服务：悬水小岛不动产登记上门服务",
        description="定期驻点与流动服务相结合，上门提供权调测绘、申请受理和集中登记，海岛群众少跑腿。",
        category=categories["public_welfare"],
    )
    tidal.areas.set(islands)
    visits = AppointmentService.objects.create(
        organization=unit("市港航和口岸局"),
        title="走访企业：“预约式”入企指导服务",
        description="党员干部按企业预约上门，现场解答审批许可、安全生产、合规经营等问题。",
        category=categories["tech_info"],
    )
    visits.areas.set(ctx.planner.district_areas.values())
    monday = ctx.today - timedelta(days=ctx.today.weekday())
    slots: list[AppointmentSlot] = []
    for week in range(-6, 7):
        island = islands[(week + 6) % len(islands)]
        for weekday, start in ((1, clock(9, 0)), (4, clock(13, 30))):
            day = monday + timedelta(days=7 * week + weekday)
            slots.append(_slot(tidal, day, start, timedelta(hours=2, minutes=30), f"{island.name}“小岛有我”服务站"))
        if -4 <= week <= 4:
            day = monday + timedelta(days=7 * week + 2)
            slots.append(_slot(visits, day, clock(14, 30), timedelta(hours=2), "企业所在地"))
    slots = [s for s in slots if s.starts_at.date() != ctx.today]
    AppointmentSlot.objects.bulk_create(slots)
    _bookings(ctx, slots, tidal)


def _bookings(ctx: ServiceContext, slots: list[AppointmentSlot], tidal: AppointmentService) -> None:
    """Past slots mostly served, some upcoming ones booked (one by `resident`), one booking cancelled."""
    rng = ctx.rng
    residents = [(u, m) for u, m in ctx.volunteers if m.organization.sector in UNIT_SECTORS]
    firms = [(u, m) for u, m in ctx.volunteers if m.organization.sector == Sector.PRIVATE_ENTERPRISE]
    resident = ctx.accounts["resident"]
    now = ctx.now
    bookings: list[Booking] = []
    for n, slot in enumerate(slots):
        past = slot.starts_at < now
        if rng.random() > (0.8 if past else 0.4) and n != 0:
            continue
        enterprise = slot.service is not tidal
        user, member = rng.choice(firms if enterprise and firms else residents)
        booking = Booking(
            slot=slot,
            booked_by=user,
            unit_name=member.work_unit if enterprise else "",
            contact_name=member.name,
            contact_phone=member.mobile,
            note="办理不动产登记，需上门测绘" if not enterprise else "咨询审批许可和安全生产问题",
            status=Booking.Status.DONE if past else Booking.Status.BOOKED,
        )
        if not past and not enterprise and resident not in [b.booked_by for b in bookings]:
            booking.booked_by, booking.contact_name = resident, resident.display_name.removeprefix("居民 ")
            booking.contact_phone = resident.mobile
        bookings.append(booking)
        slot.is_booked = True
    # One resident cancelled: the slot opened again.
    free = next(s for s in slots if not s.is_booked and s.starts_at > now and s.service is tidal)
    user, member = rng.choice(residents)
    cancelled = Booking(
        slot=free,
        booked_by=user,
        contact_name=member.name,
        contact_phone=member.mobile,
        note="家中有事，改约下次",
        status=Booking.Status.CANCELLED,
    )
    Booking.objects.bulk_create([*bookings, cancelled])
    AppointmentSlot.objects.bulk_update(slots, ["is_booked"])
    _booking_events(ctx, [*bookings, cancelled])


def _booking_events(ctx: ServiceContext, bookings: list[Booking]) -> None:
    rng, now = ctx.rng, ctx.now
    stamps: dict[int, datetime] = {}
    for booking in bookings:
        booked = min(booking.slot.starts_at - timedelta(days=rng.randint(2, 9)), now - timedelta(days=1))
        stamps[id(booking)] = booked
        ctx.record(booking, verb="booked", at=booked, actor=booking.booked_by, to_state=Booking.Status.BOOKED)
        if booking.status == Booking.Status.DONE:
            ctx.record(
                booking,
                verb="served",
                at=booking.slot.ends_at,
                actor=ctx.admin_over(booking.slot.service.organization),
                from_state=Booking.Status.BOOKED,
                to_state=booking.status,
            )
        elif booking.status == Booking.Status.CANCELLED:
            ctx.record(
                booking,
                verb="cancelled",
                at=booked + timedelta(hours=20),
                actor=booking.booked_by,
                from_state=Booking.Status.BOOKED,
                to_state=booking.status,
            )
    stamp(bookings, stamps)

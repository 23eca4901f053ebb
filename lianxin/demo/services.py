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
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from lianxin.accounts.models import RoleAssignment, User
from lianxin.core.crypto import lookup_hash
from lianxin.core.models import Event
from lianxin.core.timeline import check_verb
from lianxin.demo.clock import back_to
from lianxin.demo.names import GIVEN_ANY, GIVEN_FEMALE, GIVEN_MALE, SURNAMES
from lianxin.demo.plan import Planner
from lianxin.demo.tree import OrgNode
from lianxin.members.models import Member
from lianxin.organizations.models import Area, Organization

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
        check_verb(subject, verb)
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
    service_demo.build(ctx)
    community_demo.build(ctx)
    demand_demo.build(ctx, scale)
    activity_demo.build(ctx, scale)
    development_demo.build(ctx, scale)
    ctx.save_events()


DEMO_USERNAMES = ("admin", "dinghai", "secretary", "member", "handler", "leader", "resident")

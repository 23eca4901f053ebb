"""What every part of the demo's service work shares: its sizes per scale, the context the parts
write through (the demo accounts, the units, the clock's moments, the timeline rows to save) and the
stamping of moments on rows written in bulk. The parts import it; `services.py` runs them in order."""

import random
from bisect import bisect_left
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.core.timeline import check_verb
from lianxin.demo.clock import back_to
from lianxin.demo.names import GIVEN_ANY, GIVEN_FEMALE, GIVEN_MALE, SURNAMES
from lianxin.demo.plan import Planner
from lianxin.demo.tree import OrgNode
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

BATCH = 2000
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


def demo_clock(today: date, real_now: datetime) -> datetime:
    """An hour before the demo's "now": 10:00 on its day, or the real time if that is earlier
    (a demo built just after midnight must not date anything after the present), but never before
    the day began: a step dated today must not be stamped yesterday. What starts later than this
    stands as planned however late in the day the demo is looked at."""
    moment = min(timezone.make_aware(datetime.combine(today, clock(10))), real_now) - timedelta(hours=1)
    return min(max(moment, timezone.make_aware(datetime.combine(today, clock.min))), real_now)


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
        return demo_clock(self.today, self.real_now)

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

"""Volunteer sessions of the demo city, each step done by the sessions service with the clock set
back to its moment: the leader schedules, volunteers sign up (a few leave again), at a held
session most check in with its code and check out, and the leader marks it held; a few are
cancelled. Nobody is in two overlapping sessions (the service refuses it; the plan avoids it)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lianxin.accounts.models import User
from lianxin.demo.context import ServiceContext
from lianxin.demo.tree import OrgNode
from lianxin.organizations.models import Area
from lianxin.volunteering.models import Order, ServiceItem, Session, Team
from lianxin.volunteering.services.sessions import (
    session_cancel,
    session_create,
    session_mark_held,
    signup_check_in,
    signup_check_out,
    signup_create,
    signup_leave,
)

PLACES = {
    Area.Kind.VILLAGE: ("文化礼堂", "村委会广场", "老年活动室"),
    Area.Kind.COMMUNITY: ("党群服务站", "居民活动中心", "小区广场"),
}
LENGTHS = (timedelta(hours=2), timedelta(hours=2, minutes=30), timedelta(hours=3))


@dataclass(eq=False)
class TeamPlan:
    team: Team
    node: OrgNode
    area: Area
    codes: tuple[str, ...]
    places: list[Area]  # villages and communities it serves
    pool: list[User]
    members: list[User] = field(default_factory=list)
    items: list[ServiceItem] = field(default_factory=list)


class Sessions:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.now = ctx.now
        self.busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        # The sessions of served orders, run before the team records the order served, marked held after.
        self.serving: dict[int, Session] = {}

    def free(self, user: User, starts: datetime, ends: datetime) -> bool:
        return all(ends <= s or starts >= e for s, e in self.busy[user.pk])

    def leader(self, plan: TeamPlan) -> User:
        assert plan.team.leader is not None, plan.team
        return plan.team.leader

    def add(
        self,
        plan: TeamPlan,
        *,
        starts: datetime,
        item: ServiceItem | None = None,
        order: Order | None = None,
        beneficiaries: int | None = None,
        cancelled: bool = False,
        with_member: bool = False,
    ) -> Session:
        """A session of `plan`'s team from `starts`: held if it is over, cancelled if asked, else planned."""
        if order is not None and order.pk in self.serving:
            session = self.serving.pop(order.pk)
            assert session.starts_at == starts, (session, starts)
            self.hold(plan, session, beneficiaries)
            return session
        session = self.schedule_one(plan, starts=starts, item=item, order=order)
        if cancelled:
            with self.ctx.happen(session.created_at + timedelta(days=2)):
                session_cancel(session=session, actor=self.leader(plan), reason="台风预警，活动取消")
            return session
        self.run(plan, session, with_member=with_member)
        if session.ends_at < self.now:
            self.hold(plan, session, beneficiaries)
        return session

    def before_serving(self, plan: TeamPlan, order: Order, starts: datetime) -> None:
        """An accepted order's session, scheduled and run before the team records the order served;
        `add` marks it held with the people the order served."""
        session = self.schedule_one(plan, starts=starts, item=order.item, order=order)
        self.run(plan, session, with_member=False)
        self.serving[order.pk] = session

    def schedule_one(
        self, plan: TeamPlan, *, starts: datetime, item: ServiceItem | None, order: Order | None
    ) -> Session:
        ctx, rng = self.ctx, self.rng
        item = item or (rng.choice(plan.items) if plan.items else None)
        area = order.area if order else rng.choice(plan.places)
        place = order.place if order else f"{area.name}{rng.choice(PLACES.get(Area.Kind(area.kind), ('党群服务站',)))}"
        if order is not None and order.accepted_at is not None:
            scheduled = order.accepted_at + timedelta(minutes=30)
        else:
            scheduled = min(starts - timedelta(days=rng.randint(5, 12)), self.now - timedelta(days=1))
        with ctx.happen(scheduled):
            return session_create(
                actor=self.leader(plan),
                team=plan.team,
                title=item.title if item else plan.team.name,
                area=area,
                place=place,
                starts_at=starts,
                ends_at=starts + rng.choice(LENGTHS),
                slots=rng.randint(4, 12),
                item=item,
                order=order,
            )

    def hold(self, plan: TeamPlan, session: Session, beneficiaries: int | None) -> None:
        with self.ctx.happen(session.ends_at + timedelta(hours=1)):
            session_mark_held(
                session=session, actor=self.leader(plan), beneficiaries=beneficiaries or self.rng.randint(20, 150)
            )

    def volunteers(self, plan: TeamPlan, session: Session, *, with_member: bool) -> list[User]:
        """The team's volunteers free at the time who take places (the member account first when asked)."""
        rng, member = self.rng, self.ctx.accounts["member"]
        people = [u for u in plan.members if u != member]
        rng.shuffle(people)
        if with_member:
            people.insert(0, member)
        wanted = rng.randint(max(1, session.slots // 2), session.slots) if people else 0
        chosen: list[User] = []
        for user in people:
            if len(chosen) >= wanted:
                break
            if self.free(user, session.starts_at, session.ends_at):
                chosen.append(user)
        return chosen

    def run(self, plan: TeamPlan, session: Session, *, with_member: bool) -> None:
        """Sign-ups between the scheduling and the start; a few leave again; at a session that is
        over most volunteers checked in with its code and out again."""
        ctx, rng = self.ctx, self.rng
        member = ctx.accounts["member"]
        starts, ends = session.starts_at, session.ends_at
        chosen = self.volunteers(plan, session, with_member=with_member)
        first = session.created_at + timedelta(minutes=10)
        last = max(first + timedelta(minutes=len(chosen)), min(starts, self.now) - timedelta(hours=1))
        moments = sorted(first + (last - first) * rng.random() for _user in chosen)
        stayed: list[User] = []
        for user, signed in zip(chosen, moments, strict=True):
            with ctx.happen(signed):
                signup_create(session=session, actor=user)
            if user != member and rng.random() < 0.06:
                with ctx.happen(signed + (last - signed) / 2):
                    signup_leave(session=session, actor=user)
                continue
            self.busy[user.pk].append((starts, ends))
            stayed.append(user)
        if ends >= self.now:
            return
        for user in stayed:
            if user == member or rng.random() < 0.88:
                came = starts - timedelta(minutes=rng.randint(0, 20))
                went = ends + timedelta(minutes=rng.choice((-40, -20, 0, 5, 10, 15)))
                with ctx.happen(came):
                    signup_check_in(session=session, actor=user, code=session.checkin_code, now=came)
                with ctx.happen(went):
                    signup_check_out(session=session, actor=user, now=went, confirmed=True)

    def schedule(self, plans: list[TeamPlan], member_plan: TeamPlan) -> None:
        """Each team's past and upcoming sessions, and a few cancelled; the member account is in the leader's team."""
        ctx, rng = self.ctx, self.rng
        scale = ctx.scale
        for plan in plans:
            if not plan.items:
                continue
            mine = plan is member_plan
            for _n in range(scale.past_sessions):
                self.add(plan, starts=ctx.at(ctx.days_ago(7, 330), rng.choice((9, 14))), with_member=mine)
            for n in range(scale.upcoming_sessions):
                self.add(
                    plan,
                    starts=ctx.at(ctx.days_ahead(2 + 7 * n, 6 + 7 * n), rng.choice((9, 14))),
                    with_member=mine and n == 0,
                )
            # Some teams called a session off; the leader's team always has one to show.
            if rng.random() < 0.1 or mine:
                self.add(plan, starts=ctx.at(ctx.days_ago(20, 200), 9), cancelled=True)

"""Volunteer sessions of the demo city: held ones with check-ins and hours, upcoming ones
with sign-ups, a few cancelled; nobody is in two overlapping sessions."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F

from lianxin.accounts.models import User
from lianxin.demo.services import BATCH, ServiceContext
from lianxin.demo.tree import OrgNode
from lianxin.organizations.models import Area
from lianxin.volunteering.models import Order, ServiceItem, Session, SignUp, Team
from lianxin.volunteering.rules.hours import rounded_hours

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
        self.signups: list[SignUp] = []

    def free(self, user: User, starts: datetime, ends: datetime) -> bool:
        return all(ends <= s or starts >= e for s, e in self.busy[user.pk])

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
        ctx, rng = self.ctx, self.rng
        item = item or (rng.choice(plan.items) if plan.items else None)
        ends = starts + rng.choice(LENGTHS)
        held = ends < self.now and not cancelled
        area = order.area if order else rng.choice(plan.places)
        session = Session(
            team=plan.team,
            order=order,
            item=item,
            title=item.title if item else plan.team.name,
            area=area,
            place=order.place
            if order
            else f"{area.name}{rng.choice(PLACES.get(Area.Kind(area.kind), ('党群服务站',)))}",
            starts_at=starts,
            ends_at=ends,
            slots=rng.randint(4, 12),
            status=Session.Status.CANCELLED if cancelled else Session.Status.HELD if held else Session.Status.PLANNED,
            checkin_code=f"{rng.randint(0, 999_999):06d}",
            beneficiaries=(beneficiaries or rng.randint(20, 150)) if held else None,
            created_by=plan.team.leader,
        )
        session.save()
        scheduled = min(starts - timedelta(days=rng.randint(5, 12)), self.now - timedelta(days=1))
        ctx.record(session, verb="scheduled", at=scheduled, actor=plan.team.leader, to_state=Session.Status.PLANNED)
        if cancelled:
            ctx.record(
                session,
                verb="cancelled",
                at=scheduled + timedelta(days=2),
                actor=plan.team.leader,
                from_state=Session.Status.PLANNED,
                to_state=session.status,
                note="台风预警，活动取消",
            )
            return session
        active = self.sign_up(plan, session, held=held, with_member=with_member)
        self.sign_up_events(session, active)
        if held:
            ctx.record(
                session,
                verb="held",
                at=ends + timedelta(hours=1),
                actor=plan.team.leader,
                from_state=Session.Status.PLANNED,
                to_state=session.status,
                data={"beneficiaries": session.beneficiaries},
            )
        return session

    def sign_up(self, plan: TeamPlan, session: Session, *, held: bool, with_member: bool) -> list[SignUp]:
        """Volunteers free at the time take places; in a held session most checked in and out."""
        rng = self.rng
        starts, ends = session.starts_at, session.ends_at
        member = self.ctx.accounts["member"]
        people = [u for u in plan.members if u != member]
        rng.shuffle(people)
        if with_member:
            people.insert(0, member)
        wanted = rng.randint(max(1, session.slots // 2), session.slots) if people else 0
        active: list[SignUp] = []
        for user in people:
            if len(active) >= wanted:
                break
            if not self.free(user, starts, ends):
                continue
            signup = SignUp(session=session, user=user, starts_at=starts, ends_at=ends)
            if user != member and rng.random() < 0.06:
                signup.left_at = min(starts - timedelta(days=1), self.now - timedelta(hours=5))
                self.signups.append(signup)
                continue
            self.busy[user.pk].append((starts, ends))
            active.append(signup)
            if held and (user == member or rng.random() < 0.88):
                signup.checked_in_at = starts - timedelta(minutes=rng.randint(0, 20))
                signup.checked_out_at = ends + timedelta(minutes=rng.choice((-40, -20, 0, 5, 10, 15)))
                signup.hours = rounded_hours(signup.checked_out_at - signup.checked_in_at, cap=ends - starts)
        self.signups.extend(active)
        session.signed_up_count = len(active)
        session.save(update_fields=["signed_up_count"])
        return active

    def sign_up_events(self, session: Session, active: list[SignUp]) -> None:
        ctx, starts = self.ctx, session.starts_at
        if not ctx.scale.detailed_events:
            return
        for n, signup in enumerate(active, start=1):
            signed = min(starts - timedelta(days=3), self.now - timedelta(hours=6))
            ctx.record(
                session,
                verb="signed_up",
                at=signed,
                actor=signup.user,
                note=str(signup.user),
                data={"volunteer": signup.user.pk, "places": n, "slots": session.slots},
            )
            if signup.checked_in_at and signup.checked_out_at:
                ctx.record(
                    session,
                    verb="checked_in",
                    at=signup.checked_in_at,
                    actor=signup.user,
                    note=str(signup.user),
                    data={"volunteer": signup.user.pk},
                )
                ctx.record(
                    session,
                    verb="checked_out",
                    at=signup.checked_out_at,
                    actor=signup.user,
                    note=str(signup.user),
                    data={"volunteer": signup.user.pk, "hours": str(signup.hours)},
                )

    def schedule(self, plans: list[TeamPlan], member_plan: TeamPlan) -> None:
        """Each team's past and upcoming sessions; the member account is in the leader's team."""
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
            if rng.random() < 0.1:
                self.add(plan, starts=ctx.at(ctx.days_ago(20, 200), 9), cancelled=True)

    def save(self) -> None:
        SignUp.objects.bulk_create(self.signups, batch_size=BATCH)
        # signed_up_at is stamped "now" on insert: a few days before the session, never in the future.
        three_days = timedelta(days=3)
        SignUp.objects.filter(starts_at__lte=self.now + three_days).update(signed_up_at=F("starts_at") - three_days)
        SignUp.objects.filter(starts_at__gt=self.now + three_days).update(signed_up_at=self.now - timedelta(days=1))
        Session.objects.filter(starts_at__lte=self.now).update(created_at=F("starts_at") - timedelta(days=7))
        Session.objects.filter(starts_at__gt=self.now).update(created_at=self.now - timedelta(days=2))

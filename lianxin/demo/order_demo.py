"""Volunteer orders of the demo city (点单 → 派单 → 接单 → 服务 → 评单), each step done by the
orders service with the clock set back to its day, so every order keeps the service's rules
and its timeline is the one the service writes."""

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from lianxin.accounts.models import User
from lianxin.demo.context import ServiceContext
from lianxin.demo.session_demo import PLACES, TeamPlan
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import Order
from lianxin.volunteering.services.orders import (
    item_serves,
    order_accept,
    order_cancel,
    order_close_unrated,
    order_decline,
    order_dispatch,
    order_place,
    order_rate,
    order_serve,
)

if TYPE_CHECKING:
    from lianxin.demo.service_demo import Volunteering

Status = Order.Status

NEEDS = (
    "村里老人多，希望能测血压、血糖",
    "社区独居老人较多，请安排上门服务",
    "台风季前需要排查一次",
    "渔民出海前集中服务，时间可调整",
    "希望讲得通俗些，方便老人听懂",
    "活动场地有桌椅和电源",
)
DECLINES = (
    "服务当天队员在社区值守防台，人手不足",
    "该时段队员已有其他服务安排",
    "缺少相应专业的队员，建议派给专业服务队",
)
CANCELS = ("台风预警，活动取消", "场地临时有安排，另行点单", "群众需求已由镇里解决")
COMMENTS = {
    5: ("服务很贴心，老人们都说好", "来得准时，讲解细致", "希望常来"),
    4: ("服务不错，时间稍短", "很好，下次早点通知"),
    3: ("人来得少了点",),
    2: ("比约定时间晚到了一小时",),
}
# How long ago a finished order ended, by its final state (days).
ENDED_AGO: dict[str, tuple[int, int]] = {Status.SERVED: (1, 4), Status.RATED: (8, 300), Status.UNRATED: (10, 300)}


class Orders:
    def __init__(self, volunteering: "Volunteering") -> None:
        self.volunteering = volunteering
        self.ctx: ServiceContext = volunteering.ctx
        self.rng = volunteering.rng

    def build(self) -> None:
        ctx, rng, plans = self.ctx, self.rng, self.volunteering.plans
        secretary, resident = ctx.accounts["secretary"], ctx.accounts["resident"]
        home = ctx.planner.named["怡岛社区"]
        leader_plan = self.volunteering.leader_plan
        corps = self.volunteering.corps_plans
        qiandao = next(p for p in plans if p.team.name == "千岛街道党员志愿服务队")
        for final in (Status.DISPATCHED, Status.DISPATCHED, Status.ACCEPTED, Status.SERVED):
            self.order(leader_plan, final)
        for final in (Status.RATED, Status.RATED, Status.UNRATED, Status.CANCELLED):
            self.order(leader_plan, final)
        self.order(qiandao, Status.ORDERED, declined_by=leader_plan)
        self.order(qiandao, Status.RATED, declined_by=leader_plan)
        for final in (Status.SERVED, Status.RATED, Status.ORDERED):
            self.order(rng.choice([qiandao, *corps]), final, area=home.obj.area, orderer=resident, for_org=False)
        for final in (Status.ACCEPTED, Status.RATED, Status.DISPATCHED):
            self.order(rng.choice([qiandao, *corps]), final, area=home.obj.area, orderer=secretary)
        states = [Status.ORDERED] * 8 + [Status.DISPATCHED] * 10 + [Status.ACCEPTED] * 10 + [Status.SERVED] * 6
        states += [Status.RATED] * 40 + [Status.UNRATED] * 14 + [Status.CANCELLED] * 6
        # Only the places a team serves can order from it (the service refuses the others).
        offering = [p for p in plans if p.items and self.served_places(p)]
        for _n in range(ctx.scale.orders - 19):
            plan = rng.choice(offering)
            others = [p for p in offering if p is not plan and p.node.district == plan.node.district]
            decline = rng.random() < 0.08 and others
            self.order(plan, rng.choice(states), declined_by=rng.choice(others) if decline else None)

    def served_places(self, plan: TeamPlan) -> list[Area]:
        return [a for a in plan.places if a.path.startswith(plan.area.path)]

    def dates(self, final: str) -> tuple[date, date, date]:
        """When the order was placed, and the days its service starts and ends."""
        ctx, rng = self.ctx, self.rng
        if final in Order.DONE_STATUSES:
            ends_on = ctx.days_ago(*ENDED_AGO[final])
            created = ends_on - timedelta(days=rng.randint(8, 20))
        elif final == Status.CANCELLED:
            created = ctx.days_ago(10, 200)
            ends_on = created + timedelta(days=rng.randint(7, 20))
        else:
            created = ctx.days_ago(4, 9)
            ends_on = ctx.days_ahead(3, 30)
        return created, ends_on - timedelta(days=rng.choice((0, 0, 0, 1))), ends_on

    def orderer(self, ordering_org: Organization | None, orderer: User | None, area: Area) -> User:
        """Who orders: the given account, else the unit's secretary, else the admins over the unit."""
        if orderer is None and ordering_org is not None:
            orderer = self.ctx.secretary_user(ordering_org) or self.ctx.admin_over(ordering_org)
        return orderer or self.ctx.accounts["resident"]

    def order(
        self,
        plan: TeamPlan,
        final: str,
        *,
        declined_by: TeamPlan | None = None,
        area: Area | None = None,
        orderer: User | None = None,
        for_org: bool = True,
    ) -> Order:
        ctx, rng = self.ctx, self.rng
        item = rng.choice(plan.items)
        area = area or rng.choice(self.served_places(plan) or plan.places)
        assert item_serves(item, area), (item, area)
        ordering_org = ctx.unit_org.get(area.pk) if for_org else None
        expected = rng.choice((20, 30, 40, 50, 60, 80, 100, 150))
        created, starts_on, ends_on = self.dates(final)
        place = f"{area.name}{rng.choice(PLACES.get(Area.Kind(area.kind), ('党群服务站',)))}"
        with ctx.happen(ctx.at(created, 9, rng.randint(0, 59))):
            order = order_place(
                actor=self.orderer(ordering_org, orderer, area),
                item=item,
                area=area,
                place=place,
                starts_on=starts_on,
                ends_on=ends_on,
                expected_beneficiaries=expected,
                note=rng.choice(NEEDS),
                ordering_organization=ordering_org,
            )
        day = created + timedelta(days=1)
        if final == Status.CANCELLED:
            self.cancel(order, created)
            return order
        if declined_by is not None:
            self.declined(order, declined_by, day)
            day += timedelta(days=1)
        if final != Status.ORDERED:
            self.carry_out(order, plan, final, day)
        return order

    def cancel(self, order: Order, created: date) -> None:
        ctx, rng = self.ctx, self.rng
        with ctx.happen(ctx.at(created + timedelta(days=rng.randint(1, 5)), 15)):
            assert order.ordered_by is not None
            order_cancel(order=order, actor=order.ordered_by, reason=rng.choice(CANCELS))

    def declined(self, order: Order, first: TeamPlan, day: date) -> None:
        """Dispatched to a team that declined it: back to its owner for another dispatch."""
        ctx = self.ctx
        with ctx.happen(ctx.at(day, 10)):
            order_dispatch(order=order, actor=ctx.admin_over(order.owner), team=first.team)
        assert first.team.leader is not None
        with ctx.happen(ctx.at(day, 16)):
            order_decline(order=order, actor=first.team.leader, reason=self.rng.choice(DECLINES))

    def carry_out(self, order: Order, plan: TeamPlan, final: str, day: date) -> None:
        ctx, rng = self.ctx, self.rng
        leader = plan.team.leader
        assert leader is not None
        with ctx.happen(ctx.at(day, 10, 30)):
            order_dispatch(order=order, actor=ctx.admin_over(order.owner), team=plan.team)
        if final == Status.DISPATCHED:
            return
        with ctx.happen(ctx.at(day + timedelta(days=rng.randint(0, 1)), 17)):
            order_accept(order=order, actor=leader)
        sessions = self.volunteering.sessions
        if final == Status.ACCEPTED:
            sessions.add(plan, starts=ctx.at(order.starts_on, 9), item=order.item, order=order)
            return
        served_at = self.serve(order, leader)
        sessions.add(
            plan, starts=ctx.at(order.ends_on, 9), item=order.item, order=order, beneficiaries=order.beneficiaries
        )
        if final == Status.RATED:
            self.rate(order, served_at)
        elif final == Status.UNRATED:
            with ctx.happen(ctx.at(order.ends_on + timedelta(days=8), 2)):
                assert order_close_unrated() == 1, order

    def serve(self, order: Order, leader: User) -> datetime:
        ctx, rng = self.ctx, self.rng
        beneficiaries = max(1, round(order.expected_beneficiaries * rng.uniform(0.7, 1.3)))
        served_at = ctx.at(order.ends_on, 16, 30)
        with ctx.happen(served_at):
            order_serve(
                order=order,
                actor=leader,
                beneficiaries=beneficiaries,
                service_note=f"{order.item.title}，服务群众{beneficiaries}人次。",
            )
        return served_at

    def rate(self, order: Order, served_at: datetime) -> None:
        ctx, rng = self.ctx, self.rng
        rating = rng.choices((5, 4, 3, 2), weights=(60, 30, 8, 2))[0]
        assert order.ordered_by is not None
        with ctx.happen(served_at + timedelta(days=rng.randint(1, 6), hours=2)):
            order_rate(order=order, actor=order.ordered_by, rating=rating, comment=rng.choice(COMMENTS[rating]))

"""Volunteer teams, the service menu, orders and sessions of the demo city (seeds 000, 004).

市直机关党员志愿服务总队 groups ten teams by line of work (seed 004); districts, towns and
some villages and communities have teams of their own, islands have 党员先锋团 (seed 000).
Orders run through every state by the orders service (order_demo.py), sessions by the sessions service
(session_demo.py); served orders have a held session. The tour and the appointment services follow
(touring_demo.py, appointment_demo.py).
"""

from collections import defaultdict
from datetime import datetime, timedelta

from lianxin.accounts.models import User
from lianxin.demo import appointment_demo, touring_demo
from lianxin.demo.context import ServiceContext
from lianxin.demo.order_demo import Orders
from lianxin.demo.session_demo import Sessions, TeamPlan
from lianxin.demo.tree import OrgNode
from lianxin.organizations.models import Area
from lianxin.volunteering.categories import default_categories_seed
from lianxin.volunteering.models import Order, ServiceCategory, ServiceItem, Team
from lianxin.volunteering.services.catalogue import item_create, team_create, team_member_add

# What a team offers in each category (sub-kinds carry their own code): (title, what it is).
CATEGORY_ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "pairing": (
        ("困难家庭结对帮扶", "党员一对一结对，定期上门了解困难、帮办实事"),
        ("小岛共富结对", "与海岛村结对，帮销海产品、引项目"),
    ),
    "party_lecture": (
        ("支部书记讲党课进网格", "书记走进党群服务中心讲一堂专题党课"),
        ("党纪学习教育宣讲", "结合案例讲解纪律处分条例"),
    ),
    "relief": (("高龄老人助餐送餐", "为独居高龄老人送餐上门"), ("助残志愿服务", "陪同残疾人办事、康复训练")),
    "medical": (("健康知识讲座", "慢病防治、夏季防暑知识讲座"), ("家庭医生签约咨询", "现场办理家庭医生签约")),
    "free_clinic": (("义医义诊进海岛", "测血糖、量血压、常见病问诊"), ("骨伤康复义诊", "骨科专家现场问诊和康复指导")),
    "massage": (("爱心按摩进渔村", "为渔民和老人提供推拿按摩"),),
    "culture_sports": (("渔村趣味运动会", "组织党员群众趣味运动会"), ("非遗点翠手作体验", "用点翠工艺制作红色胸针")),
    "ecology": (("海岸线垃圾清理", "清理海滩和岸线垃圾"), ("垃圾分类宣传督导", "入户宣传、定点督导垃圾分类")),
    "public_safety": (("平安巡防", "夜间治安巡逻和重点部位巡查"), ("反诈宣传进社区", "讲解常见电信诈骗手法")),
    "flood_warning": (
        ("台风季防汛预警巡查", "台风前巡查危旧房、转移提醒"),
        ("防汛物资检查", "检查沙袋、救生衣等防汛物资"),
    ),
    "hazard_check": (("安全隐患排查", "排查电动车充电、燃气等隐患"), ("渔船消防安全检查", "检查渔船消防器材和用电")),
    "tech_info": (("智能手机使用教学", "教老人用手机挂号、视频通话"), ("对虾养殖技术指导", "养殖塘水质和病害防治指导")),
    "farm_policy": (("惠农政策宣传", "讲解种养补贴和惠农政策"), ("渔业补贴政策解读", "讲解渔业油价补贴和休渔政策")),
    "member_care": (
        ("老党员走访慰问", "走访慰问老党员、生活困难党员"),
        ("“光荣在党50年”送章到家", "上门为老党员颁发纪念章"),
    ),
    "public_welfare": (("养老金保险办理咨询", "现场答疑养老保险办理"), ("民政政策咨询", "低保、救助等民政政策答疑")),
    "legal_advice": (("法律咨询进社区", "律师党员现场解答法律问题"), ("婚姻家事法律咨询", "婚姻、继承、赡养纠纷咨询")),
}
# The ten teams of 市直机关党员志愿服务总队: (name, the department that owns it, categories).
CORPS_TEAMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("市直机关医疗卫生党员志愿服务队", "舟山医院", ("free_clinic", "massage", "medical")),
    ("市直机关法律服务党员志愿服务队", "市司法局", ("legal_advice",)),
    ("市直机关惠农服务党员志愿服务队", "市农业农村局", ("farm_policy", "tech_info")),
    ("市直机关人力社保服务队", "市人力社保局", ("public_welfare",)),
    ("市直机关民政助老服务队", "市民政局", ("relief", "member_care")),
    ("市直机关党课宣讲服务队", "市委组织部", ("party_lecture",)),
    ("市直机关结对帮扶服务队", "市财政局", ("pairing",)),
    ("市直机关平安守护服务队", "市港航和口岸局", ("flood_warning", "hazard_check", "public_safety")),
    ("市直机关生态环保服务队", "市资源规划局", ("ecology",)),
    ("市直机关文体服务队", "市教育服务中心", ("culture_sports",)),
)
LOCAL_CODES = (
    ("free_clinic", "relief", "member_care"),
    ("flood_warning", "hazard_check", "ecology"),
    ("farm_policy", "tech_info", "pairing"),
    ("legal_advice", "culture_sports", "party_lecture"),
    ("massage", "public_safety", "public_welfare"),
)


class OrdersServed(Orders):
    """Orders whose session is scheduled while the order is accepted (the sessions service asks
    for an accepted order) and run before the team records the order served."""

    def serve(self, order: Order, leader: User) -> datetime:
        plan = next(p for p in self.volunteering.plans if p.team == order.team)
        self.volunteering.sessions.before_serving(plan, order, self.ctx.at(order.ends_on, 9))
        return super().serve(order, leader)


class Volunteering:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.plans: list[TeamPlan] = []
        # Migration 0002 seeds them; a flushed database (tests) gets them again.
        default_categories_seed(ServiceCategory)
        self.categories = {c.code: c for c in ServiceCategory.objects.all()}
        self.sessions = Sessions(ctx)
        towns = ctx.planner.towns
        self.units_of: dict[str, list[Area]] = {t.area.name: list(t.units) for t in towns}
        self.district_units: dict[str, list[Area]] = defaultdict(list)
        for town in towns:
            self.district_units[town.district.name].extend(town.units)
        self.all_units = [u for t in towns for u in t.units]

    # ------------------------------------------------------------------ teams

    def _node(self, short_name: str) -> OrgNode | None:
        return next((n for n in self.ctx.nodes if n.obj.short_name == short_name), None)

    def _plan(
        self,
        name: str,
        kind: str,
        node: OrgNode,
        area: Area,
        codes: tuple[str, ...],
        places: list[Area],
        *,
        wider: OrgNode | None = None,
    ) -> TeamPlan:
        """A team of `node`'s volunteers; a small unit borrows from `wider` (default: its district)."""
        pool = self.ctx.users_under(node.obj)
        wider = wider or self.ctx.planner.named.get(node.district)
        if len(pool) < 6 and wider is not None:
            pool += [u for u in self.ctx.users_under(wider.obj) if u not in pool]
        if len(pool) < 6:
            pool += self.rng.sample([u for u, _m in self.ctx.volunteers if u not in pool], 6)
        team = Team(
            name=name,
            kind=kind,
            organization=node.obj,
            description=f"{node.obj.short_name or node.obj.name}党员志愿者组成，服务{area.name}。",
        )
        plan = TeamPlan(team, node, area, codes, places or self.all_units, pool)
        self.plans.append(plan)
        return plan

    def _teams(self) -> None:
        ctx, rng, named = self.ctx, self.rng, self.ctx.planner.named
        organs = self._node("市直机关工委")
        assert organs is not None
        city = ctx.planner.city_area
        self.corps = self._plan("舟山市直机关党员志愿服务总队", Team.Kind.CORPS, organs, city, (), [])
        self.corps.team.description = "整合市直机关各党员志愿服务队，制定服务目录，镇街“点菜”，市镇街联动。"
        departments = {n.obj.name: n for n in organs.children if isinstance(n, OrgNode)}
        health = next((n for n in ctx.nodes if n.obj.name.startswith(("舟山医院党支部", "中共舟山医院"))), organs)
        self.corps_plans: list[TeamPlan] = []
        for name, owner, codes in CORPS_TEAMS:
            node = health if owner == "舟山医院" else next((n for k, n in departments.items() if owner in k), organs)
            self.corps_plans.append(self._plan(name, Team.Kind.TEAM, node, city, codes, [], wider=organs))
        self._plan(
            "新就业群体先锋服务队",
            Team.Kind.VANGUARD,
            named["两新工委"],
            city,
            ("massage", "flood_warning", "hazard_check"),
            [],
        )
        for town in ctx.planner.towns:
            units = self.units_of[town.area.name]
            self._plan(
                f"{town.place.name}党员志愿服务队",
                Team.Kind.TEAM,
                named[town.place.name],
                town.area,
                rng.choice(LOCAL_CODES),
                units,
            )
            for island in town.islands:
                vanguard = f"“小岛有我”{island.name}党员先锋团"
                self._plan(
                    vanguard,
                    Team.Kind.VANGUARD,
                    named[town.place.name],
                    island,
                    ("free_clinic", "pairing", "farm_policy"),
                    units,
                )
        for district, units in self.district_units.items():
            node = named[district]
            self._plan(f"{district}党员志愿服务队", Team.Kind.TEAM, node, node.obj.area, rng.choice(LOCAL_CODES), units)
        for node in ctx.unit_nodes():
            unit = node.obj.area
            if node.obj.name.endswith("海宇社区党支部") or rng.random() < ctx.scale.unit_team_share:
                plan = self._plan(
                    f"{unit.name}党员志愿服务队", Team.Kind.TEAM, node, unit, rng.choice(LOCAL_CODES), [unit]
                )
                if unit.name == "海宇社区":
                    self.leader_plan = plan

    def _menus(self) -> None:
        """What each team will offer: one or more items of each of its categories."""
        rng = self.rng
        for plan in self.plans:
            if plan.team.kind == Team.Kind.CORPS:
                continue
            for code in plan.codes:
                choices = CATEGORY_ITEMS[code]
                for title, description in rng.sample(choices, rng.randint(1, len(choices))):
                    item = ServiceItem(
                        category=self.categories[code],
                        title=title,
                        description=f"{description}。由{plan.team.name}提供，请提前三天点单。",
                    )
                    plan.items.append(item)

    def _team_categories(self, plan: TeamPlan) -> list[ServiceCategory]:
        """The categories of the team's items, with the parents of sub-kinds."""
        chosen: dict[int, ServiceCategory] = {}
        for item in plan.items:
            chosen[item.category.pk] = item.category
            if item.category.parent is not None:
                chosen[item.category.parent.pk] = item.category.parent
        return [chosen[pk] for pk in sorted(chosen)]

    def _set_up(self, plan: TeamPlan) -> None:
        """The admins over the team's organization set it up, led by one of its volunteers (the
        service gives them the team leader's role); the leader puts the items on the menu."""
        ctx, draft = self.ctx, plan.team
        set_up = ctx.at(ctx.today - timedelta(days=730))
        with ctx.happen(set_up):
            plan.team = team_create(
                actor=ctx.admin_over(draft.organization),
                organization=draft.organization,
                name=draft.name,
                kind=draft.kind,
                leader=plan.members[0],
                corps=self.corps.team if plan in self.corps_plans else None,
                description=draft.description,
                areas=[plan.area],
                categories=self._team_categories(plan),
            )
        leader = self.sessions.leader(plan)
        for n, draft_item in enumerate(plan.items):
            with ctx.happen(set_up + timedelta(days=30, minutes=n)):
                plan.items[n] = item_create(
                    actor=leader,
                    team=plan.team,
                    category=draft_item.category,
                    title=draft_item.title,
                    description=draft_item.description,
                )

    def _save_teams(self) -> None:
        """Every team (the corps first: its teams belong to it); the leader joins it first, the
        other volunteers over the following months."""
        ctx, rng = self.ctx, self.rng
        leader, member = ctx.accounts["leader"], ctx.accounts["member"]
        for plan in self.plans:
            size = min(len(plan.pool), rng.randint(6, 16))
            plan.members = rng.sample(plan.pool, size)
        self.leader_plan.members = [leader, member, *self.leader_plan.members]
        joined = ctx.today - timedelta(days=700)
        for plan in self.plans:
            self._set_up(plan)
            for n, user in enumerate(plan.members):
                day = joined + timedelta(days=rng.randint(1, 300) if n else 0)
                with ctx.happen(ctx.at(day, 19)):
                    team_member_add(team=plan.team, actor=plan.members[0], user=user, joined_on=day)

    def build(self) -> None:
        self._teams()
        self._menus()
        self._save_teams()
        OrdersServed(self).build()
        self.sessions.schedule(self.plans, self.leader_plan)


def build(ctx: ServiceContext) -> "Volunteering":
    volunteering = Volunteering(ctx)
    volunteering.build()
    touring_demo.build(ctx, volunteering)
    appointment_demo.build(ctx, volunteering)
    return volunteering

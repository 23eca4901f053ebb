"""Residents' demands (问题诉求) in the demo city, followed to resolution through the demands services.

Demands come from every source (visits, research topics with key ones, 民生面对面 sessions,
the 12345 hotline, residents' own submissions, staff) and stand in every state. Each one's
story is played step by step by the demands services with the clock set back to the step's
moment (demand_story, demand_timeline), so deadlines, escalations, follow-ups and the
timeline are the services' own; the nightly escalation runs every night of the story, so
demands still being handled after their deadline are escalated to the unit's parent
organization. Square-dance noise complaints in one community form a hot spot, two of them
merged into the first as duplicates. `handler` (小沙街道) has demands to handle, one overdue;
`resident` submitted two, one resolved and waiting for their follow-up, and one more before
they had an account, to add to it with its lookup code (resident_demo gives them their
profile). Reviewed summaries feed the public board, and last month's notice is drawn up and published early this month.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import DemandCategory
from lianxin.demands.services.board import notice_create, notice_publish
from lianxin.demands.services.deadlines import demands_remind
from lianxin.demands.services.duplicates import hot_spot_add, hot_spot_create
from lianxin.demo import resident_demo
from lianxin.demo.context import ServiceContext
from lianxin.demo.demand_sources import DemandScale, SourceRecords
from lianxin.demo.demand_story import DemandPlan, Problem, S, Source, Stories
from lianxin.demo.demand_texts import (
    ASKS,
    DANCE,
    HOT_SPOT_COMMUNITY_TOWN,
    PERSONAL,
    PLACES,
    PROBLEMS,
    WHEN,
)
from lianxin.demo.demand_timeline import Steps, Timeline, in_office_hours, nightly
from lianxin.organizations.models import Organization

# bench/demand_fixture.py builds its demands from the same pieces.
__all__ = ["ASKS", "PERSONAL", "PLACES", "PROBLEMS", "WHEN", "build"]

DEMAND_SCALES = {
    "small": DemandScale(demands=300, visits=40, topics=12, key_topics=3, sessions=6),
    "city": DemandScale(demands=1500, visits=200, topics=60, key_topics=14, sessions=30),
}
# (status, weight) of demands older than a fortnight; younger ones are more often still open.
# Duplicates are the repeated square-dance complaints (they need an open original).
OLD = [(S.CLOSED, 80), (S.RESOLVED, 3), (S.UNRESOLVABLE, 3), (S.NOT_OURS, 6), (S.ASSIGNED, 2)]
YOUNG = [(S.SUBMITTED, 12), (S.ACCEPTED, 8), (S.ASSIGNED, 40), (S.RESOLVED, 15), (S.CLOSED, 20), (S.NOT_OURS, 3)]
# The square-dance complaints: (source, the state each ends in), one every other day.
DANCE_STORY = (
    (Source.HOTLINE, S.ASSIGNED),
    (Source.PUBLIC, S.DUPLICATE),
    (Source.VISIT, S.ASSIGNED),
    (Source.HOTLINE, S.DUPLICATE),
    (Source.FACE_TO_FACE, S.RESOLVED),
    (Source.PUBLIC, S.SUBMITTED),
)


class _Demands:
    def __init__(self, ctx: ServiceContext, scale: DemandScale) -> None:
        self.ctx, self.rng, self.scale = ctx, ctx.rng, scale
        self.admin = ctx.accounts["admin"]
        self.handler_town = ctx.planner.named[HOT_SPOT_COMMUNITY_TOWN].obj
        self.units = [n.obj for n in ctx.unit_nodes()]
        self.handler_units = [u for u in self.units if u.path.startswith(self.handler_town.path)]
        self.stories = Stories(ctx, SourceRecords(ctx, self.collector), self.handler_town)
        self.plans: list[DemandPlan] = []
        self.hotline_numbers = 0

    def collector(self, org: Organization) -> User:
        return self.stories.collector(org)

    # ------------------------------------------------------------------ what will happen

    def demand(
        self,
        org: Organization,
        problem: Problem,
        source: str,
        created: datetime,
        status: str,
        *,
        unit: Organization | None = None,
        original: DemandPlan | None = None,
        resident: User | None = None,
    ) -> DemandPlan:
        """A demand about `problem` in `org`'s area, worded the way residents put it."""
        ctx, rng = self.ctx, self.rng
        _code, title, detail, _done, _summary = problem
        area = org.area
        place = rng.choice(PLACES)
        personal = title in PERSONAL
        plan = DemandPlan(
            organization=org,
            problem=problem,
            source=source,
            created=created,
            status=status,
            title=f"{area.name}{'居民' if personal else place}{title}",
            description=(
                f"{detail}，{rng.choice(ASKS)}"
                if personal
                else f"{rng.choice(WHEN)}{area.name}{place}{detail}，{rng.choice(ASKS)}"
            ),
            address="" if personal else f"{area.name}{place}",
            unit=unit,
            original=original,
            resident=resident,
        )
        if source in (Source.HOTLINE, Source.PUBLIC, Source.FACE_TO_FACE):
            plan.name, plan.phone = ctx.person_name(), ctx.mobile()
        if source == Source.HOTLINE:
            self.hotline_numbers += 1
            plan.hotline_number = f"ZS12345-{created:%Y%m%d}-{self.hotline_numbers:04d}"
        self.plans.append(plan)
        return plan

    def plan(self) -> None:
        ctx, rng = self.ctx, self.rng
        sources = [Source.VISIT] * 6 + [Source.HOTLINE] * 6 + [Source.PUBLIC] * 3 + [Source.FACE_TO_FACE] * 2
        sources += [Source.RESEARCH, Source.STAFF]
        problems = [p for p in PROBLEMS if p is not DANCE]
        for n in range(self.scale.demands):
            age = rng.randint(1, 400) if n % 8 else rng.randint(1, 14)
            # Every sixth demand comes from the handler's town, so `handler` has work in every state.
            org = rng.choice(self.handler_units) if n % 6 == 0 and self.handler_units else rng.choice(self.units)
            problem = rng.choice(problems)
            created = ctx.at(ctx.today - timedelta(days=age), rng.randint(8, 19), rng.randint(0, 59))
            weights = OLD if age > 14 else YOUNG
            status = rng.choices([s for s, _w in weights], weights=[w for _s, w in weights])[0]
            self.demand(org, problem, rng.choice(sources), created, status)
        # The resident's own two, in their community: one resolved and waiting for their answer.
        resident = ctx.accounts["resident"]
        home = ctx.unit_org[ctx.planner.named["怡岛社区"].obj.area_id]
        name = resident.display_name.removeprefix("居民 ")
        for problem, age, status in ((PROBLEMS[11], 9, S.RESOLVED), (PROBLEMS[3], 3, S.ASSIGNED)):
            created = ctx.at(ctx.today - timedelta(days=age), 20, 15)
            plan = self.demand(home, problem, Source.PUBLIC, created, status, resident=resident)
            plan.name, plan.phone = name, resident.mobile
        # One sent before they had an account: theirs to add with its lookup code and their mobile.
        created = ctx.at(ctx.today - timedelta(days=6), 19, 40)
        plan = self.demand(home, PROBLEMS[7], Source.PUBLIC, created, S.ASSIGNED)
        plan.name, plan.phone = name, resident.mobile
        # The handler's own: one long overdue, one just given, one resolved, one closed.
        for age, status in ((20, S.ASSIGNED), (2, S.ASSIGNED), (5, S.RESOLVED), (30, S.CLOSED)):
            org = rng.choice(self.handler_units or self.units)
            created = ctx.at(ctx.today - timedelta(days=age), 9, 40)
            self.demand(org, rng.choice(PROBLEMS[:6]), Source.VISIT, created, status, unit=self.handler_town)

    def square_dance(self) -> list[DemandPlan]:
        """Square-dance noise in one of the handler's communities: six complaints, two of them
        repeats of the first."""
        org = (self.handler_units or self.units)[0]
        dance: list[DemandPlan] = []
        for n, (source, status) in enumerate(DANCE_STORY):
            created = self.ctx.at(self.ctx.today - timedelta(days=12 - 2 * n), 21, 30)
            original, unit = (dance[0], None) if dance else (None, self.handler_town)
            dance.append(self.demand(org, DANCE, source, created, status, unit=unit, original=original))
        return dance

    # ------------------------------------------------------------------ the city's own steps

    def hot_spot(self, dance: list[DemandPlan]) -> Steps:
        """The complaints grouped into a hot spot the day after the third; later ones join it (a
        duplicate joins the hot spot of the demand it is merged into by itself)."""
        yield dance[2].created + timedelta(hours=14)
        first = [p.demand for p in dance[:3] if p.demand is not None]
        org = dance[0].organization
        noise = DemandCategory.objects.get(code=DANCE[0])
        spot = hot_spot_create(
            actor=self.admin, title=f"{org.area.name}广场舞噪音扰民", area=org.area, category=noise, demands=first
        )
        for plan in dance[3:]:
            yield in_office_hours(plan.created + timedelta(hours=1))
            if plan.demand is not None and plan.demand.hot_spot_id is None:
                hot_spot_add(hot_spot=spot, demands=[plan.demand], actor=self.admin)

    def notice(self) -> Steps:
        """Last month's notice for the city, drawn up on the third of this month and published the next day."""
        ctx = self.ctx
        this_month = ctx.today.replace(day=1)
        last_month = this_month - timedelta(days=1)
        city = Organization.objects.get_root_nodes().first()
        assert city is not None
        yield ctx.at(this_month + timedelta(days=2), 10)
        notice = notice_create(actor=self.admin, organization=city, year=last_month.year, month=last_month.month)
        yield timezone.now() + timedelta(days=1)
        notice_publish(notice=notice, actor=self.admin)

    def play(self, dance: list[DemandPlan]) -> None:
        ctx = self.ctx
        until = ctx.now
        timeline = Timeline(ctx, until)
        first_day = min(p.created for p in self.plans).date()
        timeline.add(nightly(ctx, first_day, until, demands_remind))
        for plan in self.plans:
            timeline.add(self.stories.story(plan))
        timeline.add(self.hot_spot(dance))
        timeline.add(self.notice())
        timeline.run()


def build(ctx: ServiceContext, scale: str) -> None:
    default_demand_categories_seed(DemandCategory)
    demands = _Demands(ctx, DEMAND_SCALES[scale])
    demands.stories.sources.record(demands.scale, demands.units)
    demands.plan()
    dance = demands.square_dance()
    demands.play(dance)
    resident_demo.build(ctx)

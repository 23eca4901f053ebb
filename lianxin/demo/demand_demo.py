"""Residents' demands (问题诉求) in the demo city, followed to resolution.

Demands come from every source (visits, research topics with key ones, 民生面对面 sessions,
the 12345 hotline, residents' own submissions, staff) and stand in every state, each with the
timeline the services would have written. Deadlines are counted in working days with the
holiday calendar; overdue demands are escalated to the unit's parent organization. Square-dance
noise complaints in one community form a hot spot. `handler` (小沙街道) has demands to handle,
one overdue; `resident` submitted two, one resolved and waiting for their follow-up. Reviewed
summaries feed the public board, and last month's notice is published through the services.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.core.crypto import lookup_hash
from lianxin.core.workdays import Calendar
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import (
    LOOKUP_ALPHABET,
    Demand,
    DemandCategory,
    FaceToFace,
    FollowUp,
    HotSpot,
    ResearchTopic,
    Visit,
)
from lianxin.demands.services.board import notice_create, notice_publish
from lianxin.demo.demand_texts import (
    ASKS,
    DANCE,
    HOT_SPOT_COMMUNITY_TOWN,
    NOT_OURS,
    PERSONAL,
    PLACES,
    PROBLEMS,
    STEPS,
    TOPICS,
    UNRESOLVABLE,
    WHEN,
)
from lianxin.demo.services import BATCH, ServiceContext, stamp
from lianxin.organizations.models import Organization

S = Demand.Status
Source = Demand.Source
__all__ = ["ASKS", "PERSONAL", "PLACES", "PROBLEMS", "WHEN", "build"]


@dataclass(frozen=True)
class DemandScale:
    demands: int
    visits: int
    topics: int
    key_topics: int
    sessions: int


DEMAND_SCALES = {
    "small": DemandScale(demands=300, visits=40, topics=12, key_topics=3, sessions=6),
    "city": DemandScale(demands=1500, visits=200, topics=60, key_topics=14, sessions=30),
}
# (status, weight) of demands older than a fortnight; younger ones are more often still open.
# Duplicates are the repeated square-dance complaints (they need an open original).
OLD = [(S.CLOSED, 80), (S.RESOLVED, 3), (S.UNRESOLVABLE, 3), (S.NOT_OURS, 6), (S.ASSIGNED, 2)]
YOUNG = [(S.SUBMITTED, 12), (S.ACCEPTED, 8), (S.ASSIGNED, 40), (S.RESOLVED, 15), (S.CLOSED, 20), (S.NOT_OURS, 3)]


class _Demands:
    def __init__(self, ctx: ServiceContext, scale: DemandScale) -> None:
        self.ctx, self.rng, self.scale = ctx, ctx.rng, scale
        self.now = timezone.now()
        self.calendar = Calendar(ctx.today - timedelta(days=420), ctx.today + timedelta(days=60))
        self.categories = {c.code: c for c in DemandCategory.objects.all()}
        self.admin = ctx.accounts["admin"]
        self.handler = ctx.accounts["handler"]
        self.handler_town = ctx.planner.named[HOT_SPOT_COMMUNITY_TOWN].obj
        self.units = [n.obj for n in ctx.unit_nodes()]
        self.codes: set[str] = set()
        self.rows: list[Demand] = []
        self.follow_ups: list[tuple[FollowUp, Demand]] = []
        self.created: dict[int, datetime] = {}
        self.parents: dict[str, Organization] = {}
        self.original: dict[int, Demand] = {}  # a duplicate's original, by id() of the duplicate
        self.unit_for: dict[int, Organization] = {}  # responsible units chosen in advance
        self.sent_back_at: dict[int, datetime] = {}  # when an unsatisfied follow-up sent a demand back

    # ------------------------------------------------------------------ helpers

    def working_days_after(self, day: date, days: int) -> date:
        while days:
            day += timedelta(days=1)
            if self.calendar.is_working_day(day):
                days -= 1
        return day

    def lookup_code(self) -> str:
        while True:
            code = "".join(self.rng.choice(LOOKUP_ALPHABET) for _ in range(8))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def parent(self, org: Organization) -> Organization:
        path = org.path[: -Organization.steplen]
        if path not in self.parents:
            self.parents[path] = Organization.objects.get(path=path) if path else org
        return self.parents[path]

    def collector(self, org: Organization) -> User:
        return self.ctx.secretary_user(org) or self.ctx.admin_over(org)

    def unit_handler(self, unit: Organization) -> User:
        return self.handler if unit.pk == self.handler_town.pk else self.ctx.admin_over(unit)

    def clamp(self, at: datetime) -> datetime:
        return min(at, self.now - timedelta(minutes=30))

    def after_resolution(self, demand: Demand, at: datetime) -> datetime:
        """`at`, kept before the present and not before the resolution (which may lie closer to the
        present than the clamp when a demo is built just after midnight)."""
        assert demand.resolved_at is not None
        return max(self.clamp(at), demand.resolved_at)

    # ------------------------------------------------------------------ sources

    def sources(self) -> None:
        ctx, rng, scale = self.ctx, self.rng, self.scale
        towns = [t.place.name for t in ctx.planner.towns]
        self.visits = [
            Visit(
                kind=rng.choice(Visit.Kind.values),
                organization=(org := rng.choice(self.units)),
                area=org.area,
                visited=f"{org.area.name}{rng.randint(1, 60)}号住户",
                visitors=f"{ctx.person_name()}、{ctx.person_name()}",
                visited_on=ctx.days_ago(1, 400),
                findings="走访了解住户生产生活情况，收集意见建议",
                created_by=self.admin,
            )
            for _n in range(scale.visits)
        ]
        Visit.objects.bulk_create(self.visits, batch_size=BATCH)
        self.topics = []
        for n in range(scale.topics):
            town = ctx.planner.named[towns[n % len(towns)]].obj
            starts = ctx.days_ago(60, 400)
            concluded = starts + timedelta(days=120) < ctx.today
            self.topics.append(
                ResearchTopic(
                    title=f"{town.area.name}{TOPICS[n % len(TOPICS)]}调研课题",
                    organization=town,
                    leader=ctx.person_name(),
                    is_key=n < scale.key_topics,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=120),
                    findings="走访企业和群众，梳理出问题清单",
                    conclusion="形成调研报告，问题纳入整改清单" if concluded else "",
                    status=ResearchTopic.Status.CONCLUDED if concluded else ResearchTopic.Status.ONGOING,
                    created_by=self.admin,
                )
            )
        ResearchTopic.objects.bulk_create(self.topics, batch_size=BATCH)
        self.sessions = []
        for _n in range(scale.sessions):
            org = rng.choice(self.units)
            self.sessions.append(
                FaceToFace(
                    title=f"民生面对面·{org.area.name}",
                    organization=org,
                    area=org.area,
                    held_on=ctx.days_ago(1, 400),
                    place=f"{org.area.name}党群服务站",
                    attendance=rng.randint(20, 80),
                    notes="居民面对面反映问题，现场登记",
                    created_by=self.admin,
                )
            )
        FaceToFace.objects.bulk_create(self.sessions, batch_size=BATCH)

    # ------------------------------------------------------------------ demands

    def demand(
        self,
        org: Organization,
        problem: tuple[str, str, str, str, str],
        source: str,
        created: datetime,
        *,
        submitted_by: User | None = None,
        name: str = "",
        phone: str = "",
    ) -> Demand:
        ctx, rng = self.ctx, self.rng
        code, title, detail, _done, _summary = problem
        area = org.area
        place = rng.choice(PLACES)
        personal = title in PERSONAL
        source_object: Any = None
        if source == Source.VISIT:
            source_object = rng.choice(self.visits)
        elif source == Source.RESEARCH:
            source_object = rng.choice(self.topics)
        elif source == Source.FACE_TO_FACE:
            source_object = rng.choice(self.sessions)
        if source in (Source.HOTLINE, Source.PUBLIC, Source.FACE_TO_FACE) and not name:
            name, phone = ctx.person_name(), ctx.mobile()
        demand = Demand(
            title=f"{area.name}{'居民' if personal else place}{title}",
            description=(
                f"{detail}，{rng.choice(ASKS)}"
                if personal
                else f"{rng.choice(WHEN)}{area.name}{place}{detail}，{rng.choice(ASKS)}"
            ),
            category=self.categories[code],
            area=area,
            address="" if personal else f"{area.name}{place}",
            source=source,
            source_type=ContentType.objects.get_for_model(source_object) if source_object else None,
            source_id=source_object.pk if source_object else None,
            hotline_number=f"ZS12345-{created:%Y%m%d}-{len(self.rows) + 1:04d}" if source == Source.HOTLINE else "",
            organization=org,
            submitter_name=name,
            submitter_phone=phone,
            submitter_phone_hash=lookup_hash(phone),
            submitted_by=submitted_by or (None if source == Source.PUBLIC else self.collector(org)),
            lookup_code=self.lookup_code(),
        )
        self.rows.append(demand)
        self.created[id(demand)] = created
        return demand

    def plan(self) -> None:
        ctx, rng = self.ctx, self.rng
        sources = [Source.VISIT] * 6 + [Source.HOTLINE] * 6 + [Source.PUBLIC] * 3 + [Source.FACE_TO_FACE] * 2
        sources += [Source.RESEARCH, Source.STAFF]
        handler_units = [u for u in self.units if u.path.startswith(self.handler_town.path)]
        self.story: list[tuple[Demand, str]] = []
        for n in range(self.scale.demands):
            age = rng.randint(1, 400) if n % 8 else rng.randint(1, 14)
            # Every sixth demand comes from the handler's town, so `handler` has work in every state.
            org = rng.choice(handler_units) if n % 6 == 0 and handler_units else rng.choice(self.units)
            problem = rng.choice([p for p in PROBLEMS if p is not DANCE])
            created = ctx.at(ctx.today - timedelta(days=age), rng.randint(8, 19), rng.randint(0, 59))
            weights = OLD if age > 14 else YOUNG
            status = rng.choices([s for s, _w in weights], weights=[w for _s, w in weights])[0]
            self.story.append((self.demand(org, problem, rng.choice(sources), created), status))
        # The resident's own two, in their community: one resolved and waiting for their answer.
        resident = ctx.accounts["resident"]
        home = ctx.unit_org[ctx.planner.named["怡岛社区"].obj.area_id]
        name = resident.display_name.removeprefix("居民 ")
        for problem, age, status in ((PROBLEMS[11], 9, S.RESOLVED), (PROBLEMS[3], 3, S.ASSIGNED)):
            created = ctx.at(ctx.today - timedelta(days=age), 20, 15)
            demand = self.demand(home, problem, Source.PUBLIC, created, submitted_by=resident, name=name)
            demand.submitter_phone, demand.submitter_phone_hash = resident.mobile, lookup_hash(resident.mobile)
            self.story.append((demand, status))
        # The handler's own: one long overdue, one just given, one resolved, one closed.
        for age, status in ((20, S.ASSIGNED), (2, S.ASSIGNED), (5, S.RESOLVED), (30, S.CLOSED)):
            org = rng.choice(handler_units or self.units)
            created = ctx.at(ctx.today - timedelta(days=age), 9, 40)
            demand = self.demand(org, rng.choice(PROBLEMS[:6]), Source.VISIT, created)
            self.unit_for[id(demand)] = self.handler_town
            self.story.append((demand, status))

    def hot_spot(self) -> None:
        """Square-dance noise in one of the handler's communities: six complaints, two of them
        repeats of the first, grouped into a hot spot."""
        ctx = self.ctx
        handler_units = [u for u in self.units if u.path.startswith(self.handler_town.path)] or self.units
        org = handler_units[0]
        first: Demand | None = None
        self.dance: list[Demand] = []
        for n, (source, status) in enumerate(
            (
                (Source.HOTLINE, S.ASSIGNED),
                (Source.PUBLIC, S.DUPLICATE),
                (Source.VISIT, S.ASSIGNED),
                (Source.HOTLINE, S.DUPLICATE),
                (Source.FACE_TO_FACE, S.RESOLVED),
                (Source.PUBLIC, S.SUBMITTED),
            )
        ):
            created = ctx.at(ctx.today - timedelta(days=12 - 2 * n), 21, 30)
            demand = self.demand(org, DANCE, source, created)
            if first is None:
                first = demand
                self.unit_for[id(demand)] = self.handler_town
            else:
                self.original[id(demand)] = first
            self.story.append((demand, status))
            self.dance.append(demand)

    # ------------------------------------------------------------------ what happened to each

    def happen(self, demand: Demand, status: str) -> None:
        ctx, rng = self.ctx, self.rng
        created = self.created[id(demand)]
        collector = self.collector(demand.organization)
        ctx.record(demand, verb="collected", at=created, actor=demand.submitted_by, to_state=S.SUBMITTED,
                   data={"source": demand.source})  # fmt: skip
        demand.status = status
        if status == S.SUBMITTED:
            return
        if status in (S.NOT_OURS, S.DUPLICATE):
            self.set_aside(demand, status, created, collector)
            return
        demand.accepted_at = created + timedelta(hours=rng.randint(1, 4))
        ctx.record(demand, verb="accepted", at=demand.accepted_at, actor=collector, from_state=S.SUBMITTED,
                   to_state=S.ACCEPTED)  # fmt: skip
        if status == S.ACCEPTED:
            return
        handler = self.hand_out(demand, status, collector)
        if demand.assigned_at and rng.random() < 0.5:
            ctx.record(demand, verb="step", at=self.clamp(demand.assigned_at + timedelta(hours=20)), actor=handler,
                       note=rng.choice(STEPS))  # fmt: skip
        if status == S.ASSIGNED:
            self.escalate_if_late(demand)
            return
        if status == S.UNRESOLVABLE:
            assert demand.assigned_at is not None
            demand.closed_at = self.clamp(demand.assigned_at + timedelta(days=3))
            demand.reason = UNRESOLVABLE
            ctx.record(demand, verb="unresolvable", at=demand.closed_at, actor=handler, from_state=S.ASSIGNED,
                       to_state=status, note=UNRESOLVABLE)  # fmt: skip
            return
        self.resolve(demand, handler)
        self.after_resolved(demand, status, collector)

    def set_aside(self, demand: Demand, status: str, created: datetime, collector: User) -> None:
        """Not this organization's to handle, or a repeat of a demand already being handled."""
        original = self.original.get(id(demand))
        demand.closed_at = created + timedelta(hours=self.rng.randint(2, 6))
        demand.reason = NOT_OURS if status == S.NOT_OURS else "与已受理的诉求反映同一问题，合并办理"
        data = {}
        if status == S.DUPLICATE and original is not None:
            demand.duplicate_of = original
            data = {"duplicate_of": original.pk}
        self.ctx.record(demand, verb=status, at=demand.closed_at, actor=collector, from_state=S.SUBMITTED,
                        to_state=status, note=demand.reason, data=data)  # fmt: skip

    def hand_out(self, demand: Demand, status: str, collector: User) -> User:
        """Given to a responsible unit (now and then resolved, sent back and given again); its handler."""
        rng = self.rng
        assert demand.accepted_at is not None
        roll = rng.random()
        org = demand.organization
        town = self.parent(org)
        unit = self.handler_town if org.path.startswith(self.handler_town.path) and roll < 0.7 else town
        unit = self.unit_for.get(id(demand)) or (org if roll > 0.85 else unit)
        demand.responsible_unit = unit
        self.assign(demand, demand.accepted_at + timedelta(hours=rng.randint(1, 3)), collector)
        handler = self.unit_handler(unit)
        if status in (S.RESOLVED, S.CLOSED) and rng.random() < 0.06:
            # Sent back once: resolved, the resident unsatisfied, handled again.
            self.resolve(demand, handler)
            assert demand.resolved_at is not None
            at = self.after_resolution(demand, demand.resolved_at + timedelta(days=1))
            self.follow_up(demand, FollowUp(round=1, result=Demand.Satisfaction.UNSATISFIED,
                                            comment="问题还没有彻底解决", recorded_by=collector), at)  # fmt: skip
            demand.rework_count = 1
            demand.satisfaction = Demand.Satisfaction.UNSATISFIED
            self.ctx.record(demand, verb="sent_back", at=at, actor=collector, from_state=S.RESOLVED,
                            to_state=S.ASSIGNED, note="问题还没有彻底解决",
                            data={"round": 1, "result": "unsatisfied"})  # fmt: skip
            self.assign(demand, at, None, verb="")
            self.sent_back_at[id(demand)] = at
        return handler

    def after_resolved(self, demand: Demand, status: str, collector: User) -> None:
        """A reviewed public summary for most; the follow-up that closes a closed one."""
        ctx, rng = self.ctx, self.rng
        assert demand.resolved_at is not None
        if rng.random() < 0.7:
            demand.public_summary = next(p[4] for p in PROBLEMS if demand.title.endswith(p[1]))
            demand.summary_reviewed_by = self.admin
            demand.summary_reviewed_at = self.after_resolution(demand, demand.resolved_at + timedelta(hours=18))
            ctx.record(demand, verb="summary_reviewed", at=demand.summary_reviewed_at, actor=self.admin,
                       note=demand.public_summary)  # fmt: skip
        if status != S.CLOSED:
            return
        result = rng.choice([Demand.Satisfaction.SATISFIED] * 6 + [Demand.Satisfaction.BASIC])
        at = self.after_resolution(demand, demand.resolved_at + timedelta(hours=rng.randint(20, 60)))
        by_resident = demand.source == Source.PUBLIC and rng.random() < 0.5
        comment = "处理及时，很满意" if result == Demand.Satisfaction.SATISFIED else "基本解决了"
        self.follow_up(demand, FollowUp(round=demand.rework_count + 1, result=result, comment=comment,
                                        by_resident=by_resident,
                                        recorded_by=None if by_resident else collector), at)  # fmt: skip
        demand.satisfaction, demand.closed_at = result, at
        ctx.record(demand, verb="followed_up", at=at, actor=None if by_resident else collector,
                   from_state=S.RESOLVED, to_state=S.CLOSED, note=comment,
                   data={"round": demand.rework_count + 1, "result": result, "by_resident": by_resident})  # fmt: skip

    def assign(self, demand: Demand, at: datetime, actor: User | None, verb: str = "assigned") -> None:
        at = self.clamp(at)
        unit = demand.responsible_unit
        assert unit is not None
        demand.deadline = self.working_days_after(timezone.localdate(at), demand.category.deadline_days)
        demand.escalated_to, demand.escalated_at = None, None
        if demand.assigned_at is None:
            demand.assigned_at = at
        if verb:
            self.ctx.record(demand, verb=verb, at=at, actor=actor, from_state=S.ACCEPTED, to_state=S.ASSIGNED,
                            data={"unit": unit.name, "deadline": demand.deadline.isoformat()})  # fmt: skip

    def resolve(self, demand: Demand, handler: User) -> None:
        rng = self.rng
        start = self.sent_back_at.get(id(demand)) or demand.assigned_at
        assert start is not None and demand.deadline is not None
        late = rng.random() < 0.08
        if late:
            at = self.ctx.at(demand.deadline + timedelta(days=rng.randint(1, 4)), 15)
            self.escalate_if_late(demand, until=self.clamp(at))
        else:
            at = start + timedelta(hours=rng.randint(3, 20 * demand.category.deadline_days))
            at = min(at, self.ctx.at(demand.deadline, 17))
        demand.resolved_at = max(self.clamp(at), start + timedelta(minutes=30))
        demand.resolution = next(p[3] for p in PROBLEMS if demand.title.endswith(p[1]))
        self.ctx.record(demand, verb="resolved", at=demand.resolved_at, actor=handler, from_state=S.ASSIGNED,
                        to_state=S.RESOLVED, note=demand.resolution)  # fmt: skip

    def escalate_if_late(self, demand: Demand, until: datetime | None = None) -> None:
        """What the nightly escalation does for a demand still being handled after its deadline."""
        assert demand.deadline is not None and demand.responsible_unit is not None
        at = self.ctx.at(demand.deadline + timedelta(days=1), 1)
        if at >= (until or self.now):
            return
        unit = demand.responsible_unit
        demand.escalated_to, demand.escalated_at = self.parent(unit), at
        late = (timezone.localdate(at) - demand.deadline).days
        data = {"unit": unit.name, "to": demand.escalated_to.name, "deadline": demand.deadline.isoformat(),
                "days_late": late}  # fmt: skip
        self.ctx.record(demand, verb="escalated", at=at, data=data)
        self.ctx.record(demand, verb="reminded", at=at, data={"unit": unit.name, "days_late": late})

    def follow_up(self, demand: Demand, follow_up: FollowUp, at: datetime) -> None:
        self.follow_ups.append((follow_up, demand))
        follow_up.at = at

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        Demand.objects.bulk_create(self.rows, batch_size=BATCH)
        stamp(self.rows, {id(d): self.created[id(d)] for d in self.rows})
        for demand, status in self.story:
            self.happen(demand, status)
        Demand.objects.bulk_update(
            self.rows,
            ["status", "reason", "duplicate_of", "responsible_unit", "deadline", "resolution", "rework_count",
             "satisfaction", "escalated_to", "public_summary", "summary_reviewed_by", "summary_reviewed_at",
             "accepted_at", "assigned_at", "resolved_at", "closed_at", "escalated_at"],
            batch_size=500,
        )  # fmt: skip
        hot_spot = HotSpot.objects.create(
            title=f"{self.dance[0].area.name}广场舞噪音扰民",
            area=self.dance[0].area,
            category=self.categories["noise"],
            created_by=self.admin,
        )
        grouped = self.created[id(self.dance[2])] + timedelta(hours=14)
        HotSpot.objects.filter(pk=hot_spot.pk).update(created_at=grouped)
        Demand.objects.filter(pk__in=[d.pk for d in self.dance]).update(hot_spot=hot_spot)
        for demand in self.dance:
            at = max(grouped, self.created[id(demand)] + timedelta(hours=1))
            self.ctx.record(demand, verb="hot_spot_added", at=self.clamp(at), actor=self.admin,
                            data={"hot_spot": hot_spot.pk, "title": hot_spot.title})  # fmt: skip
        rows = []
        for follow_up, demand in self.follow_ups:
            follow_up.demand = demand
            rows.append(follow_up)
        FollowUp.objects.bulk_create(rows, batch_size=BATCH)
        stamp(rows, {id(f): f.at for f in rows}, "at")

    def notice(self) -> None:
        """Last month's notice for the city, published through the services."""
        first = self.ctx.today.replace(day=1) - timedelta(days=1)
        city = Organization.objects.get_root_nodes().first()
        assert city is not None
        notice = notice_create(actor=self.admin, organization=city, year=first.year, month=first.month)
        notice_publish(notice=notice, actor=self.admin)


def build(ctx: ServiceContext, scale: str) -> None:
    default_demand_categories_seed(DemandCategory)
    demands = _Demands(ctx, DEMAND_SCALES[scale])
    demands.sources()
    demands.plan()
    demands.hot_spot()
    demands.save()
    demands.notice()

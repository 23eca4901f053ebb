"""Where the demo's demands come from: visits (走访), research topics (调研课题) and 民生面对面
sessions, each recorded by the sources service on its own day.

Some are recorded up front across the city. A demand collected from one takes a record of its
own organization from the days just before it (a topic of its town, or of another, that had
begun by then); when there is none, the visit or session is recorded that day, just before
the demand, so no demand comes from a record made after it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.demands.models import Demand, FaceToFace, ResearchTopic, Visit
from lianxin.demands.services.sources import face_to_face_create, topic_conclude, topic_create, visit_create
from lianxin.demo.context import ServiceContext
from lianxin.demo.demand_texts import SESSION_NOTES, TOPIC_CONCLUSION, TOPIC_FINDINGS, TOPICS, VISIT_FINDINGS
from lianxin.organizations.models import Organization

Source = Demand.Source
SourceRecord = Visit | ResearchTopic | FaceToFace
# How far back a demand looks for a visit or a session of its organization to come from.
RECENT_DAYS = 20
# The first topic begins before the oldest demand, so a demand from research always finds one.
FIRST_TOPIC_DAYS_AGO = 420
TOPIC_DAYS = 120


@dataclass(frozen=True)
class DemandScale:
    demands: int
    visits: int
    topics: int
    key_topics: int
    sessions: int


class SourceRecords:
    def __init__(self, ctx: ServiceContext, collector: Callable[[Organization], User]) -> None:
        self.ctx, self.rng, self.collector = ctx, ctx.rng, collector
        self.visits: list[Visit] = []
        self.topics: list[ResearchTopic] = []
        self.sessions: list[FaceToFace] = []

    # ------------------------------------------------------------------ recorded up front

    def record(self, scale: DemandScale, units: list[Organization]) -> None:
        ctx, rng = self.ctx, self.rng
        for _n in range(scale.visits):
            org = rng.choice(units)
            day = ctx.days_ago(1, 400)
            with ctx.happen(ctx.at(day, 17)):
                self.visit(org, day)
        towns = [t.place.name for t in ctx.planner.towns]
        for n in range(scale.topics):
            town = ctx.planner.named[towns[n % len(towns)]].obj
            starts = ctx.today - timedelta(days=FIRST_TOPIC_DAYS_AGO) if n == 0 else ctx.days_ago(60, 400)
            self.topic(town, starts, is_key=n < scale.key_topics, name=TOPICS[n % len(TOPICS)])
        for _n in range(scale.sessions):
            org = rng.choice(units)
            day = ctx.days_ago(1, 400)
            with ctx.happen(ctx.at(day, 19)):
                self.session(org, day)

    def visit(self, org: Organization, day: date) -> Visit:
        ctx = self.ctx
        visit = visit_create(
            actor=self.collector(org),
            organization=org,
            kind=self.rng.choice(Visit.Kind.values),
            area=org.area,
            visited=f"{org.area.name}{self.rng.randint(1, 60)}号住户",
            visitors=f"{ctx.person_name()}、{ctx.person_name()}",
            visited_on=day,
            findings=VISIT_FINDINGS,
        )
        self.visits.append(visit)
        return visit

    def topic(self, town: Organization, starts: date, *, is_key: bool, name: str) -> ResearchTopic:
        ctx = self.ctx
        actor = ctx.admin_over(town)
        ends = starts + timedelta(days=TOPIC_DAYS)
        with ctx.happen(ctx.at(starts, 9)):
            topic = topic_create(
                actor=actor,
                organization=town,
                title=f"{town.area.name}{name}调研课题",
                leader=ctx.person_name(),
                is_key=is_key,
                starts_on=starts,
                ends_on=ends,
                findings=TOPIC_FINDINGS,
            )
        if ends < ctx.today:
            with ctx.happen(ctx.at(ends, 17)):
                topic_conclude(topic=topic, actor=actor, conclusion=TOPIC_CONCLUSION)
        self.topics.append(topic)
        return topic

    def session(self, org: Organization, day: date) -> FaceToFace:
        session = face_to_face_create(
            actor=self.collector(org),
            organization=org,
            area=org.area,
            title=f"民生面对面·{org.area.name}",
            held_on=day,
            place=f"{org.area.name}党群服务站",
            attendance=self.rng.randint(20, 80),
            notes=SESSION_NOTES,
        )
        self.sessions.append(session)
        return session

    # ------------------------------------------------------------------ for one demand

    def for_demand(self, source: str, org: Organization, town: Organization) -> SourceRecord:
        """The record a demand collected now comes from; recorded now when there is none."""
        day = timezone.localdate()
        since = day - timedelta(days=RECENT_DAYS)
        if source == Source.RESEARCH:
            begun = [t for t in self.topics if t.starts_on <= day]
            own = [t for t in begun if t.organization_id == town.pk]
            return max(own or begun, key=lambda t: t.starts_on)
        if source == Source.VISIT:
            visits = [v for v in self.visits if v.organization_id == org.pk and since <= v.visited_on <= day]
            return max(visits, key=lambda v: v.visited_on) if visits else self.visit(org, day)
        sessions = [s for s in self.sessions if s.organization_id == org.pk and since <= s.held_on <= day]
        return max(sessions, key=lambda s: s.held_on) if sessions else self.session(org, day)


def moment_before(at: datetime) -> datetime:
    """When the record a demand comes from is made: an hour before the demand, on its day."""
    return max(at - timedelta(hours=1), at.replace(hour=0, minute=0))

"""One demand's story, each step done by the demands services at its moment (see demand_timeline).

Collected from a visit, a research topic, a 民生面对面 session, a 12345 work order (imported
from a workbook as the hotline sends them) or the resident's own submission; then turned away,
merged into the demand it repeats, or accepted and given to a responsible unit, which records
its steps and resolves it (late now and then: the nightly escalation then reaches it first)
or closes it as unresolvable. Most resolutions get a reviewed public summary; the follow-up
with the resident closes a demand, or, unsatisfied, sends it back for another round.
"""

from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO
from typing import TypedDict

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from openpyxl import Workbook

from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.demands.models import Demand
from lianxin.demands.services.board import demand_summary_review
from lianxin.demands.services.duplicates import demand_merge
from lianxin.demands.services.followup import demand_follow_up
from lianxin.demands.services.handling import (
    demand_accept,
    demand_assign,
    demand_close_unresolvable,
    demand_create,
    demand_reject,
    demand_resolve,
    demand_step,
)
from lianxin.demands.services.hotline import HEADERS, hotline_import
from lianxin.demands.services.public import demand_submit_public
from lianxin.demo.context import ServiceContext
from lianxin.demo.demand_sources import SourceRecords, moment_before
from lianxin.demo.demand_texts import ANSWERS, DUPLICATE, NOT_OURS, STEPS, UNRESOLVABLE, UNSATISFIED
from lianxin.demo.demand_timeline import Steps, in_office_hours
from lianxin.organizations.models import Area, Organization

S = Demand.Status
Source = Demand.Source
Satisfaction = Demand.Satisfaction
Problem = tuple[str, str, str, str, str]  # category code, title, detail, what was done, public summary
RECORDED = (Source.VISIT, Source.RESEARCH, Source.FACE_TO_FACE)
AWAY = (S.NOT_OURS, S.DUPLICATE)


class Worded(TypedDict):
    """A demand as the resident put it: what the services are given besides who collects it."""

    category: str
    area: Area
    address: str
    title: str
    description: str
    submitter_name: str
    submitter_phone: str


@dataclass(eq=False)
class DemandPlan:
    """What will happen to one demand: where and when it is collected, and the state it ends in."""

    organization: Organization
    problem: Problem
    source: str
    created: datetime
    status: str
    title: str
    description: str
    address: str = ""
    name: str = ""
    phone: str = ""
    hotline_number: str = ""
    unit: Organization | None = None  # the responsible unit, when the story names it
    original: "DemandPlan | None" = None  # the demand a duplicate repeats
    resident: User | None = None  # the resident's own account, for their own submissions
    demand: Demand | None = field(default=None, repr=False)  # once collected


class Stories:
    def __init__(self, ctx: ServiceContext, sources: SourceRecords, handler_town: Organization) -> None:
        self.ctx, self.rng, self.sources = ctx, ctx.rng, sources
        self.admin, self.handler = ctx.accounts["admin"], ctx.accounts["handler"]
        self.handler_town = handler_town
        self.parents: dict[int, Organization] = {}
        self.collectors: dict[int, User] = {}

    # ------------------------------------------------------------------ who acts

    def parent(self, org: Organization) -> Organization:
        if org.pk not in self.parents:
            self.parents[org.pk] = Organization.objects.get_parent(org) or org
        return self.parents[org.pk]

    def collector(self, org: Organization) -> User:
        """The unit's secretary when they administer it, else the admins over it."""
        if org.pk not in self.collectors:
            secretary = self.ctx.secretary_user(org)
            if secretary is not None and not roster_scope(secretary).contains(org.path):
                secretary = None
            self.collectors[org.pk] = secretary or self.ctx.admin_over(org)
        return self.collectors[org.pk]

    def unit_handler(self, unit: Organization) -> User:
        return self.handler if unit.pk == self.handler_town.pk else self.ctx.admin_over(unit)

    # ------------------------------------------------------------------ the story

    def story(self, plan: DemandPlan) -> Steps:
        demand = yield from self.collect(plan)
        plan.demand = demand
        if plan.status == S.SUBMITTED:
            return
        collector = self.collector(demand.organization)
        hours = self.rng.randint(*((2, 6) if plan.status in AWAY else (1, 4)))
        yield in_office_hours(timezone.now() + timedelta(hours=hours))
        if plan.status in AWAY:
            self.turn_away(plan, demand, collector)
            return
        demand_accept(demand=demand, actor=collector)
        if plan.status == S.ACCEPTED:
            return
        yield in_office_hours(timezone.now() + timedelta(hours=self.rng.randint(1, 3)))
        unit = self.unit_for(plan, demand)
        demand_assign(demand=demand, actor=collector, unit=unit)
        handler = self.unit_handler(unit)
        if plan.status in Demand.RESOLVED_STATUSES and self.rng.random() < 0.06:
            # Resolved, the resident unsatisfied: sent back and handled again.
            yield from self.work(plan, demand, handler, S.RESOLVED)
            yield in_office_hours(timezone.now() + timedelta(days=1))
            demand_follow_up(demand=demand, actor=collector, result=Satisfaction.UNSATISFIED, comment=UNSATISFIED)
        yield from self.work(plan, demand, handler, plan.status)
        if plan.status in Demand.RESOLVED_STATUSES:
            yield from self.after_resolution(plan, demand, collector)

    def collect(self, plan: DemandPlan) -> Generator[datetime, None, Demand]:
        org = plan.organization
        if plan.source in RECORDED:
            yield moment_before(plan.created)
            record = self.sources.for_demand(plan.source, org, self.parent(org))
            yield plan.created
            fields = self.fields(plan)
            return demand_create(
                actor=self.collector(org), source=plan.source, organization=org, source_object=record, **fields
            )
        if plan.source == Source.HOTLINE:
            # The hotline transferred it at `created`; the organization imports the work order soon after.
            yield in_office_hours(plan.created + timedelta(minutes=self.rng.randint(20, 90)))
            return self.imported(plan)
        yield plan.created
        if plan.source == Source.PUBLIC:
            # The organization responsible for the area collects it.
            return demand_submit_public(actor=plan.resident or AnonymousUser(), ip_address=None, **self.fields(plan))
        return demand_create(actor=self.collector(org), source=plan.source, organization=org, **self.fields(plan))

    def fields(self, plan: DemandPlan) -> Worded:
        return Worded(
            category=plan.problem[0],
            area=plan.organization.area,
            address=plan.address,
            title=plan.title,
            description=plan.description,
            submitter_name=plan.name,
            submitter_phone=plan.phone,
        )

    def imported(self, plan: DemandPlan) -> Demand:
        """The 12345 work order, imported from a workbook like the hotline's export."""
        org = plan.organization
        cells = {
            "hotline_number": plan.hotline_number,
            "title": plan.title,
            "description": plan.description,
            "category": plan.problem[0],
            "area": org.area.code,
            "address": plan.address,
            "submitter_name": plan.name,
            "submitter_phone": plan.phone,
            "transferred_at": f"{timezone.localtime(plan.created):%Y-%m-%d %H:%M}",
        }
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(list(HEADERS.values()))
        sheet.append([cells[key] for key in HEADERS])
        workbook = BytesIO()
        book.save(workbook)
        workbook.seek(0)
        result = hotline_import(actor=self.collector(org), organization=org, source=workbook)
        if result.created != 1:
            raise RuntimeError(f"work order {plan.hotline_number} refused: {result.file_error or result.row_errors}")
        return Demand.objects.select_related("category", "organization", "area").get(pk=result.demand_ids[0])

    def turn_away(self, plan: DemandPlan, demand: Demand, collector: User) -> None:
        """Not this organization's to handle, or a repeat of a demand already being handled."""
        if plan.status == S.DUPLICATE:
            assert plan.original is not None and plan.original.demand is not None
            demand_merge(demand=demand, into=plan.original.demand, actor=collector, reason=DUPLICATE)
        else:
            demand_reject(demand=demand, actor=collector, kind=S.NOT_OURS, reason=NOT_OURS)

    def unit_for(self, plan: DemandPlan, demand: Demand) -> Organization:
        """The town above the collecting unit; in the handler's town mostly the town itself; now and
        then the unit itself."""
        roll = self.rng.random()
        org = demand.organization
        unit = self.handler_town if org.path.startswith(self.handler_town.path) and roll < 0.7 else self.parent(org)
        return plan.unit or (org if roll > 0.85 else unit)

    # ------------------------------------------------------------------ the unit's work

    def work(self, plan: DemandPlan, demand: Demand, handler: User, status: str) -> Steps:
        """Steps on the demand, then its end in `status` (none while it is still being handled)."""
        start = timezone.now()
        end: datetime | None = None
        if status == S.UNRESOLVABLE:
            end = start + timedelta(days=3)
        elif status in Demand.RESOLVED_STATUSES:
            end = self.resolution_moment(demand, start)
        if self.rng.random() < 0.5:
            step = start + timedelta(hours=20)
            yield in_office_hours(step if end is None else min(step, start + (end - start) / 2))
            demand_step(demand=demand, actor=handler, note=self.rng.choice(STEPS))
        if end is None:
            return
        yield in_office_hours(end)
        if status == S.UNRESOLVABLE:
            demand_close_unresolvable(demand=demand, actor=handler, explanation=UNRESOLVABLE)
        else:
            demand_resolve(demand=demand, actor=handler, resolution=plan.problem[3])

    def resolution_moment(self, demand: Demand, start: datetime) -> datetime:
        """By the deadline mostly; now and then a few days late."""
        deadline, days = demand.deadline, demand.category.deadline_days
        assert deadline is not None
        if self.rng.random() < 0.08:
            return self.ctx.at(deadline + timedelta(days=self.rng.randint(1, 4)), 15)
        at = start + timedelta(hours=self.rng.randint(3, 20 * days))
        return max(min(at, self.ctx.at(deadline, 17)), start + timedelta(minutes=30))

    def after_resolution(self, plan: DemandPlan, demand: Demand, collector: User) -> Steps:
        """A reviewed public summary for most; the follow-up that closes a closed one."""
        rng = self.rng
        resolved = timezone.now()
        if rng.random() < 0.7:
            yield in_office_hours(resolved + timedelta(hours=18))
            demand_summary_review(demand=demand, actor=self.admin, summary=plan.problem[4])
        if plan.status != S.CLOSED:
            return
        result = rng.choice([Satisfaction.SATISFIED] * 6 + [Satisfaction.BASIC])
        by_resident = demand.source == Source.PUBLIC and rng.random() < 0.5
        answered = resolved + timedelta(hours=rng.randint(20, 60))
        yield answered if by_resident else in_office_hours(answered)
        demand_follow_up(
            demand=demand,
            actor=None if by_resident else collector,
            result=result,
            comment=ANSWERS[result],
            lookup_code=demand.lookup_code if by_resident else "",
        )

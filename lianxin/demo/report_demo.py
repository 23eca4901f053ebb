"""Members of organs, schools, hospitals and state enterprises report to the community they live
in (在职党员进社区报到, seed 000): each report is made, approved or rejected, and ended by the
community reporting service on its own day, with the clock set back to that day.

A member reports from their own account. Members who have none open one (through the accounts
service, username `sq` + roster number) a few days before they report; organization secretaries
without an account do not report, so the accounts that act for organizations stay the same.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign, user_create
from lianxin.community.models import CommunityReport
from lianxin.community.services.reports import report_create, report_decide, report_end
from lianxin.demo.context import BATCH, ServiceContext
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

Report = CommunityReport.Status
Sector = Organization.Sector
IN_SERVICE_SECTORS = (
    Sector.ORGAN,
    Sector.PUBLIC_INSTITUTION,
    Sector.SCHOOL,
    Sector.HOSPITAL,
    Sector.STATE_ENTERPRISE,
)
NOTES = ("", "", "擅长政策宣讲", "周末有空", "会开车，可帮忙接送")
REJECTIONS = ("经核实，该党员居住地不在本社区", "请先结束在原社区的报到")
MOVED = "搬家，改到新居住地社区报到"
ACCOUNT_PREFIX = "sq"  # 社区报到: accounts opened to report, apart from the volunteers' `zs` accounts


@dataclass
class ReportPlan:
    """A report the story gives a member: where, its final state and the day it was made."""

    member: Member
    community: Organization
    final: str
    reported: date


class Reports:
    def __init__(self, ctx: ServiceContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng  # the community part's own stream: its draws shift no other part's story
        self.approved: list[tuple[CommunityReport, datetime]] = []  # with the moment each was approved

    def build(self) -> None:
        plans = self.plans()
        self.accounts(plans)
        for plan in plans:
            self.report(plan)

    def plans(self) -> list[ReportPlan]:
        """In-service Party members, a share of them, report to the community of their residence."""
        ctx, rng = self.ctx, self.rng
        secretaries = {n.obj.secretary_id for n in ctx.nodes if n.obj.secretary_id is not None}
        plans: list[ReportPlan] = []
        for node in ctx.nodes:
            if node.obj.sector not in IN_SERVICE_SECTORS:
                continue
            for member in node.members:
                community = ctx.unit_org.get(member.community_id or 0)
                if community is None or member.category not in Member.PARTY_MEMBER_CATEGORIES:
                    continue
                if member.is_abroad or member.is_lost_contact or member.user_id == ctx.accounts["member"].pk:
                    continue
                if rng.random() >= ctx.scale.report_share:
                    continue
                if member.user_id is None and member.pk in secretaries:
                    continue
                final = rng.choices(list(Report), weights=(10, 80, 4, 6))[0]
                reported = self.days_ago(1, 20) if final == Report.PENDING else self.days_ago(60, 700)
                plans.append(ReportPlan(member, community, final, reported))
        return plans

    def days_ago(self, low: int, high: int) -> date:
        return self.ctx.today - timedelta(days=self.rng.randint(low, high))

    def accounts(self, plans: list[ReportPlan]) -> None:
        """An account for each reporting member who has none, opened before their report."""
        ctx, rng = self.ctx, self.rng
        opened: list[Member] = []
        for plan in plans:
            member = plan.member
            if member.user_id is not None:
                continue
            with ctx.happen(ctx.at(plan.reported - timedelta(days=rng.randint(1, 10)), 20, rng.randint(0, 59))):
                user = user_create(
                    username=f"{ACCOUNT_PREFIX}{member.pk:06d}",
                    password=None,
                    display_name=member.name,
                    mobile=member.mobile,
                )
                role_assign(user=user, role=RoleAssignment.Role.MEMBER)
            member.user = user
            ctx.user_of[member.pk] = user
            opened.append(member)
        Member.objects.bulk_update(opened, ["user"], batch_size=BATCH)

    def decider(self, community: Organization) -> User:
        """The community's secretary, or the admins over it when the secretary has no account."""
        return self.ctx.secretary_user(community) or self.ctx.admin_over(community)

    def report(self, plan: ReportPlan) -> CommunityReport:
        ctx, rng = self.ctx, self.rng
        user = plan.member.user
        assert user is not None
        with ctx.happen(ctx.at(plan.reported, 9, rng.randint(0, 59))):
            report = report_create(actor=user, community=plan.community, note=rng.choice(NOTES))
        if plan.final == Report.PENDING:
            return report
        decided = ctx.at(plan.reported + timedelta(days=rng.randint(1, 5)), 15, rng.randint(0, 59))
        approve = plan.final != Report.REJECTED
        with ctx.happen(decided):
            report_decide(
                report=report,
                actor=self.decider(plan.community),
                approve=approve,
                reason="" if approve else rng.choice(REJECTIONS),
            )
        if plan.final == Report.ENDED:
            with ctx.happen(ctx.at(decided.date() + timedelta(days=rng.randint(30, 50)), 11)):
                report_end(report=report, actor=user, note=MOVED)
        elif plan.final == Report.APPROVED:
            self.approved.append((report, decided))
        return report

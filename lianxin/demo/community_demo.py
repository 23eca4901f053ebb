"""Community reporting (在职党员进社区报到) and micro-wishes (微心愿, 暖心一件事) in the demo city.

Members of organs, schools, hospitals and state enterprises report to the community they
live in (seed 000); the community publishes posts, members claim them and record their
service this quarter and last. Wishes (wish_demo.py) pass through every state, some posted by `resident`.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from lianxin.accounts.models import User
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.demo.services import BATCH, ServiceContext, stamp
from lianxin.demo.wish_demo import Wishes
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

Report = CommunityReport.Status
PostCategory = ServicePost.Category
Sector = Organization.Sector
IN_SERVICE_SECTORS = (
    Sector.ORGAN,
    Sector.PUBLIC_INSTITUTION,
    Sector.SCHOOL,
    Sector.HOSPITAL,
    Sector.STATE_ENTERPRISE,
)
POSTS: tuple[tuple[str, str], ...] = (
    ("楼道文明劝导员", PostCategory.CIVILITY),
    ("垃圾分类督导员", PostCategory.ENVIRONMENT),
    ("平安巡逻队员", PostCategory.SAFETY),
    ("独居老人结对关爱", PostCategory.CARE),
    ("政策宣讲员", PostCategory.POLICY),
    ("“四点半课堂”辅导", PostCategory.CARE),
    ("法律咨询志愿者", PostCategory.SKILLS),
    ("小区议事协商代表", PostCategory.GOVERNANCE),
    ("防台防汛网格员", PostCategory.SAFETY),
)
DEEDS: dict[str, str] = {
    PostCategory.CIVILITY: "劝导楼道堆物，张贴文明提示",
    PostCategory.ENVIRONMENT: "在投放点督导垃圾分类，入户宣传",
    PostCategory.SAFETY: "夜间巡逻，检查消防通道",
    PostCategory.CARE: "上门看望结对老人，陪伴聊天",
    PostCategory.POLICY: "在党群服务站讲解医保和养老政策",
    PostCategory.SKILLS: "解答居民法律问题",
    PostCategory.GOVERNANCE: "参加小区停车难议事协商会",
}
REJECTIONS = ("经核实，该党员居住地不在本社区", "请先结束在原社区的报到")


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


class Community:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.now = ctx.now

    def _decider(self, community: Organization) -> User | None:
        return self.ctx.secretary_user(community)

    # ------------------------------------------------------------------ reports

    def reports(self) -> None:
        ctx, rng = self.ctx, self.rng
        reports: list[CommunityReport] = []
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
                status = rng.choices(list(Report), weights=(10, 80, 4, 6))[0]
                reported = ctx.days_ago(1, 20) if status == Report.PENDING else ctx.days_ago(60, 700)
                report = CommunityReport(
                    member=member,
                    community=community,
                    status=status,
                    home_organization=node.obj,
                    reported_on=reported,
                    note=rng.choice(("", "", "擅长政策宣讲", "周末有空", "会开车，可帮忙接送")),
                )
                if status != Report.PENDING:
                    report.decided_at = ctx.at(reported + timedelta(days=rng.randint(1, 5)), 15)
                    report.decided_by = self._decider(community)
                if status == Report.REJECTED:
                    report.reject_reason = rng.choice(REJECTIONS)
                if status == Report.ENDED:
                    assert report.decided_at is not None
                    report.ended_on = report.decided_at.date() + timedelta(days=rng.randint(30, 50))
                reports.append(report)
        CommunityReport.objects.bulk_create(reports, batch_size=BATCH)
        self.report_events(reports)
        self.approved = [r for r in reports if r.status == Report.APPROVED]

    def report_events(self, reports: list[CommunityReport]) -> None:
        ctx = self.ctx
        for report in reports:
            member_user = report.member.user
            ctx.record(
                report,
                verb="reported",
                at=ctx.at(report.reported_on, 9),
                actor=member_user,
                to_state=Report.PENDING,
                note=report.note,
            )
            if report.decided_at is not None:
                decided = Report.REJECTED if report.status == Report.REJECTED else Report.APPROVED
                ctx.record(
                    report,
                    verb=decided,
                    at=report.decided_at,
                    actor=report.decided_by,
                    from_state=Report.PENDING,
                    to_state=decided,
                    note=report.reject_reason,
                )
            if report.ended_on is not None:
                ctx.record(
                    report,
                    verb=Report.ENDED,
                    at=ctx.at(report.ended_on, 11),
                    actor=member_user,
                    from_state=Report.APPROVED,
                    to_state=Report.ENDED,
                    note="搬家，改到新居住地社区报到",
                )

    # ------------------------------------------------------------------ posts, claims, records

    def service(self) -> None:
        ctx, rng = self.ctx, self.rng
        by_community: dict[int, list[CommunityReport]] = defaultdict(list)
        for report in self.approved:
            by_community[report.community_id].append(report)
        posts: dict[int, list[ServicePost]] = {}
        created: dict[int, datetime] = {}
        for community_id, reports in by_community.items():
            chosen = rng.sample(POSTS, rng.randint(3, 5))
            posts[community_id] = [
                ServicePost(
                    community=reports[0].community,
                    title=title,
                    category=category,
                    description=f"{DEEDS.get(category, title)}，每月至少参加一次。",
                    capacity=rng.randint(2, 8),
                    is_open=rng.random() > 0.08,
                )
                for title, category in chosen
            ]
            for post in posts[community_id]:
                created[id(post)] = ctx.at(ctx.days_ago(720, 800), 9)
        every_post = [p for ps in posts.values() for p in ps]
        ServicePost.objects.bulk_create(every_post, batch_size=BATCH)
        stamp(every_post, created)
        taken: dict[int, int] = defaultdict(int)
        claims: list[PostClaim] = []
        claimed_at: dict[int, datetime] = {}
        for report in self.approved:
            assert report.decided_at is not None
            open_posts = [p for p in posts[report.community_id] if p.is_open and taken[id(p)] < p.capacity]
            for post in rng.sample(open_posts, min(len(open_posts), rng.choice((1, 1, 2)))):
                claim = PostClaim(post=post, member=report.member)
                claimed_at[id(claim)] = min(
                    report.decided_at + timedelta(days=rng.randint(1, 20)), self.now - timedelta(days=1)
                )
                if rng.random() < 0.08:
                    claim.withdrawn_at = min(claimed_at[id(claim)] + timedelta(days=30), self.now)
                else:
                    taken[id(post)] += 1
                claims.append(claim)
        PostClaim.objects.bulk_create(claims, batch_size=BATCH)
        stamp(claims, claimed_at, "claimed_at")
        records = self._records([c for c in claims if c.withdrawn_at is None])
        if ctx.scale.detailed_events:
            for claim in claims:
                actor = claim.member.user
                ctx.record(claim, verb="claimed", at=claim.claimed_at, actor=actor, data={"post": claim.post.pk})
                if claim.withdrawn_at:
                    ctx.record(claim, verb="withdrawn", at=claim.withdrawn_at, actor=actor, note="工作调整，时间冲突")
            for record in records:
                ctx.record(
                    record,
                    verb="recorded",
                    at=record.created_at,
                    actor=record.member.user,
                    data={"hours": str(record.hours)},
                )

    def _records(self, claims: list[PostClaim]) -> list[ServiceRecord]:
        """Service this quarter and last: what the quarterly feedback to home organizations reads."""
        ctx, rng = self.ctx, self.rng
        this_quarter = _quarter_start(ctx.today)
        last_quarter = _quarter_start(this_quarter - timedelta(days=1))
        records: list[ServiceRecord] = []
        recorded: dict[int, datetime] = {}
        for claim in claims:
            since = claim.claimed_at.date() + timedelta(days=1)
            for start, end, most in (
                (last_quarter, this_quarter - timedelta(days=1), 3),
                (this_quarter, ctx.today - timedelta(days=1), 3),
            ):
                low = max(start, since)
                if low > end:
                    continue
                for _n in range(rng.randint(1, most)):
                    served = low + timedelta(days=rng.randint(0, (end - low).days))
                    record = ServiceRecord(
                        member=claim.member,
                        community=claim.post.community,
                        claim=claim,
                        served_on=served,
                        hours=Decimal(rng.choice(("1", "1.5", "2", "2.5", "3", "4"))),
                        description=DEEDS.get(claim.post.category, claim.post.title),
                    )
                    recorded[id(record)] = ctx.at(served, 20)
                    records.append(record)
        ServiceRecord.objects.bulk_create(records, batch_size=BATCH)
        stamp(records, recorded)
        return records


def build(ctx: ServiceContext) -> None:
    community = Community(ctx)
    community.reports()
    community.service()
    Wishes(ctx).build()

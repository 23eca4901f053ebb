"""Community reporting (在职党员进社区报到) and micro-wishes (微心愿, 暖心一件事) in the demo city.

Members of organs, schools, hospitals and state enterprises report to the community they
live in (seed 000, report_demo.py); the community publishes posts, members claim them and
record their service this quarter and last. Every step is done by the community service on
its own day, with the clock set back. Wishes (wish_demo.py) pass through every state, some
posted by `resident`.
"""

import random
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from lianxin.accounts.models import User
from lianxin.community.models import CommunityReport, PostClaim, ServicePost
from lianxin.community.services.reports import claim_withdraw, post_claim, post_close, post_create, record_create
from lianxin.core.periods import Period
from lianxin.demo.context import ServiceContext
from lianxin.demo.report_demo import Reports
from lianxin.demo.wish_demo import Wishes
from lianxin.organizations.models import Organization

PostCategory = ServicePost.Category
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
HOURS = ("1", "1.5", "2", "2.5", "3", "4")
CLOSING = "岗位人员已满足，暂停认领"
WITHDRAWING = "工作调整，时间冲突"


class Community:
    def __init__(self, ctx: ServiceContext, reports: Reports) -> None:
        self.ctx = ctx
        self.rng = reports.rng
        self.now = ctx.now
        self.reports = reports

    def build(self) -> None:
        ctx, rng = self.ctx, self.rng
        by_community: dict[int, list[tuple[CommunityReport, datetime]]] = defaultdict(list)
        for report, decided in self.reports.approved:
            by_community[report.community_id].append((report, decided))
        posts = {pk: self.posts(approved[0][0].community) for pk, approved in by_community.items()}
        taken: dict[int, int] = defaultdict(int)
        for report, decided in self.reports.approved:
            open_posts = [p for p in posts[report.community_id] if p.is_open and taken[p.pk] < p.capacity]
            for post in rng.sample(open_posts, min(len(open_posts), rng.choice((1, 1, 2)))):
                claimed = min(decided + timedelta(days=rng.randint(1, 20)), self.now - timedelta(days=1))
                user = report.member.user
                assert user is not None
                with ctx.happen(claimed):
                    claim = post_claim(post=post, actor=user)
                if rng.random() < 0.08:
                    with ctx.happen(min(claimed + timedelta(days=30), self.now)):
                        claim_withdraw(claim=claim, actor=user, note=WITHDRAWING)
                else:
                    taken[post.pk] += 1
                    self.records(claim, user)

    def posts(self, community: Organization) -> list[ServicePost]:
        """The community publishes three to five posts long before anyone claims them; a few
        are closed within days (no claims)."""
        ctx, rng = self.ctx, self.rng
        publisher = self.reports.decider(community)
        posts: list[ServicePost] = []
        for title, category in rng.sample(POSTS, rng.randint(3, 5)):
            created = self.reports.days_ago(720, 800)
            with ctx.happen(ctx.at(created, 9, rng.randint(0, 59))):
                post = post_create(
                    actor=publisher,
                    community=community,
                    title=title,
                    category=category,
                    capacity=rng.randint(2, 8),
                    description=f"{DEEDS.get(category, title)}，每月至少参加一次。",
                )
            if rng.random() <= 0.08:
                with ctx.happen(ctx.at(created + timedelta(days=rng.randint(1, 10)), 16)):
                    post_close(post=post, actor=publisher, note=CLOSING)
            posts.append(post)
        return posts

    def records(self, claim: PostClaim, user: User) -> None:
        """Service this quarter and last: what the quarterly feedback to home organizations reads."""
        ctx, rng = self.ctx, self.rng
        this_quarter = Period.quarter_of(ctx.today)
        last_quarter = this_quarter.previous_quarter()
        since = claim.claimed_at.date() + timedelta(days=1)
        for start, end in ((last_quarter.start, last_quarter.end), (this_quarter.start, ctx.today - timedelta(days=1))):
            low = max(start, since)
            if low > end:
                continue
            for _n in range(rng.randint(1, 3)):
                served = low + timedelta(days=rng.randint(0, (end - low).days))
                with ctx.happen(ctx.at(served, 20)):
                    record_create(
                        actor=user,
                        community=claim.post.community,
                        claim=claim,
                        served_on=served,
                        hours=Decimal(rng.choice(HOURS)),
                        description=DEEDS.get(claim.post.category, claim.post.title),
                    )


def build(ctx: ServiceContext) -> None:
    reports = Reports(ctx, random.Random(ctx.rng.getrandbits(64)))
    reports.build()
    Community(ctx, reports).build()
    Wishes(ctx).build()

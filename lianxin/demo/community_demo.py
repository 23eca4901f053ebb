"""Community reporting (在职党员进社区报到) and micro-wishes (微心愿, 暖心一件事) in the demo city.

Members of organs, schools, hospitals and state enterprises report to the community they
live in (seed 000); the community publishes posts, members claim them and record their
service this quarter and last. Wishes pass through every state, some posted by `resident`.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from lianxin.accounts.models import User
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.demo.services import BATCH, ServiceContext, stamp
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.wishes.models import Wish, WishClaim

Report = CommunityReport.Status
PostCategory = ServicePost.Category
WishStatus = Wish.Status
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
# (title, category, amount in yuan or None, what it is)
WISHES: tuple[tuple[str, str, int | None, str], ...] = (
    ("为独居老人添一床冬被", Wish.Category.DAILY_NEEDS, 200, "老人独居，冬天被子太薄"),
    ("一台取暖器", Wish.Category.DAILY_NEEDS, 150, "家中没有取暖设备"),
    ("一辆助行推车", Wish.Category.DAILY_NEEDS, 260, "腿脚不便，买菜需要助行车"),
    ("孩子想要一盏护眼台灯", Wish.Category.STUDY, 120, "孩子读初一，晚上做作业光线暗"),
    ("一个新书包和文具", Wish.Category.STUDY, 100, "新学期开学用"),
    ("一套初中数学辅导书", Wish.Category.STUDY, 90, "想提高数学成绩"),
    ("一台电子血压计", Wish.Category.MEDICAL, 160, "高血压，需要每天测量"),
    ("一副老花镜", Wish.Category.MEDICAL, 60, "看不清药盒上的字"),
    ("一台助听器", Wish.Category.MEDICAL, 480, "听力下降，和家人说话困难"),
    ("陪同去舟山医院复诊", Wish.Category.MEDICAL, None, "子女在外地，需要有人陪同"),
    ("每周有人陪聊天读报", Wish.Category.COMPANY, None, "老人独居，希望有人说说话"),
    ("想学用智能手机视频通话", Wish.Category.COMPANY, None, "想和在外打工的儿子视频"),
    ("修理漏水的屋顶", Wish.Category.OTHER, 300, "下雨天屋顶漏水"),
    ("更换楼道照明灯", Wish.Category.OTHER, 80, "楼道灯坏了，晚上上下楼不安全"),
)
WARM_TASKS: tuple[tuple[str, str, str], ...] = (
    ("为海岛老人集中理发", Wish.Category.DAILY_NEEDS, "每月一次，上岛为高龄老人理发"),
    ("台风前帮高龄老人加固门窗", Wish.Category.OTHER, "台风季前逐户检查门窗"),
    ("独居老人家中用电安全检查", Wish.Category.OTHER, "检查老旧电线和插座"),
    ("困难家庭子女暑期陪伴辅导", Wish.Category.STUDY, "暑期每周两次作业辅导"),
    ("给快递小哥、外卖骑手送清凉", Wish.Category.DAILY_NEEDS, "在驿站发放清凉礼包"),
)


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
        self.approved = [r for r in reports if r.status == Report.APPROVED]

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

    # ------------------------------------------------------------------ wishes

    def wishes(self) -> None:
        ctx, rng = self.ctx, self.rng
        self.wish_rows: list[Wish] = []
        self.claims: list[WishClaim] = []
        self.wish_created: dict[int, datetime] = {}
        self.claim_at: dict[int, datetime] = {}
        resident, member = ctx.accounts["resident"], ctx.accounts["member"]
        home = ctx.planner.named["怡岛社区"].obj
        for status, claimer in (
            (WishStatus.SUBMITTED, None),
            (WishStatus.PUBLISHED, None),
            (WishStatus.CLAIMED, member),
            (WishStatus.FULFILLED, None),
            (WishStatus.CONFIRMED, member),
            (WishStatus.REJECTED, None),
        ):
            self._wish(home, resident, status, claimer=claimer)
        # Communities whose secretary has an account post and review the rest.
        units = [n for n in ctx.unit_nodes() if ctx.secretary_user(n.obj) is not None]
        weights = {
            WishStatus.SUBMITTED: 12,
            WishStatus.PUBLISHED: 25,
            WishStatus.REJECTED: 5,
            WishStatus.CLAIMED: 15,
            WishStatus.FULFILLED: 13,
            WishStatus.CONFIRMED: 30,
        }
        for _n in range(ctx.scale.wishes - 6):
            org = rng.choice(units).obj
            status = rng.choices(list(weights), weights=list(weights.values()))[0]
            self._wish(org, ctx.secretary_user(org) or ctx.admin_over(org), status)
        tasks = [WishStatus.SUBMITTED, WishStatus.PUBLISHED, WishStatus.CLAIMED, WishStatus.FULFILLED]
        tasks += [WishStatus.CONFIRMED, WishStatus.PUBLISHED]
        for n in range(ctx.scale.warm_tasks):
            org = home if n == 1 else rng.choice(units).obj
            self._wish(org, ctx.secretary_user(org) or ctx.admin_over(org), tasks[n % len(tasks)], warm=True)
        WishClaim.objects.bulk_create(self.claims, batch_size=BATCH)
        stamp(self.claims, self.claim_at, "claimed_at")
        stamp(self.wish_rows, self.wish_created)

    def _claimers(self, poster: User, count: int, first: User | None) -> list[User]:
        pool = [u for u, _m in self.ctx.volunteers]
        people = [first] if first is not None else []
        while len(people) < count:
            user = self.rng.choice(pool)
            if user != poster and user not in people:
                people.append(user)
        return people

    def _wish(
        self, org: Organization, poster: User, status: str, *, claimer: User | None = None, warm: bool = False
    ) -> None:
        ctx, rng = self.ctx, self.rng
        back = {
            WishStatus.SUBMITTED: (1, 6),
            WishStatus.PUBLISHED: (6, 60),
            WishStatus.REJECTED: (10, 200),
            WishStatus.CLAIMED: (8, 40),
            WishStatus.FULFILLED: (14, 60),
            WishStatus.CONFIRMED: (20, 300),
        }[WishStatus(status)]
        created = ctx.at(ctx.days_ago(*back), 9, rng.randint(0, 59))
        if warm:
            title, category, description = rng.choice(WARM_TASKS)
            amount, capacity = None, rng.randint(3, 8)
            beneficiary = f"{org.area.name}高龄老人" if "老人" in title else f"{org.area.name}居民"
        else:
            title, category, yuan, description = rng.choice(WISHES)
            amount, capacity = (Decimal(yuan) if yuan else None), 1
            beneficiary = ctx.person_name()
        wish = Wish(
            kind=Wish.Kind.WARM_TASK if warm else Wish.Kind.WISH,
            title=title,
            description=description,
            category=category,
            beneficiary_name=beneficiary,
            beneficiary_phone="" if warm or rng.random() < 0.3 else ctx.mobile(),
            amount=amount,
            organization=org,
            posted_by=poster,
            status=status,
            capacity=capacity,
        )
        reviewer = ctx.secretary_user(org) or ctx.admin_over(org)
        published = created + timedelta(days=1, hours=6)
        if status not in (WishStatus.SUBMITTED, WishStatus.REJECTED):
            wish.published_at = published
        if status == WishStatus.REJECTED:
            wish.reject_reason = "与已有心愿重复，已合并" if not warm else "请改由社区统一组织"
        wish.save()
        self.wish_rows.append(wish)
        self.wish_created[id(wish)] = created
        record = ctx.record
        record(wish, verb="posted", at=created, actor=poster, to_state=WishStatus.SUBMITTED)
        if status == WishStatus.SUBMITTED:
            return
        if status == WishStatus.REJECTED:
            record(
                wish,
                verb="rejected",
                at=published,
                actor=reviewer,
                from_state=WishStatus.SUBMITTED,
                to_state=status,
                note=wish.reject_reason,
            )
            return
        record(
            wish,
            verb="reviewed",
            at=published,
            actor=reviewer,
            from_state=WishStatus.SUBMITTED,
            to_state=WishStatus.PUBLISHED,
        )
        moment = published + timedelta(days=1)
        if warm:
            joining = capacity if status != WishStatus.PUBLISHED else rng.randint(1, capacity - 1)
            people = self._claimers(poster, joining, claimer)
            for n, person in enumerate(people, start=1):
                moment += timedelta(hours=rng.randint(1, 8))
                self._claim(wish, person, moment)
                full = n == capacity
                record(
                    wish,
                    verb="joined",
                    at=moment,
                    actor=person,
                    data={"participants": n, "capacity": capacity},
                    from_state=WishStatus.PUBLISHED if full else "",
                    to_state=WishStatus.CLAIMED if full else "",
                )
            wish.claimed_count = joining
        elif status != WishStatus.PUBLISHED or rng.random() < 0.1:
            people = self._claimers(poster, 2, claimer)
            if rng.random() < 0.12 or status == WishStatus.PUBLISHED:
                # Someone claimed first and stepped back; the wish went back to the wall.
                self._claim(wish, people[1], moment, withdrawn=moment + timedelta(hours=20))
                record(
                    wish,
                    verb="claimed",
                    at=moment,
                    actor=people[1],
                    from_state=WishStatus.PUBLISHED,
                    to_state=WishStatus.CLAIMED,
                )
                record(
                    wish,
                    verb="withdrawn",
                    at=moment + timedelta(hours=20),
                    actor=people[1],
                    note="临时出差",
                    from_state=WishStatus.CLAIMED,
                    to_state=WishStatus.PUBLISHED,
                )
                moment += timedelta(days=1)
            if status != WishStatus.PUBLISHED:
                self._claim(wish, people[0], moment)
                record(
                    wish,
                    verb="claimed",
                    at=moment,
                    actor=people[0],
                    from_state=WishStatus.PUBLISHED,
                    to_state=WishStatus.CLAIMED,
                )
                wish.claimed_count = 1
        wish.fulfilled_at = moment + timedelta(days=rng.randint(2, 5))
        wish.confirmed_at = wish.fulfilled_at + timedelta(days=rng.randint(1, 4))
        fulfiller = next((c.claimer for c in reversed(self.claims) if c.wish is wish and not c.withdrawn_at), None)
        if status in Wish.FULFILLED_STATUSES:
            record(
                wish,
                verb="fulfilled",
                at=wish.fulfilled_at,
                actor=fulfiller,
                from_state=WishStatus.CLAIMED,
                to_state=WishStatus.FULFILLED,
                note="已送到受助人家中",
            )
        else:
            wish.fulfilled_at = None
        if status == WishStatus.CONFIRMED:
            record(
                wish,
                verb="confirmed",
                at=wish.confirmed_at,
                actor=reviewer,
                from_state=WishStatus.FULFILLED,
                to_state=status,
                note="已电话回访受助人",
            )
        else:
            wish.confirmed_at = None
        wish.save(update_fields=["claimed_count", "fulfilled_at", "confirmed_at"])

    def _claim(self, wish: Wish, claimer: User, at: datetime, *, withdrawn: datetime | None = None) -> None:
        claim = WishClaim(wish=wish, claimer=claimer, withdrawn_at=withdrawn)
        self.claims.append(claim)
        self.claim_at[id(claim)] = at


def build(ctx: ServiceContext) -> None:
    community = Community(ctx)
    community.reports()
    community.service()
    community.wishes()

"""Micro-wishes (微心愿) and warm-heart tasks (暖心一件事) of the demo city, in every state, some
posted by `resident`. Every step is done by the wishes service with the clock set back to its day."""

from datetime import datetime, timedelta
from decimal import Decimal

from lianxin.accounts.models import User
from lianxin.demo.context import ServiceContext
from lianxin.organizations.models import Organization
from lianxin.wishes.models import Wish
from lianxin.wishes.services import wish_claim, wish_confirm, wish_fulfil, wish_post, wish_review, wish_withdraw

WishStatus = Wish.Status
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
# How many days ago a wish in each final state was posted.
POSTED_AGO: dict[str, tuple[int, int]] = {
    WishStatus.SUBMITTED: (1, 6),
    WishStatus.PUBLISHED: (6, 60),
    WishStatus.REJECTED: (10, 200),
    WishStatus.CLAIMED: (8, 40),
    WishStatus.FULFILLED: (14, 60),
    WishStatus.CONFIRMED: (20, 300),
}
WEIGHTS = {
    WishStatus.SUBMITTED: 12,
    WishStatus.PUBLISHED: 25,
    WishStatus.REJECTED: 5,
    WishStatus.CLAIMED: 15,
    WishStatus.FULFILLED: 13,
    WishStatus.CONFIRMED: 30,
}
TASK_STATES = (
    WishStatus.SUBMITTED,
    WishStatus.PUBLISHED,
    WishStatus.CLAIMED,
    WishStatus.FULFILLED,
    WishStatus.CONFIRMED,
    WishStatus.PUBLISHED,
)


class Wishes:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng

    def build(self) -> None:
        ctx, rng = self.ctx, self.rng
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
            self.wish(home, resident, status, claimer=claimer)
        # Communities whose secretary has an account post and review the rest.
        units = [n for n in ctx.unit_nodes() if ctx.secretary_user(n.obj) is not None]
        for _n in range(ctx.scale.wishes - 6):
            org = rng.choice(units).obj
            status = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            self.wish(org, ctx.secretary_user(org) or ctx.admin_over(org), status)
        for n in range(ctx.scale.warm_tasks):
            org = home if n == 1 else rng.choice(units).obj
            poster = ctx.secretary_user(org) or ctx.admin_over(org)
            self.wish(org, poster, TASK_STATES[n % len(TASK_STATES)], warm=True)

    def claimers(self, poster: User, count: int, first: User | None) -> list[User]:
        pool = [u for u, _m in self.ctx.volunteers]
        people = [first] if first is not None else []
        while len(people) < count:
            user = self.rng.choice(pool)
            if user != poster and user not in people:
                people.append(user)
        return people

    def post(self, org: Organization, poster: User, created: datetime, *, warm: bool) -> Wish:
        ctx, rng = self.ctx, self.rng
        if warm:
            title, category, description = rng.choice(WARM_TASKS)
            amount, capacity = None, rng.randint(3, 8)
            beneficiary = f"{org.area.name}高龄老人" if "老人" in title else f"{org.area.name}居民"
        else:
            title, category, yuan, description = rng.choice(WISHES)
            amount, capacity = (Decimal(yuan) if yuan else None), 1
            beneficiary = ctx.person_name()
        phone = "" if warm or rng.random() < 0.3 else ctx.mobile()
        with ctx.happen(created):
            return wish_post(
                actor=poster,
                organization=org,
                title=title,
                category=category,
                beneficiary_name=beneficiary,
                description=description,
                beneficiary_phone=phone,
                amount=amount,
                kind=Wish.Kind.WARM_TASK if warm else Wish.Kind.WISH,
                capacity=capacity,
            )

    def wish(
        self, org: Organization, poster: User, status: str, *, claimer: User | None = None, warm: bool = False
    ) -> None:
        ctx, rng = self.ctx, self.rng
        created = ctx.at(ctx.days_ago(*POSTED_AGO[WishStatus(status)]), 9, rng.randint(0, 59))
        wish = self.post(org, poster, created, warm=warm)
        if status == WishStatus.SUBMITTED:
            return
        reviewer = ctx.secretary_user(org) or ctx.admin_over(org)
        published = created + timedelta(days=1, hours=6)
        with ctx.happen(published):
            if status == WishStatus.REJECTED:
                reason = "与已有心愿重复，已合并" if not warm else "请改由社区统一组织"
                wish_review(wish=wish, actor=reviewer, approve=False, reason=reason)
                return
            wish_review(wish=wish, actor=reviewer, approve=True)
        moment = published + timedelta(days=1)
        if warm:
            moment, fulfiller = self.join(wish, poster, status, claimer, moment)
        else:
            moment, fulfiller = self.claim(wish, poster, status, claimer, moment)
        fulfilled_at = moment + timedelta(days=rng.randint(2, 5))
        confirmed_at = fulfilled_at + timedelta(days=rng.randint(1, 4))
        if status in Wish.FULFILLED_STATUSES:
            assert fulfiller is not None
            with ctx.happen(fulfilled_at):
                wish_fulfil(wish=wish, actor=fulfiller, note="已送到受助人家中")
        if status == WishStatus.CONFIRMED:
            with ctx.happen(confirmed_at):
                wish_confirm(wish=wish, actor=reviewer, note="已电话回访受助人")

    def join(
        self, wish: Wish, poster: User, status: str, claimer: User | None, moment: datetime
    ) -> tuple[datetime, User | None]:
        """Participants take the places of a warm-heart task; a task still published has some left."""
        capacity = wish.capacity
        joining = capacity if status != WishStatus.PUBLISHED else self.rng.randint(1, capacity - 1)
        people = self.claimers(poster, joining, claimer)
        for person in people:
            moment += timedelta(hours=self.rng.randint(1, 8))
            with self.ctx.happen(moment):
                wish_claim(wish=wish, actor=person)
        return moment, people[-1] if people else None

    def claim(
        self, wish: Wish, poster: User, status: str, claimer: User | None, moment: datetime
    ) -> tuple[datetime, User | None]:
        """A wish is claimed by one member; now and then someone claimed first and stepped back."""
        ctx, rng = self.ctx, self.rng
        if status == WishStatus.PUBLISHED and rng.random() >= 0.1:
            return moment, None
        people = self.claimers(poster, 2, claimer)
        if rng.random() < 0.12 or status == WishStatus.PUBLISHED:
            with ctx.happen(moment):
                wish_claim(wish=wish, actor=people[1])
            with ctx.happen(moment + timedelta(hours=20)):
                wish_withdraw(wish=wish, actor=people[1], note="临时出差")
            moment += timedelta(days=1)
        if status == WishStatus.PUBLISHED:
            return moment, None
        with ctx.happen(moment):
            wish_claim(wish=wish, actor=people[0])
        return moment, people[0]

"""Organizational life in the demo city: each branch's activities over the last year, with
attendance, and a city-wide collective political birthday held by many organizations at once.

The mix follows the national defaults (docs/domain-rules.md §4): a branch congress and a Party
lecture each quarter, a theme Party day on the 28th of each month, a committee meeting each
month where the branch has a committee (7 or more full members, or a general branch), a Party
group meeting each month where it has Party groups, an organizational life meeting and a
democratic appraisal in December. Some branches miss a quarter's congress, a few activities are cancelled, and the
ones after the present are still planned. Every held activity has its host, recorder and
minutes; its roll lists the branch's Party members, most present (checked in), some excused
or absent with a reason. Rows are written in bulk with the timeline the services would write.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from lianxin.activities.models import Activity, Attendance, JointEvent, Kind
from lianxin.activities.rules.frequency import COMMITTEE_MIN_FULL_MEMBERS
from lianxin.demo.context import BATCH, ServiceContext, stamp
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

Status = Activity.Status
Present = Attendance.Status


@dataclass(frozen=True)
class ActivityScale:
    months: int
    branch_share: float  # branches whose organizational life is in the demo
    missed_congress: float  # chance a branch skips a quarter's congress


ACTIVITY_SCALES = {
    "small": ActivityScale(months=12, branch_share=1.0, missed_congress=0.12),
    "city": ActivityScale(months=12, branch_share=0.05, missed_congress=0.08),
}

TOPICS = [
    "学习贯彻党的二十大精神",
    "学习习近平新时代中国特色社会主义思想",
    "党章党规党纪学习",
    "传承红色基因 争做海岛先锋",
    "党员公益日志愿服务",
    "基层治理与为民服务",
    "廉洁自律警示教育",
]
MINUTES = "会议传达学习了有关精神，党员结合工作实际交流发言，对下阶段工作作出安排。"
EXCUSES = ["出差请假", "生病请假", "出海作业", "值班请假"]
ABSENCES = ["未说明原因", "外出务工未能参加"]
BIRTHDAY_TITLE = "“七一”集体政治生日"


def _months(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for back in range(count - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        months.append(date(index // 12, index % 12 + 1, 1))
    return months


class _Activities:
    def __init__(self, ctx: ServiceContext, scale: ActivityScale) -> None:
        self.ctx = ctx
        self.scale = scale
        self.activities: list[Activity] = []
        self.rolls: dict[int, list[Attendance]] = {}
        self.created: dict[int, datetime] = {}

    def party_members(self, members: list[Member]) -> list[Member]:
        return [m for m in members if m.category in Member.PARTY_MEMBER_CATEGORIES]

    @cached_property
    def with_groups(self) -> set[str]:
        """Paths of the branches that have Party groups under them: only they hold group meetings."""
        steplen = Organization.steplen
        return {n.obj.path[:-steplen] for n in self.ctx.nodes if n.obj.kind == Organization.Kind.GROUP}

    def branches(self) -> list[tuple[Organization, list[Member]]]:
        found = []
        for node in self.ctx.nodes:
            org = node.obj
            members = self.party_members(node.members)
            if org.kind in Organization.BRANCH_KINDS and members:
                found.append((org, members))
        found.sort(key=lambda pair: pair[0].path)
        if self.scale.branch_share >= 1:
            return found
        secretary_branches = {"怡岛社区党支部"}
        return [
            pair
            for pair in found
            if pair[0].short_name in secretary_branches or self.ctx.rng.random() < self.scale.branch_share
        ]

    def add(
        self, org: Organization, kind: str, title: str, starts: datetime, roll: list[Member], online: bool = False
    ) -> Activity:
        rng, now = self.ctx.rng, self.ctx.now
        if starts > now:
            status = Status.PLANNED
        elif rng.random() < 0.03:
            status = Status.CANCELLED
        else:
            status = Status.HELD
        held = status == Status.HELD
        activity = Activity(
            organization=org,
            kind=kind,
            title=title,
            topic=rng.choice(TOPICS),
            status=status,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            place="线上会议" if online else f"{org.short_name or org.name}党员活动室",
            is_online=online,
            host=self.ctx.person_name() if held else "",
            recorder=self.ctx.person_name() if held else "",
            minutes=MINUTES if held else "",
            cancel_reason="台风预警，活动取消" if status == Status.CANCELLED else "",
        )
        self.activities.append(activity)
        self.created[id(activity)] = min(starts - timedelta(days=rng.randint(3, 12)), now)
        if status != Status.CANCELLED:
            self.rolls[id(activity)] = [self.attendance(activity, m) for m in roll]
        return activity

    def attendance(self, activity: Activity, member: Member) -> Attendance:
        row = Attendance(
            member=member, organization=activity.organization, kind=activity.kind, starts_at=activity.starts_at
        )
        if activity.status == Status.HELD:
            draw = self.ctx.rng.random()
            if draw < 0.88:
                row.status = Present.PRESENT
                row.checked_in_at = activity.starts_at - timedelta(minutes=self.ctx.rng.randint(0, 15))
            elif draw < 0.95:
                row.status, row.reason = Present.EXCUSED, self.ctx.rng.choice(EXCUSES)
            else:
                row.status, row.reason = Present.ABSENT, self.ctx.rng.choice(ABSENCES)
        return row

    def branch_year(self, org: Organization, members: list[Member]) -> None:
        rng, ctx = self.ctx.rng, self.ctx
        full = [m for m in members if m.category == Member.Category.FULL]
        committee = members[:5]
        skipped_quarters = {q for q in range(4) if rng.random() < self.scale.missed_congress}
        for month in _months(ctx.today, self.scale.months):
            quarter_month = (month.month - 1) % 3
            label = f"{month.year}年{month.month}月"
            hour = rng.choice((9, 14, 15, 19))

            def on(day: int, hour: int = hour, month: date = month) -> datetime:
                return ctx.at(month.replace(day=day), hour)

            if quarter_month == 1 and (month.month - 1) // 3 not in skipped_quarters:
                self.add(org, Kind.BRANCH_CONGRESS, f"{label}支部党员大会", on(rng.randint(8, 14)), members)
            if quarter_month == 2:
                self.add(org, Kind.PARTY_LECTURE, f"{label}党课", on(rng.randint(12, 20)), members)
            self.add(org, Kind.THEME_DAY, f"{label}主题党日", on(28), members, online=rng.random() < 0.1)
            if org.kind == Organization.Kind.GENERAL_BRANCH or len(full) >= COMMITTEE_MIN_FULL_MEMBERS:
                self.add(org, Kind.COMMITTEE_MEETING, f"{label}支委会", on(rng.randint(3, 7)), committee)
            if org.path in self.with_groups:
                group = members[month.month % 3 :: 3]
                self.add(org, Kind.GROUP_MEETING, f"{label}党小组会", on(rng.randint(18, 24)), group)
            if month.month == 12:
                self.add(org, Kind.LIFE_MEETING, f"{month.year}年度组织生活会", on(18), members)
                self.add(org, Kind.APPRAISAL, f"{month.year}年度民主评议党员", on(22), members)

    def birthday(self, branches: list[tuple[Organization, list[Member]]]) -> None:
        """The last 1 July: one joint event, a part per branch, each member on their own branch's roll only."""
        ctx = self.ctx
        year = ctx.today.year if ctx.today >= date(ctx.today.year, 7, 2) else ctx.today.year - 1
        starts = ctx.at(date(year, 7, 1), 9)
        city = Organization.objects.get_root_nodes().first()
        assert city is not None
        event = JointEvent.objects.create(
            title=f"{year}年{BIRTHDAY_TITLE}",
            kind=Kind.POLITICAL_BIRTHDAY,
            organizer=city,
            starts_at=starts,
            description="全市党员线上线下同步重温入党誓词，过集体政治生日",
            created_by=ctx.accounts["admin"],
        )
        JointEvent.objects.filter(pk=event.pk).update(created_at=starts - timedelta(days=14))
        ctx.record(event, verb="created", at=starts - timedelta(days=14), actor=ctx.accounts["admin"],
                   data={"parts": len(branches)})  # fmt: skip
        for index, (org, members) in enumerate(branches):
            part = self.add(org, Kind.POLITICAL_BIRTHDAY, event.title, starts, members, online=index % 3 == 0)
            part.joint_event = event
            if part.status == Status.CANCELLED:
                part.status, part.cancel_reason = Status.HELD, ""
                part.host, part.recorder, part.minutes = ctx.person_name(), ctx.person_name(), MINUTES
                self.rolls[id(part)] = [self.attendance(part, m) for m in members]

    def save(self) -> None:
        ctx = self.ctx
        Activity.objects.bulk_create(self.activities, batch_size=BATCH)
        stamp(self.activities, self.created)
        rows: list[Attendance] = []
        for activity in self.activities:
            for row in self.rolls.get(id(activity), []):
                row.activity = activity
                rows.append(row)
            actor = ctx.secretary_user(activity.organization) or ctx.admin_over(activity.organization)
            created = self.created[id(activity)]
            ctx.record(activity, verb="scheduled", to_state=Status.PLANNED, at=created, actor=actor,
                       data={"expected": len(self.rolls.get(id(activity), []))})  # fmt: skip
            if activity.status == Status.HELD:
                ctx.record(activity, verb="held", from_state=Status.PLANNED, to_state=Status.HELD,
                           at=activity.ends_at, actor=actor)  # fmt: skip
            elif activity.status == Status.CANCELLED:
                at = max(created, activity.starts_at - timedelta(days=1))
                ctx.record(activity, verb="cancelled", from_state=Status.PLANNED, to_state=Status.CANCELLED,
                           at=at, actor=actor, note=activity.cancel_reason)  # fmt: skip
        Attendance.objects.bulk_create(rows, batch_size=BATCH)


def build(ctx: ServiceContext, scale: str) -> None:
    activities = _Activities(ctx, ACTIVITY_SCALES[scale])
    branches = activities.branches()
    for org, members in branches:
        activities.branch_year(org, members)
    activities.birthday(branches)
    activities.save()

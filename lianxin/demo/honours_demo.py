"""The demo city's honours: a 2026 两优一先 round of the city, with quotas handed to the districts,
nominations, review, a publicity notice with one objection, approval, the 七一 ceremony and the
published list; and this year's 光荣在党50年 list about half issued, some at a ceremony, some
delivered home (送章到家). (The roster requires a full member's 转正日期, so the demo has nobody in
"needs checking"; the list keeps such members apart.) Every step goes through the honours services
with the clock set back to its day."""

from contextlib import AbstractContextManager
from datetime import date, timedelta

from django.db.models import QuerySet

from lianxin.accounts.models import User
from lianxin.demo.context import ServiceContext
from lianxin.honours.models import MEMBER_KINDS, AwardKind, HonourRound, MedalAward
from lianxin.honours.permissions import manages
from lianxin.honours.rules.eligibility import medal_cutoff
from lianxin.honours.services import medals as medal_services
from lianxin.honours.services import nominations as nominating
from lianxin.honours.services import rounds as round_services
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

YEAR = 2026
# Places per district of each kind, and what the city keeps in hand.
PER_DISTRICT: dict[str, int] = {
    AwardKind.OUTSTANDING_MEMBER: 3,
    AwardKind.OUTSTANDING_WORKER: 2,
    AwardKind.ADVANCED_ORGANIZATION: 2,
}
DEEDS = (
    "扎根海岛社区二十年，带头开展“红色网格”走访，化解邻里矛盾百余起。",
    "台风“梅花”期间连续值守七十二小时，组织转移群众三百余人。",
    "牵头成立渔嫂志愿服务队，常年为独居老人送餐、理发、读报。",
    "推动村集体经济发展海岛民宿，带领群众年增收两百余万元。",
    "坚持“三会一课”规范化建设，支部工作台账完整，党员参学率始终在九成以上。",
    "疫情防控和抗台救灾中冲锋在前，被群众称为“海岛守护人”。",
)
CEREMONY = "庆祝中国共产党成立105周年暨“两优一先”表彰大会"


class Honours:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.admin: User = ctx.accounts["admin"]

    def at(self, month: int, day: int, hour: int = 10) -> AbstractContextManager[None]:
        return self.ctx.happen(self.ctx.at(date(YEAR, month, day), hour))

    def build(self) -> None:
        if self.ctx.today < date(YEAR, 7, 1):
            return
        city = Organization.objects.filter(depth=1).order_by("path").first()
        if city is None:
            return
        districts = list(Organization.objects.filter(depth=2, status=Organization.Status.ACTIVE).order_by("path"))
        round_ = self.open_round(city, districts)
        for district in districts:
            self.nominate(round_, district)
        self.review(round_)
        self.publicize_and_approve(round_)
        self.medals(city)

    def open_round(self, city: Organization, districts: list[Organization]) -> HonourRound:
        quotas = {kind: count * len(districts) + 2 for kind, count in PER_DISTRICT.items()}
        with self.at(3, 2):
            round_ = round_services.round_open(
                actor=self.admin, owner=city, year=YEAR, title=f"{YEAR}年度全市“两优一先”评选表彰", quotas=quotas
            )
        with self.at(3, 6):
            for district in districts:
                for kind, count in PER_DISTRICT.items():
                    round_services.quota_set(
                        actor=self.admin, round=round_, organization=district, kind=kind, count=count
                    )
        return round_

    def _candidates(self, district: Organization) -> QuerySet[Member]:
        return Member.objects.filter(
            organization__path__startswith=district.path, category=Member.Category.FULL
        ).order_by("pk")

    def nominate(self, round_: HonourRound, district: Organization) -> None:
        actor = self.ctx.admin_over(district)
        members = list(self._candidates(district)[:40])
        units = list(
            Organization.objects.filter(path__startswith=district.path, depth__gt=district.depth)
            .filter(status=Organization.Status.ACTIVE)
            .order_by("path")[:20]
        )
        self.rng.shuffle(members)
        with self.at(4, 10 + self.rng.randint(0, 8), 9):
            for kind, count in PER_DISTRICT.items():
                for _n in range(count):
                    member = members.pop() if kind in MEMBER_KINDS and members else None
                    unit = units.pop(self.rng.randrange(len(units))) if kind not in MEMBER_KINDS and units else None
                    if member is None and unit is None:
                        continue
                    nominating.nomination_create(
                        actor=actor,
                        round=round_,
                        nominated_by=district,
                        kind=kind,
                        member=member,
                        nominee_organization=unit,
                        deeds=self.rng.choice(DEEDS),
                        no_discipline_confirmed=self.rng.random() < 0.9,
                    )

    def review(self, round_: HonourRound) -> None:
        with self.at(5, 12):
            for index, nomination in enumerate(round_.nominations.select_related("review_at").order_by("id")):
                if index == 4:
                    nominating.nomination_review(
                        actor=self.admin, nomination=nomination, recommend=False, note="事迹材料不够具体，本次不推荐。"
                    )
                else:
                    nominating.nomination_review(
                        actor=self.admin, nomination=nomination, recommend=True, note="同意推荐"
                    )

    def publicize_and_approve(self, round_: HonourRound) -> None:
        starts_on = date(YEAR, 6, 1)
        with self.at(6, 1, 9):
            round_services.round_publicity_start(actor=self.admin, round=round_, starts_on=starts_on)
        first = round_.nominations.filter(status="recommended").order_by("id").first()
        if first is not None:
            with self.at(6, 3, 15):
                objection = round_services.objection_record(
                    actor=self.admin,
                    nomination=first,
                    received_on=date(YEAR, 6, 3),
                    content="来电反映该同志曾有违规操办宴席情况。",
                )
            with self.at(6, 5, 16):
                round_services.objection_decide(
                    actor=self.admin, objection=objection, upheld=False, note="经核实，所反映情况不属实，维持推荐。"
                )
        assert round_.publicity_ends_on is not None
        with self.ctx.happen(self.ctx.at(round_.publicity_ends_on + timedelta(days=3), 10)):
            round_services.round_approve(actor=self.admin, round=round_)
        with self.at(6, 30, 16):
            round_services.round_ceremony_record(
                actor=self.admin, round=round_, held_on=date(YEAR, 6, 30), place="舟山市会议中心", note=CEREMONY
            )
            round_services.round_publish(actor=self.admin, round=round_)

    def medals(self, city: Organization) -> None:
        due = list(
            Member.objects.filter(category=Member.Category.FULL, full_on__lte=medal_cutoff(YEAR))
            .select_related("organization")
            .order_by("organization__path", "pk")
        )
        secretary = self.ctx.accounts.get("secretary")
        for index, member in enumerate(due):
            if index % 2:
                continue  # about half still to issue
            actor = self.ctx.admin_over(member.organization)
            with self.at(6, 10, 9):
                award = medal_services.medal_confirm(actor=actor, member=member, year=YEAR, note="表现良好，无违纪情况")
            self.issue(award, secretary if index % 3 == 0 else actor, home=index % 3 == 0)

    def issue(self, award: MedalAward, actor: User | None, *, home: bool) -> None:
        if home:
            on = date(YEAR, 6, 20 + self.rng.randint(0, 8))
            # The branch secretary delivers where it is theirs; the city's admin otherwise.
            who = actor if actor is not None and _manages(actor, award) else self.ctx.admin_over(award.organization)
            with self.ctx.happen(self.ctx.at(on, 15)):
                medal_services.medal_issue(
                    actor=who, award=award, way=MedalAward.Way.HOME, issued_on=on, delivered_by=self.ctx.person_name()
                )
            return
        with self.ctx.happen(self.ctx.at(date(YEAR, 6, 30), 17)):
            medal_services.medal_issue(
                actor=self.ctx.admin_over(award.organization),
                award=award,
                way=MedalAward.Way.CEREMONY,
                issued_on=date(YEAR, 6, 30),
                ceremony=f"{award.organization.area.name}“光荣在党50年”纪念章颁发仪式",
                place="党群服务中心",
                presented_by=self.ctx.person_name(),
            )


def _manages(user: User, award: MedalAward) -> bool:
    return manages(user, award.member.organization)


def build(ctx: ServiceContext, scale: str) -> None:
    Honours(ctx).build()

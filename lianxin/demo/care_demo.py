"""The demo city's care work: members in hardship (some reviewed this year, one ended) and the year's
七一 care round of the city: the budget handed down to the districts, recipients drawn by rule (party
age of 50 years, hardship) and added by hand, most of them visited, one twice (warned), and its totals;
the round stays open, so the demo's admins can record the visits still to make.
Every step goes through the care services with the clock set back to its day."""

from datetime import date, timedelta
from decimal import Decimal

from lianxin.accounts.models import User
from lianxin.care.models import CareRecipient, CareRound, HardshipRecord, TargetGroup
from lianxin.care.rules.recipients import DrawRule, Rule
from lianxin.care.selectors.rounds import draw_candidates
from lianxin.care.services.hardship import hardship_end, hardship_record, hardship_review
from lianxin.care.services.rounds import DRAW_MAX, budget_set, recipient_add, recipients_draw, round_create, round_move
from lianxin.care.services.visits import visit_record
from lianxin.demo.context import ServiceContext
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

# Per scale: members in hardship, recipients drawn by party age at most, the city's budget in yuan.
SIZES = {"small": (12, 30, Decimal("200000")), "city": (150, 400, Decimal("2000000"))}
REASONS = (
    (HardshipRecord.Reason.ILLNESS, "长期慢性病，医药费负担重"),
    (HardshipRecord.Reason.DISABILITY, "肢体残疾，行动不便"),
    (HardshipRecord.Reason.LOW_INCOME, "家庭收入低于当地低保线"),
    (HardshipRecord.Reason.DISASTER, "台风致房屋受损"),
    (HardshipRecord.Reason.OTHER, "独居高龄，无子女照料"),
)
GOODS = (("米、油", Decimal("200")), ("慰问品", Decimal("300")), ("棉被", Decimal("260")), ("", Decimal("0")))
VISITORS = ("党委书记、组织委员", "支部书记、党员志愿者", "街道党工委副书记、社区书记", "组织部领导、支部书记")


def build(ctx: ServiceContext, scale: str) -> None:
    hardship_count, drawn_max, budget = SIZES.get(scale, SIZES["small"])
    admin = ctx.accounts["admin"]
    _hardship(ctx, admin, hardship_count)
    _care_round(ctx, admin, drawn_max, budget)


def _hardship(ctx: ServiceContext, admin: User, count: int) -> None:
    rng, year = ctx.rng, ctx.today.year
    members = list(
        Member.objects.filter(category=Member.Category.FULL, birth_date__lt=date(1966, 1, 1))
        .order_by("pk")
        .values_list("pk", flat=True)[: count * 20]
    )
    chosen = rng.sample(members, min(count, len(members)))
    for n, pk in enumerate(chosen):
        member = Member.objects.select_related("organization").get(pk=pk)
        reason, note = REASONS[n % len(REASONS)]
        since = date(year - rng.randint(1, 4), rng.randint(1, 12), rng.randint(1, 28))
        level = HardshipRecord.Level.SPECIAL if n % 4 == 0 else HardshipRecord.Level.GENERAL
        with ctx.happen(ctx.at(since + timedelta(days=rng.randint(3, 20)))):
            record = hardship_record(actor=admin, member=member, level=level, reason=reason, since=since, note=note)
        if n % 3 == 0:  # reviewed this spring; the rest are due for review
            on = min(date(year, 3, rng.randint(1, 28)), ctx.today)
            with ctx.happen(ctx.at(on)):
                hardship_review(actor=admin, record=record, on=on)
        elif n == 1:
            on = min(date(year, 5, 10), ctx.today)
            with ctx.happen(ctx.at(on)):
                hardship_end(actor=admin, record=record, on=on, reason="子女就业，家庭收入好转")


def _care_round(ctx: ServiceContext, admin: User, drawn_max: int, budget: Decimal) -> None:
    year = ctx.today.year
    july_first = date(year, 7, 1)
    start = min(july_first - timedelta(days=30), ctx.today)
    city = Organization.objects.filter(depth=1).order_by("path").first()
    if city is None:
        return
    with ctx.happen(ctx.at(start)):
        round_ = round_create(
            actor=admin,
            organization=city,
            title=f"{year}年“七一”走访慰问",
            occasion=CareRound.Occasion.JULY_FIRST,
            year=year,
            on=july_first,
            target_groups=[TargetGroup.SENIOR, TargetGroup.HARDSHIP, TargetGroup.PRE_1949, TargetGroup.NEW_EMPLOYMENT],
            note="走访慰问老党员、生活困难党员，送去党组织的关怀",
        )
        budget_set(actor=admin, round_=round_, organization=city, amount=budget)
    with ctx.happen(ctx.at(start + timedelta(days=2))):
        for rule, limit in ((DrawRule(Rule.PARTY_AGE, 50), drawn_max), (DrawRule(Rule.HARDSHIP), DRAW_MAX)):
            ids = list(
                draw_candidates(round_=round_, rule=rule, organization=city).values_list("pk", flat=True)[:limit]
            )
            if ids:
                recipients_draw(actor=admin, round_=round_, rule=rule, organization=city, member_ids=ids)
        district = Organization.objects.filter(depth=2, path__startswith=city.path).order_by("path").first()
        if district is not None:
            recipient_add(
                actor=admin,
                round_=round_,
                group=TargetGroup.NEW_EMPLOYMENT,
                name="快递小哥陈师傅",
                note="新就业群体驿站常客",
                organization=district,
            )
    with ctx.happen(ctx.at(start + timedelta(days=4))):
        _hand_down(admin, round_, city)
        round_move(actor=admin, round_=round_, to=CareRound.Status.OPEN)
    _visits(ctx, admin, round_, july_first)


def _hand_down(admin: User, round_: CareRound, city: Organization) -> None:
    """Each district gets 1,800 yuan a recipient of its subtree, in whole thousands."""
    for district in Organization.objects.filter(depth=2, path__startswith=city.path).order_by("path"):
        n = CareRecipient.objects.filter(round=round_, organization__path__startswith=district.path).count()
        if n:
            amount = Decimal(-(-n * 1800 // 1000) * 1000)
            budget_set(actor=admin, round_=round_, organization=district, amount=amount)


def _visits(ctx: ServiceContext, admin: User, round_: CareRound, july_first: date) -> None:
    rng = ctx.rng
    recipients = list(CareRecipient.objects.filter(round=round_).select_related("organization").order_by("pk"))
    visited = [r for r in recipients if rng.random() < 0.85]
    for n, recipient in enumerate(visited):
        day = min(july_first - timedelta(days=rng.randint(0, 6)), ctx.today)
        goods, goods_value = GOODS[n % len(GOODS)]
        org = _visiting_unit(recipient.organization)
        with ctx.happen(ctx.at(day, 14)):
            visit_record(
                actor=ctx.admin_over(org),
                round_=round_,
                recipient=recipient,
                organization=org,
                visitors=VISITORS[n % len(VISITORS)],
                visited_on=day,
                money=Decimal(rng.choice((500, 800, 1000, 1500, 2000))),
                goods=goods,
                goods_value=goods_value,
            )
    if visited:  # one recipient visited twice: recorded, with the warning on the round's timeline
        again = visited[0]
        day = min(july_first, ctx.today)
        with ctx.happen(ctx.at(day, 16)):
            visit_record(
                actor=admin,
                round_=round_,
                recipient=again,
                organization=round_.organization,
                visitors="市委组织部领导",
                visited_on=day,
                money=Decimal("1000"),
            )


def _visiting_unit(organization: Organization) -> Organization:
    """The Party committee a level below the district (a township's, a street's, a system's) visits for
    its members, paid from its district's budget; an organization that high visits itself."""
    if organization.depth <= 3:
        return organization
    unit: Organization = Organization.objects.get(path=organization.path[: 3 * Organization.steplen])
    return unit

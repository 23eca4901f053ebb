"""Reads of care rounds: the rounds a viewer works on, their budgets, recipients, visits and totals,
and the members a rule draws. A round reaches the admins above its organizer and those inside its
subtree; inside it, each admin reads the recipients and visits of their own subtree."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from lianxin.accounts.types import Viewer
from lianxin.care.models import CareBudget, CareRecipient, CareRound, CareVisit, HardshipRecord
from lianxin.care.permissions import care_scope
from lianxin.care.rules.recipients import FOUNDING_DAY, DrawRule, Rule, honour_years
from lianxin.honours.selectors import honoured_member_ids
from lianxin.members.models import Member
from lianxin.members.rules.statistics import years_before
from lianxin.members.selectors.roster import members_under
from lianxin.organizations.models import Organization

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _ancestor_paths(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def rounds_visible_to(*, user: Viewer) -> QuerySet[CareRound]:
    scope = care_scope(user)
    if scope.is_empty:
        return CareRound.objects.none()
    above = [a for p in scope.paths for a in _ancestor_paths(p)]
    visible = scope.q("organization__path") | Q(organization__path__in=above)
    return CareRound.objects.filter(visible).select_related("organization").order_by("-year", "-on", "-id")


def access_round(user: Viewer, pk: int) -> CareRound:
    round_ = rounds_visible_to(user=user).filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


def recipients_visible(*, user: Viewer, round_: CareRound, visited: bool | None = None) -> QuerySet[CareRecipient]:
    """The round's recipients in the viewer's subtree, each with how often it was visited (`visit_count`);
    with `visited`, only those visited (True) or not yet (False)."""
    qs = CareRecipient.objects.filter(care_scope(user).q("organization__path"), round=round_)
    if visited is not None:
        has_visit = CareVisit.objects.filter(recipient=OuterRef("pk"))
        qs = qs.filter(Exists(has_visit)) if visited else qs.exclude(Exists(has_visit))
    return (
        qs.select_related("organization", "member")
        .annotate(visit_count=Count("visits"))
        .order_by("organization__path", "name", "id")
    )


def access_recipient(user: Viewer, round_: CareRound, pk: int) -> CareRecipient:
    recipient = recipients_visible(user=user, round_=round_).filter(pk=pk).first()
    if recipient is None:
        raise Http404
    return recipient


def visits_visible(*, user: Viewer, round_: CareRound) -> QuerySet[CareVisit]:
    return (
        CareVisit.objects.filter(care_scope(user).q("recipient__organization__path"), round=round_)
        .select_related("recipient", "organization", "recipient__organization")
        .order_by("visited_on", "id")
    )


def access_visit(user: Viewer, pk: int) -> CareVisit:
    visit = (
        CareVisit.objects.filter(care_scope(user).q("recipient__organization__path"), pk=pk)
        .select_related("round", "recipient")
        .first()
    )
    if visit is None:
        raise Http404
    return visit


# ------------------------------------------------------------------ budgets


def budget_parent(budgets: list[CareBudget], path: str) -> CareBudget | None:
    """The budget `path` is handed down from: the nearest organization above it holding one."""
    above = [b for b in budgets if path.startswith(b.organization.path) and b.organization.path != path]
    return max(above, key=lambda b: len(b.organization.path), default=None)


def budget_children_sum(budgets: list[CareBudget], path: str, *, leave_out: str = "") -> Decimal:
    """What the organization at `path` has handed down: the budgets whose nearest budget above is its."""
    total = Decimal("0")
    for b in budgets:
        p = b.organization.path
        if p in (leave_out, path) or not p.startswith(path):
            continue
        parent = budget_parent(budgets, p)
        if parent is not None and parent.organization.path == path:
            total += b.amount
    return total


def budget_of(round_: CareRound, organization: Organization) -> CareBudget | None:
    """The budget a visit by `organization` is paid from: its own, else the nearest above it."""
    paths = _ancestor_paths(organization.path)
    return (
        CareBudget.objects.filter(round=round_, organization__path__in=paths)
        .select_related("organization")
        .order_by("-organization__depth")
        .first()
    )


def spent_under(round_: CareRound, organization: Organization) -> Decimal:
    row = CareVisit.objects.filter(round=round_, organization__path__startswith=organization.path).aggregate(
        yuan=Coalesce(Sum(F("money") + F("goods_value")), ZERO)
    )
    return Decimal(row["yuan"])


@dataclass(frozen=True)
class BudgetLine:
    budget: CareBudget
    handed_down: Decimal  # to the budgets right below it
    spent: Decimal  # by every visit of its subtree
    spent_own: Decimal  # by the visits paid from this budget itself (none below it holds one)
    depth: int

    @property
    def left(self) -> Decimal:
        return self.budget.amount - self.handed_down - self.spent_own

    @property
    def over(self) -> bool:
        return self.spent > self.budget.amount


def budget_lines(round_: CareRound) -> list[BudgetLine]:
    """Each budget of the round in tree order with what it handed down and what was spent under it."""
    budgets = list(
        CareBudget.objects.filter(round=round_).select_related("organization").order_by("organization__path")
    )
    spent = dict(
        CareVisit.objects.filter(round=round_)
        .values("organization__path")
        .annotate(yuan=Sum(F("money") + F("goods_value")))
        .values_list("organization__path", "yuan")
    )
    # Each budget's parent and each spending organization's budget, found once (not once a budget).
    handed: dict[int, Decimal] = {}
    for b in budgets:
        parent = budget_parent(budgets, b.organization.path)
        if parent is not None:
            handed[parent.pk] = handed.get(parent.pk, Decimal("0")) + b.amount
    payer = {p: _paid_from(budgets, p) for p in spent}
    lines = []
    for b in budgets:
        path = b.organization.path
        under = sum((Decimal(v) for p, v in spent.items() if p.startswith(path)), Decimal("0"))
        own = sum((Decimal(v) for p, v in spent.items() if payer[p] is b), Decimal("0"))
        lines.append(BudgetLine(b, handed.get(b.pk, Decimal("0")), under, own, b.organization.depth))
    return lines


def _paid_from(budgets: list[CareBudget], path: str) -> CareBudget | None:
    own = [b for b in budgets if path.startswith(b.organization.path)]
    return max(own, key=lambda b: len(b.organization.path), default=None)


# ------------------------------------------------------------------ totals


@dataclass(frozen=True)
class Totals:
    recipients: int
    people: int  # distinct people visited
    units: int  # organizations that visited
    visits: int
    repeats: int
    money: Decimal
    goods: Decimal

    @property
    def yuan(self) -> Decimal:
        return self.money + self.goods

    @property
    def wan(self) -> Decimal:
        """Yuan in 万元 to one decimal, as the reports write it (14.1万元)."""
        return (self.yuan / Decimal("10000")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def visit_totals(visits: QuerySet[CareVisit], recipients: QuerySet[CareRecipient]) -> Totals:
    """People visited counted once each (a member once, a person not on the roster once), the units that
    visited, and the yuan given (money and the value of goods)."""
    row = visits.aggregate(
        n=Count("pk"),
        repeats=Count("pk", filter=Q(repeat=True)),
        units=Count("organization", distinct=True),
        members=Count("recipient__member", distinct=True),
        others=Count("recipient", distinct=True, filter=Q(recipient__member__isnull=True)),
        money=Coalesce(Sum("money"), ZERO),
        goods=Coalesce(Sum("goods_value"), ZERO),
    )
    return Totals(
        recipients=recipients.count(),
        people=row["members"] + row["others"],
        units=row["units"],
        visits=row["n"],
        repeats=row["repeats"],
        money=Decimal(row["money"]),
        goods=Decimal(row["goods"]),
    )


def round_totals(*, user: Viewer, round_: CareRound) -> Totals:
    return visit_totals(
        visits_visible(user=user, round_=round_).order_by(), recipients_visible(user=user, round_=round_).order_by()
    )


# ------------------------------------------------------------------ drawing by rule


def draw_candidates(*, round_: CareRound, rule: DrawRule, organization: Organization) -> QuerySet[Member]:
    """Party members of `organization`'s subtree the rule draws, not yet recipients of the round."""
    qs = (
        members_under(organization)
        .filter(category__in=Member.PARTY_MEMBER_CATEGORIES)
        .exclude(pk__in=CareRecipient.objects.filter(round=round_, member__isnull=False).values("member_id"))
    )
    if rule.kind == Rule.PARTY_AGE:
        qs = qs.filter(full_on__isnull=False, full_on__lte=years_before(round_.on, rule.years))
    elif rule.kind == Rule.AGE:
        qs = qs.filter(birth_date__lte=years_before(round_.on, rule.years))
    elif rule.kind == Rule.PRE_1949:
        qs = qs.filter(joined_on__isnull=False, joined_on__lt=FOUNDING_DAY)
    elif rule.kind == Rule.HARDSHIP:
        qs = qs.filter(pk__in=HardshipRecord.objects.filter(status=HardshipRecord.Status.ACTIVE).values("member_id"))
    elif rule.kind == Rule.HONOURED:
        qs = qs.filter(pk__in=_honoured(round_, rule, qs))
    else:
        return Member.objects.none()
    return qs.select_related("organization").order_by("organization__path", "name", "pk")


def _honoured(round_: CareRound, rule: DrawRule, among: QuerySet[Member]) -> set[int]:
    return honoured_member_ids(
        years=honour_years(round_.year, rule.years),
        kinds=rule.honour_kinds,
        member_ids=list(among.values_list("pk", flat=True)),
    )

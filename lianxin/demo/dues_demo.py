"""The demo city's Party dues: every Party member assessed for the year from a band of the standard,
a year of payments with their receipts (most paid up, some behind, a few six months or more), the
branches' monthly hand-overs to their Party committees (a few short or not yet made), and one special
donation of 1,000 yuan or more, marked for the Centre. Rows are written in bulk, stamped with their
days; the donation goes through the dues service with the clock set back."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from lianxin.demo.context import BATCH, ServiceContext, stamp
from lianxin.dues.models import Assessment, DuesAccount, DuesVerb, Handover, Payment
from lianxin.dues.rules.months import month_add, month_index, month_of, months_between
from lianxin.dues.rules.standard import BANDS, CENT, Basis
from lianxin.dues.services.ledger import PaymentInput, payment_record
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

# A member's standing at the end of the demo: paid up, behind a few months, behind six or more.
STANDING_WEIGHTS = {"paid_up": 82, "behind": 12, "six_months": 6}
# How many months a member pays at a time.
CADENCES = (1, 1, 3, 3, 3, 6, 12)
METHODS = (Payment.Method.CASH, Payment.Method.TRANSFER, Payment.Method.STATEMENT)
METHOD_WEIGHTS = (40, 45, 15)
# Monthly income (yuan) of an employed member, drawn for the band; pensions likewise.
SALARIES = ((2600, 3000), (3000, 5000), (5000, 10000), (10000, 16000))
SALARY_WEIGHTS = (15, 40, 38, 7)
EMPLOYED = (Basis.EMPLOYED_3000, Basis.EMPLOYED_5000, Basis.EMPLOYED_10000, Basis.EMPLOYED_ABOVE)
DONATION = Decimal("1000.00")


def _yuan(income: float, rate: Decimal) -> Decimal:
    return (Decimal(str(round(income))) * rate).quantize(CENT, rounding=ROUND_HALF_UP)


class Dues:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.year = ctx.today.year
        self.this_month = month_of(ctx.today)
        self.payments: list[Payment] = []
        self.stamps: dict[int, datetime] = {}

    def assessment(self, member: Member) -> tuple[str, Decimal]:
        """The band of the member's income and the monthly amount it gives."""
        rng, occupation = self.rng, member.occupation
        if occupation == Member.Occupation.RETIRED:
            low, high = rng.choice(((3000, 5000), (5000, 8000)))
            basis = Basis.RETIRED_5000 if high <= 5000 else Basis.RETIRED_ABOVE
            return basis, _yuan(rng.uniform(low + 1, high), BANDS[basis].rate or CENT)
        if occupation == Member.Occupation.FARMER:
            return Basis.FARMER, rng.choice((Decimal("0.20"), Decimal("0.50"), Decimal("1.00")))
        if occupation == Member.Occupation.STUDENT:
            return Basis.STUDENT, Decimal("0.20")
        index = rng.choices(range(len(SALARIES)), weights=SALARY_WEIGHTS)[0]
        low, high = SALARIES[index]
        basis = EMPLOYED[index]
        return basis, _yuan(rng.uniform(low + 1, high), BANDS[basis].rate or CENT)

    def paid_through(self, starts: date) -> date:
        """The last month paid at the end of the demo, by the member's drawn standing."""
        rng = self.rng
        last_due = month_add(self.this_month, -1)
        standing = rng.choices(list(STANDING_WEIGHTS), weights=list(STANDING_WEIGHTS.values()))[0]
        if standing == "paid_up":
            paid = self.this_month if rng.random() < 0.25 else last_due
        elif standing == "behind":
            paid = month_add(last_due, -rng.randint(1, 5))
        else:
            paid = month_add(last_due, -rng.randint(6, 11))
        return max(paid, month_add(starts, -1))

    def paid_on(self, last: date, late: bool) -> date:
        """A day in the chunk's last month (or a month or two after, for a back payment), never after today."""
        month = month_add(last, self.rng.randint(1, 2)) if late else last
        day = month + timedelta(days=self.rng.randint(0, 27))
        return min(day, self.ctx.today)

    def payments_of(self, member: Member, monthly: Decimal, starts: date, through: date) -> None:
        rng = self.rng
        cadence = rng.choice(CADENCES)
        first, previous = starts, starts
        while month_index(first) <= month_index(through):
            last = min(month_add(first, cadence - 1), through)
            # Paid in order: a chunk is never paid before the one it follows.
            paid_on = max(self.paid_on(last, rng.random() < 0.08), previous)
            late = month_of(paid_on) > last
            previous = paid_on
            months = months_between(first, last)
            payment = Payment(
                member=member,
                organization_id=member.organization_id,
                kind=Payment.Kind.BACK if late else Payment.Kind.REGULAR,
                method=rng.choices(METHODS, weights=METHOD_WEIGHTS)[0],
                months_from=first,
                months_to=last,
                months=months,
                amount=monthly * months,
                paid_on=paid_on,
                receipt_year=paid_on.year,
                receipt_number=0,
                for_centre=False,
            )
            self.payments.append(payment)
            self.stamps[id(payment)] = self.ctx.at(paid_on, rng.randint(9, 16), rng.randint(0, 59))
            first = month_add(last, 1)

    def build(self) -> None:
        ctx = self.ctx
        members = list(
            Member.objects.filter(category__in=Member.PARTY_MEMBER_CATEGORIES)
            .only("pk", "organization_id", "occupation", "joined_on", "category")
            .order_by("pk")
        )
        if not members:
            return
        january = date(self.year, 1, 1)
        assessments, accounts = [], []
        for member in members:
            basis, monthly = self.assessment(member)
            starts = month_of(member.joined_on) if member.joined_on and member.joined_on > january else january
            through = self.paid_through(starts)
            assessments.append(Assessment(member=member, year=self.year, basis=basis, monthly_amount=monthly))
            accounts.append(DuesAccount(member=member, starts_on=starts, paid_through=through))
            self.payments_of(member, monthly, starts, through)
        Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        stamp(assessments, {id(a): ctx.at(january + timedelta(days=9)) for a in assessments}, "assessed_at")
        DuesAccount.objects.bulk_create(accounts, batch_size=BATCH)
        self.receipts()
        Payment.objects.bulk_create(self.payments, batch_size=BATCH)
        stamp(self.payments, self.stamps, "recorded_at")
        self.timeline(accounts)
        self.handovers()
        self.donation(members)

    def receipts(self) -> None:
        """Receipt numbers in the order paid, one sequence per organization and year."""
        self.payments.sort(key=lambda p: (self.stamps[id(p)], p.member_id))
        counters: dict[tuple[int, int], int] = defaultdict(int)
        for payment in self.payments:
            key = (payment.organization_id, payment.receipt_year)
            counters[key] += 1
            payment.receipt_number = counters[key]

    def timeline(self, accounts: list[DuesAccount]) -> None:
        ctx = self.ctx
        if not ctx.scale.detailed_events:
            return
        assessed = ctx.at(date(self.year, 1, 10))
        for account in accounts:
            ctx.record(account, verb=DuesVerb.ASSESSED, at=assessed, data={"year": self.year})
        by_member = {a.member_id: a for a in accounts}
        for payment in self.payments:
            ctx.record(
                by_member[payment.member_id],
                verb=DuesVerb.PAID,
                at=self.stamps[id(payment)],
                to_state=f"{payment.months_to:%Y-%m}" if payment.months_to else "",
                data={"payment": payment.pk, "receipt": payment.receipt, "amount": str(payment.amount)},
            )

    def handovers(self) -> None:
        """Each branch hands up each month's dues early the month after; a few are short or not yet made."""
        ctx, rng = self.ctx, self.rng
        collected: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
        for payment in self.payments:
            collected[(payment.organization_id, month_of(payment.paid_on))] += payment.amount
        organizations = {o.pk: o for o in Organization.objects.filter(pk__in={k[0] for k in collected})}
        parents = {
            o.path: o.pk
            for o in Organization.objects.filter(path__in={o.path[: -o.steplen] for o in organizations.values()})
        }
        rows: list[Handover] = []
        for (org_id, month), amount in sorted(collected.items(), key=lambda item: (item[0][1], item[0][0])):
            org = organizations[org_id]
            parent = parents.get(org.path[: -org.steplen])
            last_month = month == month_add(self.this_month, -1)
            if parent is None or month >= self.this_month or (last_month and rng.random() < 0.3):
                continue
            handed = amount - Decimal("10.00") if rng.random() < 0.03 and amount > 10 else amount
            handed_on = min(month_add(month, 1) + timedelta(days=rng.randint(2, 14)), ctx.today)
            rows.append(
                Handover(organization=org, to_organization_id=parent, month=month, amount=handed, handed_on=handed_on)
            )
        Handover.objects.bulk_create(rows, batch_size=BATCH)
        stamp(rows, {id(h): ctx.at(h.handed_on, 15) for h in rows}, "recorded_at")

    def donation(self, members: list[Member]) -> None:
        """A veteran member's special donation (特殊党费) of 1,000 yuan: the Centre's in full."""
        ctx = self.ctx
        member = Member.objects.select_related("organization").get(pk=self.rng.choice(members).pk)
        paid_on = max(ctx.today - timedelta(days=self.rng.randint(20, 120)), date(self.year, 1, 2))
        paid_on = min(paid_on, ctx.today)
        entry = PaymentInput(
            member=member,
            kind=Payment.Kind.DONATION,
            method=Payment.Method.TRANSFER,
            amount=DONATION,
            paid_on=paid_on,
            note="特殊党费",
        )
        with ctx.happen(ctx.at(paid_on, 11)):
            payment_record(actor=ctx.admin_over(member.organization), entry=entry, today=ctx.today)


def build(ctx: ServiceContext, scale: str) -> None:
    Dues(ctx).build()

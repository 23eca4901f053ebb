"""Party dues' figures for the dashboard and the briefings (lianxin.core.figures): yuan collected and
payments recorded in the period (valid payments, by the date paid), and, as they stand now, the
members behind with their dues and those behind six months or more. Rows name members only for the
organizations above them (the dashboard is scoped); dues are never public."""

from collections.abc import Mapping
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core.figures import FigureGroup, Measure, Number, Row, figures_register
from lianxin.core.periods import Period
from lianxin.dues.models import Payment
from lianxin.dues.rules.months import year_month
from lianxin.dues.selectors.ledger import arrears_of, behind_of, payments_of, six_month_arrears_of
from lianxin.members.models import Member
from lianxin.organizations.selectors import Subtree

PAYMENT_COLUMNS = (
    ("date", _("Paid on")),
    ("receipt", _("Receipt")),
    ("organization", _("Organization")),
    ("kind", _("Kind")),
    ("amount", _("Amount (yuan)")),
)
ARREARS_COLUMNS = (
    ("name", _("Name")),
    ("organization", _("Organization")),
    ("paid_through", _("Paid up to")),
    ("behind", _("Months behind")),
)


def payments_valid(org: Subtree, period: Period) -> QuerySet[Payment]:
    """Valid (not voided) payments collected in the subtree and paid in the period."""
    return payments_of(organization=org, period=period).filter(status=Payment.Status.VALID)


def compute(org: Subtree, period: Period) -> Mapping[str, Number]:
    """The payments' count and sum in one statement, the members behind (one month, six) in another."""
    paid = payments_valid(org, period).order_by().aggregate(n=Count("pk"), s=Sum("amount"))
    six = six_months(org, period).order_by().values("pk")
    behind = in_arrears(org, period).order_by().aggregate(n=Count("pk"), six=Count("pk", filter=Q(pk__in=six)))
    return {
        "dues-payments": paid["n"],
        "dues-collected": (paid["s"] or Decimal("0.00")).quantize(Decimal("0.01")),
        "dues-members-in-arrears": behind["n"],
        "dues-six-months": behind["six"],
    }


def payment_row(payment: Payment) -> Row:
    return {
        "date": payment.paid_on.isoformat(),
        "receipt": payment.receipt,
        "organization": str(payment.organization),
        "kind": payment.get_kind_display(),
        "amount": payment.amount,
    }


def in_arrears(org: Subtree, period: Period) -> QuerySet[Member]:
    return arrears_of(organization=org, on=timezone.localdate())


def six_months(org: Subtree, period: Period) -> QuerySet[Member]:
    return six_month_arrears_of(organization=org, on=timezone.localdate())


def arrears_row(member: Member) -> Row:
    paid_through = getattr(member, "dues_paid_through", None)
    return {
        "name": member.name,
        "organization": str(member.organization),
        "paid_through": year_month(paid_through),
        "behind": behind_of(paid_through, timezone.localdate()),
    }


MEASURES = (
    Measure(
        "dues-collected",
        _("Party dues collected"),
        pgettext_lazy("unit", "yuan"),
        _("Yuan of Party dues paid in the period to the organizations of this subtree (voided payments left out)."),
        payments_valid,
        PAYMENT_COLUMNS,
        payment_row,
        counts_rows=False,
    ),
    Measure(
        "dues-payments",
        _("Dues payments"),
        pgettext_lazy("unit", "payments"),
        _("Payments of Party dues recorded for the period's dates of payment (voided payments left out)."),
        payments_valid,
        PAYMENT_COLUMNS,
        payment_row,
        dated="paid_on",
        organization="organization",
    ),
    Measure(
        "dues-members-in-arrears",
        _("Members behind with dues"),
        pgettext_lazy("unit", "people"),
        _("Party members of this subtree behind with their dues by one month or more, now."),
        in_arrears,
        ARREARS_COLUMNS,
        arrears_row,
        stock=True,
        organization="organization",
    ),
    Measure(
        "dues-six-months",
        _("Members six months behind with dues"),
        pgettext_lazy("unit", "people"),
        _(
            "Party members of this subtree who have not paid dues for six months or more, now "
            "(Party Constitution, art. 9)."
        ),
        six_months,
        ARREARS_COLUMNS,
        arrears_row,
        stock=True,
        organization="organization",
    ),
)

figures_register(FigureGroup("dues", _("Party dues"), 45, MEASURES, compute))

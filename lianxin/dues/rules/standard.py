"""The Party dues standard: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(2008).

The monthly amount is read from a band, never from a full salary: the branch chooses the
member's band and enters the monthly amount, and the amount is checked against the band's
range (docs/domain-rules.md §3). Amounts are in yuan.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SOURCE = "中组部《关于中国共产党党费收缴、使用和管理的规定》(2008)"

# 第十三条: a single payment of 1000 yuan or more is handed over in full to the Centre.
CENTRE_THRESHOLD = Decimal("1000.00")
CENTRE_ARTICLE = "第十三条"
# 党章 第九条 / the 2008 rules 第十一条: six months unpaid without good reason → warn.
ARREARS_WARNING_MONTHS = 6
ARREARS_ARTICLE = "党章第九条"
CENT = Decimal("0.01")


class Basis(models.TextChoices):
    """What a member's monthly amount rests on."""

    EMPLOYED_3000 = "employed_3000", _("salary up to 3,000 yuan (0.5%)")
    EMPLOYED_5000 = "employed_5000", _("salary 3,000–5,000 yuan (1%)")
    EMPLOYED_10000 = "employed_10000", _("salary 5,000–10,000 yuan (1.5%)")
    EMPLOYED_ABOVE = "employed_above", _("salary above 10,000 yuan (2%)")
    RETIRED_5000 = "retired_5000", _("pension up to 5,000 yuan (0.5%)")
    RETIRED_ABOVE = "retired_above", _("pension above 5,000 yuan (1%)")
    FARMER = "farmer", _("farmer (0.2–1 yuan)")
    STUDENT = "student", _("student (0.2 yuan)")
    UNEMPLOYED = "unemployed", _("unemployed (0.2 yuan)")
    RELIEF = "relief", _("on relief or subsistence allowance (0.2 yuan)")
    FIXED = "fixed", _("fixed amount agreed by the branch")


@dataclass(frozen=True)
class Band:
    """The range a monthly amount of one basis may take, with the article it rests on."""

    basis: str
    minimum: Decimal  # yuan a month, included
    maximum: Decimal | None  # yuan a month, included; None: no upper bound
    article: str
    rate: Decimal | None = None  # of the monthly income, for the salary and pension bands
    income_from: Decimal | None = None  # the band's income, yuan a month (lower bound excluded)
    income_to: Decimal | None = None  # included

    def range_text(self) -> str:
        if self.maximum is None:
            return f"≥ {self.minimum}"
        if self.minimum == self.maximum:
            return f"{self.minimum}"
        return f"{self.minimum}–{self.maximum}"


def _band(basis: str, rate: str, low: int, high: int | None, article: str) -> Band:
    """A salary or pension band: the amount is the rate of an income inside (low, high]."""
    r = Decimal(rate)
    minimum = (Decimal(low) * r).quantize(CENT) if low else CENT
    maximum = (Decimal(high) * r).quantize(CENT) if high is not None else None
    return Band(basis, minimum, maximum, article, r, Decimal(low), Decimal(high) if high else None)


BANDS: dict[str, Band] = {
    b.basis: b
    for b in (
        _band(Basis.EMPLOYED_3000, "0.005", 0, 3000, "第四条"),
        _band(Basis.EMPLOYED_5000, "0.01", 3000, 5000, "第四条"),
        _band(Basis.EMPLOYED_10000, "0.015", 5000, 10000, "第四条"),
        _band(Basis.EMPLOYED_ABOVE, "0.02", 10000, None, "第四条"),
        _band(Basis.RETIRED_5000, "0.005", 0, 5000, "第五条"),
        _band(Basis.RETIRED_ABOVE, "0.01", 5000, None, "第五条"),
        Band(Basis.FARMER, Decimal("0.20"), Decimal("1.00"), "第六条"),
        Band(Basis.STUDENT, Decimal("0.20"), Decimal("0.20"), "第六条"),
        Band(Basis.UNEMPLOYED, Decimal("0.20"), Decimal("0.20"), "第六条"),
        Band(Basis.RELIEF, Decimal("0.20"), Decimal("0.20"), "第六条"),
        Band(Basis.FIXED, CENT, None, "第九条"),
    )
}

# The most any one month may be assessed at: a guard against a salary typed as an amount.
MONTHLY_AMOUNT_CAP = Decimal("9999.99")


def amount_problem(basis: str, amount: Decimal) -> Promise | str | None:
    """Why `amount` (yuan a month) does not fit `basis`, or None when it does."""
    band = BANDS.get(basis)
    if band is None:
        return _("Choose a basis from the list.")
    if amount != amount.quantize(CENT):
        return _("The monthly amount has at most two decimals.")
    if amount > MONTHLY_AMOUNT_CAP:
        return _("The monthly amount is too large: enter the dues, not the salary.")
    if amount < band.minimum or (band.maximum is not None and amount > band.maximum):
        return _("%(basis)s: the monthly amount must be %(range)s yuan (%(article)s).") % {
            "basis": Basis(basis).label,
            "range": band.range_text(),
            "article": band.article,
        }
    return None


def is_for_centre(amount: Decimal) -> bool:
    """A single payment of 1000 yuan or more goes to the Centre in full (第十三条)."""
    return amount >= CENTRE_THRESHOLD


def is_warned(months_behind: int) -> bool:
    """Six months unpaid: the rules' warning (shown, never acted on by itself)."""
    return months_behind >= ARREARS_WARNING_MONTHS

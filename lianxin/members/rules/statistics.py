"""The bands and categories of the yearly Party statistics (党内统计), as the tables an organization
department reports upward use them (docs/domain-rules.md §8).

The official form changes from year to year, so the bands are numbers here that a locality may
override through settings.LIANXIN_STATISTICS, e.g. {"age_bands": [30, 35, 40, 45, 50, 55, 60, 70, 80]}
(the highest age of each band but the last, which is open). Check them against the current year's
form before relying on them. Nothing here blocks anything: the tables only count.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The Party's founding year: no statistics before it.
FIRST_YEAR = 1921
# The ethnicity most members have; every other one recorded is a minority (少数民族).
HAN = "汉族"
# 光荣在党50年: full members whose party age reached 50 (中组部 2021; the medal's own list is the honours').
MEDAL_PARTY_AGE = 50

# The highest age (or party age) of each band but the last; the last band is open upwards.
AGE_BANDS = (30, 35, 40, 45, 50, 55, 60, 70, 80)
PARTY_AGE_BANDS = (5, 10, 20, 30, 40, 50)

# 入党时间: the periods the national statistics bulletin counts members by when they joined,
# each from its first day (the first from the beginning).
JOINED_PERIODS: tuple[tuple[date | None, Any], ...] = (
    (None, _("before October 1949")),
    (date(1949, 10, 1), _("October 1949 to April 1966")),
    (date(1966, 5, 1), _("May 1966 to October 1976")),
    (date(1976, 11, 1), _("November 1976 to December 1978")),
    (date(1979, 1, 1), _("January 1979 to October 2002")),
    (date(2002, 11, 1), _("November 2002 to October 2012")),
    (date(2012, 11, 1), _("November 2012 and after")),
)


@dataclass(frozen=True)
class Band:
    """Whole years from `low` to `high` (both included); `high` None: and over."""

    key: str
    low: int
    high: int | None
    label: str | Promise


def _overridden(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    overrides: dict[str, Any] = getattr(settings, "LIANXIN_STATISTICS", {})
    return tuple(int(n) for n in overrides.get(name, default))


def _bands(highs: tuple[int, ...], at_most: str, between: str, at_least: str) -> list[Band]:
    bands = []
    low = 0
    for high in highs:
        label = at_most % {"n": high} if low == 0 else between % {"low": low, "high": high}
        bands.append(Band(f"{low}-{high}", low, high, label))
        low = high + 1
    bands.append(Band(f"{low}-", low, None, at_least % {"n": low}))
    return bands


def age_bands() -> list[Band]:
    """Age at the table's date: 30 or younger, 31–35, …, 71–80, 81 or older."""
    return _bands(
        _overridden("age_bands", AGE_BANDS),
        str(_("%(n)s or younger")),
        str(_("%(low)s–%(high)s years old")),
        str(_("%(n)s or older")),
    )


def party_age_bands() -> list[Band]:
    """党龄 at the table's date, in whole years from full membership: 5 or less, 6–10, …, 51 or more."""
    return _bands(
        _overridden("party_age_bands", PARTY_AGE_BANDS),
        str(_("%(n)s years or less")),
        str(_("%(low)s–%(high)s years")),
        str(_("%(n)s years or more")),
    )


def years_before(day: date, years: int) -> date:
    """The day `years` whole years before `day` (29 February falls back to the 28th): someone born
    on it or before is at least `years` old on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)

"""Who a rule draws from the roster for a care round, and the bounds of the money of a visit.

Ages are counted to the round's reference date (1 July for 七一): party age in whole years from the
date the member became a full member (转正日期, `full_on`), age from the date of birth. A member
reaches N years on the day N years after the date, so "party age ≥ 50" on 2026-07-01 includes a
member who became full on 1976-07-01 and not one who became full a day later. A member whose date
is missing is never guessed: no rule on that date draws them.

建国前老党员: joined the Party (`joined_on`) before 1 October 1949.
"""

from dataclasses import dataclass, field
from datetime import date

from lianxin.care.models import TargetGroup

FOUNDING_DAY = date(1949, 10, 1)
# The most years a rule may ask for (a typing slip beyond it).
MAX_YEARS = 120
# Honours recent enough to count: this year and the years before it, at most.
MAX_HONOUR_YEARS = 10


class Rule:
    PARTY_AGE = "party_age"
    AGE = "age"
    PRE_1949 = "pre_1949"
    HARDSHIP = "hardship"
    HONOURED = "honoured"

    ALL = (PARTY_AGE, AGE, PRE_1949, HARDSHIP, HONOURED)
    # The target group each rule's recipients are counted under.
    GROUP = {
        PARTY_AGE: TargetGroup.SENIOR,
        AGE: TargetGroup.SENIOR,
        PRE_1949: TargetGroup.PRE_1949,
        HARDSHIP: TargetGroup.HARDSHIP,
        HONOURED: TargetGroup.OUTSTANDING,
    }


@dataclass(frozen=True)
class DrawRule:
    kind: str
    years: int = 0  # party age or age: at least this many whole years; honoured: within this many years
    honour_kinds: tuple[str, ...] = field(default=("outstanding_member",))

    @property
    def group(self) -> str:
        return Rule.GROUP[self.kind]


def honour_years(year: int, within: int) -> set[int]:
    """The years an honour counts in: `year` and the `within - 1` years before it."""
    return {year - k for k in range(max(within, 1))}

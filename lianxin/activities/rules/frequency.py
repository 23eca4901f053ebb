"""How often each kind of organizational life is required, and the windows (core Periods) it is checked in.

The national defaults come from 《中国共产党支部工作条例（试行）》(2018) art. 11-13 and 19-22; local
overrides are FrequencyRule rows (an organization and everything under it, optionally one
sector, for a date range, possibly exempt). The most specific override in force wins: the
deepest organization, then a sector-specific rule over a general one, then the latest start.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.activities.models import FrequencyRule, Kind
from lianxin.core.periods import Period
from lianxin.organizations.models import CommitteeSeat, Organization

MONTHLY = FrequencyRule.Frequency.MONTHLY
QUARTERLY = FrequencyRule.Frequency.QUARTERLY
YEARLY = FrequencyRule.Frequency.YEARLY

REGULATION = "《中国共产党支部工作条例（试行）》2018"


# Which branches a kind applies to at all, whatever its frequency: a committee meeting needs a
# branch committee, a Party group meeting needs Party groups.
NEEDS_COMMITTEE = "committee"
NEEDS_GROUPS = "groups"
# 《中国共产党支部工作条例（试行）》第六章: a branch with 7 or more full members has a committee; a
# general branch (党总支) always has one. The number is the committee seats' own.
COMMITTEE_MIN_FULL_MEMBERS = CommitteeSeat.COMMITTEE_FROM_FULL_MEMBERS


@dataclass(frozen=True)
class Rule:
    kind: str
    frequency: str  # monthly / quarterly / yearly; empty when exempt
    source: str
    exempt: bool = False
    branch_only: bool = True
    override_id: int | None = None  # the FrequencyRule applied, None for the national default
    needs: str = ""  # NEEDS_COMMITTEE or NEEDS_GROUPS: required only of the branches that have one


NATIONAL_RULES: dict[str, Rule] = {
    Kind.BRANCH_CONGRESS: Rule(
        Kind.BRANCH_CONGRESS, QUARTERLY, f"{REGULATION} 第十一条: 党支部党员大会一般每季度召开1次"
    ),
    Kind.COMMITTEE_MEETING: Rule(
        Kind.COMMITTEE_MEETING,
        MONTHLY,
        f"{REGULATION} 第十二条: 党支部委员会会议一般每月召开1次"
        "（第六章: 有正式党员7人以上的党支部设立党支部委员会; 党总支设总支委员会）",
        needs=NEEDS_COMMITTEE,
    ),
    Kind.GROUP_MEETING: Rule(
        Kind.GROUP_MEETING,
        MONTHLY,
        f"{REGULATION} 第十三条: 划分党小组的党支部, 党小组会一般每月召开1次",
        needs=NEEDS_GROUPS,
    ),
    Kind.PARTY_LECTURE: Rule(
        Kind.PARTY_LECTURE,
        QUARTERLY,
        f"{REGULATION} 第十九条: 党支部书记每年至少为党员讲1次党课; 本地做法: 党课每季度至少1次",
    ),
    Kind.THEME_DAY: Rule(Kind.THEME_DAY, MONTHLY, f"{REGULATION} 第二十条: 每月相对固定1天开展主题党日"),
    Kind.LIFE_MEETING: Rule(Kind.LIFE_MEETING, YEARLY, f"{REGULATION} 第二十一条: 组织生活会一般每年召开1次"),
    Kind.APPRAISAL: Rule(Kind.APPRAISAL, YEARLY, f"{REGULATION} 第二十二条: 民主评议党员一般每年开展1次"),
}
REQUIRED_KINDS: tuple[str, ...] = tuple(NATIONAL_RULES)


def window_label(window: Period, frequency: str) -> str:
    """How the board names a window: 2026-03, 2026 Q2 or 2026."""
    if frequency == MONTHLY:
        return f"{window.start:%Y-%m}"
    if frequency == QUARTERLY:
        return f"{window.start.year} Q{window.quarter_number}"
    return str(window.start.year)


@lru_cache(maxsize=4096)
def window_containing(frequency: str, day: date) -> Period:
    """The month, quarter or year that `day` falls in."""
    if frequency == MONTHLY:
        return Period.month_of(day)
    if frequency == QUARTERLY:
        return Period.quarter_of(day)
    return Period.year(day.year)


def windows(frequency: str, start: date, end: date) -> list[Period]:
    """Every window of `frequency` overlapping [start, end]."""
    found: list[Period] = []
    day = start
    while day <= end:
        window = window_containing(frequency, day)
        found.append(window)
        day = window.end + timedelta(days=1)
    return found


class Placed(Protocol):
    """Where an organization sits, all a rule needs of it: a model instance or the board's Branch."""

    @property
    def path(self) -> str: ...

    @property
    def sector(self) -> str: ...

    @property
    def kind(self) -> str: ...


class RuleBook:
    """The overrides loaded once; `rule_for` then answers without queries."""

    def __init__(self, overrides: Iterable[FrequencyRule]) -> None:
        self.by_kind: dict[str, list[tuple[tuple[int, int, date], FrequencyRule, str]]] = {}
        for rule in overrides:
            path = rule.organization.path
            key = (len(path), 1 if rule.sector else 0, rule.valid_from)
            self.by_kind.setdefault(rule.kind, []).append((key, rule, path))
        for entries in self.by_kind.values():
            entries.sort(key=lambda entry: entry[0], reverse=True)

    @classmethod
    def load(cls, kinds: Iterable[str] = REQUIRED_KINDS) -> "RuleBook":
        return cls(FrequencyRule.objects.filter(kind__in=list(kinds)).select_related("organization"))

    def rule_for(self, organization: "Placed", kind: str, on: date) -> Rule | None:
        """The rule in force for `organization` and `kind` on `on`; None when nothing is required."""
        for _key, override, path in self.by_kind.get(kind, ()):
            if not organization.path.startswith(path):
                continue
            if override.sector and override.sector != organization.sector:
                continue
            if override.valid_from > on or (override.valid_until is not None and override.valid_until < on):
                continue
            return Rule(
                kind,
                "" if override.exempt else override.frequency,
                override.source,
                exempt=override.exempt,
                override_id=override.pk,
                needs=national_needs(kind),
            )
        national = NATIONAL_RULES.get(kind)
        if national is None:
            return None
        if national.branch_only and organization.kind not in Organization.BRANCH_KINDS:
            return None
        return national


def national_needs(kind: str) -> str:
    national = NATIONAL_RULES.get(kind)
    return national.needs if national else ""


def rule_for(organization: Organization, kind: str, on: date) -> Rule | None:
    """The rule for one organization, kind and day, reading the overrides for that kind. Whether the
    organization has the committee or the groups a rule `needs` is the board's to check."""
    return RuleBook.load([kind]).rule_for(organization, kind, on)


FREQUENCY_LABELS: dict[str, Promise] = {
    MONTHLY: gettext_lazy("monthly"),
    QUARTERLY: gettext_lazy("quarterly"),
    YEARLY: gettext_lazy("yearly"),
}


def can_set_rules(user: Viewer, organization: Organization) -> bool:
    """Local rules are set from above: a branch-level organization cannot exempt itself, so its
    rules need an admin of a higher organization; other organizations' admins set their own subtree's."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = roster_scope(user)
    if scope.everything:
        return True
    if organization.kind in Organization.BRANCH_KINDS:
        parent_path = organization.path[: -organization.steplen]
        return bool(parent_path) and scope.contains(parent_path)
    return scope.contains(organization.path)

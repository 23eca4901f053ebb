"""How often each kind of organizational life is required, and the period windows it is checked in.

The national defaults come from 《中国共产党支部工作条例（试行）》(2018) art. 11-13 and 19-22; local
overrides are FrequencyRule rows (an organization and everything under it, optionally one
sector, for a date range, possibly exempt). The most specific override in force wins: the
deepest organization, then a sector-specific rule over a general one, then the latest start.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import roster_scope
from lianxin.activities.models import FrequencyRule, Kind
from lianxin.core.services import event_record
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


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # included

    def label(self, frequency: str) -> str:
        if frequency == MONTHLY:
            return f"{self.start:%Y-%m}"
        if frequency == QUARTERLY:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)


@lru_cache(maxsize=4096)
def window_containing(frequency: str, day: date) -> Window:
    """The month, quarter or year that `day` falls in."""
    if frequency == MONTHLY:
        first_month, months = day.month, 1
    elif frequency == QUARTERLY:
        first_month, months = (day.month - 1) // 3 * 3 + 1, 3
    else:
        first_month, months = 1, 12
    start = date(day.year, first_month, 1)
    next_month = first_month + months
    after = date(day.year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
    return Window(start, after - timedelta(days=1))


def windows(frequency: str, start: date, end: date) -> list[Window]:
    """Every window of `frequency` overlapping [start, end]."""
    found: list[Window] = []
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


FREQUENCY_LABELS: dict[str, Any] = {
    MONTHLY: gettext_lazy("monthly"),
    QUARTERLY: gettext_lazy("quarterly"),
    YEARLY: gettext_lazy("yearly"),
}


def can_set_rules(user: Any, organization: Organization) -> bool:
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


def local_rules_for(organization: Organization) -> QuerySet[FrequencyRule]:
    """The local rules that reach the subtree: set on it or anything under it, or on an organization above it."""
    above = [organization.path[:i] for i in range(organization.steplen, len(organization.path), organization.steplen)]
    return (
        FrequencyRule.objects.filter(
            Q(organization__path__startswith=organization.path) | Q(organization__path__in=above)
        )
        .select_related("organization")
        .order_by("organization__path", "kind", "valid_from")
    )


@transaction.atomic
def frequency_rule_create(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    valid_from: date,
    source: str,
    frequency: str = "",
    exempt: bool = False,
    valid_until: date | None = None,
    sector: str = "",
) -> FrequencyRule:
    """A local frequency or exemption for `kind` in `organization` and below, with the document it rests on."""
    if not can_set_rules(actor, organization):
        raise ValidationError(
            _("Only an admin of a higher organization may set this organization's rules."), code="not_allowed"
        )
    if kind not in NATIONAL_RULES:
        raise ValidationError(_("This kind of activity has no required frequency."), code="bad_kind")
    source = source.strip()
    if not source:
        raise ValidationError(_("Name the document the rule rests on."), code="no_source")
    if exempt:
        frequency = ""
    elif frequency not in FrequencyRule.Frequency.values:
        raise ValidationError(_("Choose monthly, quarterly or yearly, or exempt."), code="bad_frequency")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(_("The rule ends before it starts."), code="reversed_dates")
    if sector and sector not in Organization.Sector.values:
        raise ValidationError(_("Unknown sector."), code="bad_sector")
    rule = FrequencyRule.objects.create(
        kind=kind,
        organization=organization,
        sector=sector,
        frequency=frequency,
        exempt=exempt,
        valid_from=valid_from,
        valid_until=valid_until,
        source=source,
        created_by=actor,
    )
    event_record(
        subject=organization,
        actor=actor,
        verb="frequency_rule_set",
        note=source,
        data={"rule": rule.pk, "kind": kind, "frequency": frequency, "exempt": exempt},
    )
    return rule

"""The 光荣在党50年 list of a subtree for a year, read from the roster: who is due, who needs
checking (no 转正日期: never guessed), who is issued and who not yet, who died before issuance."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.periods import Period
from lianxin.honours.models import MedalAward
from lianxin.honours.rules.eligibility import medal_cutoff
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import Subtree, in_subtree, subtree_children

# The most rows any one part of the list shows on a page (the export has them all).
LIST_MAX = 2000


def _members(org: Organization) -> QuerySet[Member]:
    return Member.objects.filter(in_subtree("organization", org)).select_related("organization")


def medal_eligible(org: Organization, year: int) -> QuerySet[Member]:
    """Living full members of the subtree reaching 50 years by 1 July of `year` (1 July counts)."""
    return (
        _members(org)
        .filter(category=Member.Category.FULL, full_on__lte=medal_cutoff(year))
        # A member receives the medal once: not again when issued for an earlier year.
        .exclude(medal_award__status=MedalAward.Status.ISSUED, medal_award__year__lt=year)
        .select_related("medal_award")
        .order_by("organization__path", "full_on", "name", "id")
    )


def medal_needs_checking(org: Organization) -> QuerySet[Member]:
    """Full members without a 转正日期: listed apart, never guessed."""
    return (
        _members(org)
        .filter(category=Member.Category.FULL, full_on__isnull=True)
        .order_by("organization__path", "name", "id")
    )


def medal_died_before_issuance(org: Organization, year: int) -> QuerySet[Member]:
    """Members who would have been due this year but died before the medal was issued."""
    return (
        _members(org)
        .filter(
            category=Member.Category.FORMER,
            leave_reason=Member.LeaveReason.DECEASED,
            full_on__lte=medal_cutoff(year),
            left_on__gte=date(year, 1, 1),
        )
        .exclude(medal_award__status=MedalAward.Status.ISSUED)
        .order_by("organization__path", "name", "id")
    )


def medals_issued(subtree: Subtree, period: Period) -> QuerySet[MedalAward]:
    """Medals issued in the period to members whose organization (when confirmed) is in the subtree."""
    return (
        MedalAward.objects.filter(in_subtree("organization", subtree), status=MedalAward.Status.ISSUED)
        .filter(issued_on__gte=period.start, issued_on__lte=period.end)
        .select_related("member", "organization")
        .order_by("issued_on", "id")
    )


@dataclass
class DistrictCount:
    organization: Organization
    eligible: int = 0
    issued: int = 0

    @property
    def not_issued(self) -> int:
        return self.eligible - self.issued


@dataclass
class MedalList:
    year: int
    cutoff: date
    issued: list[Member] = field(default_factory=list)
    not_issued: list[Member] = field(default_factory=list)
    needs_checking: list[Member] = field(default_factory=list)
    died: list[Member] = field(default_factory=list)
    by_district: list[DistrictCount] = field(default_factory=list)
    not_issued_by_organization: list[tuple[Organization, list[Member]]] = field(default_factory=list)

    @property
    def eligible_count(self) -> int:
        return len(self.issued) + len(self.not_issued)


def _issued(member: Member) -> bool:
    award = getattr(member, "medal_award", None)
    return award is not None and award.status == MedalAward.Status.ISSUED


def medal_list(org: Organization, year: int) -> MedalList:
    """The year's list for the subtree, in its parts, with counts by the subtree's children."""
    eligible = list(medal_eligible(org, year)[:LIST_MAX])
    result = MedalList(year=year, cutoff=medal_cutoff(year))
    result.issued = [m for m in eligible if _issued(m)]
    result.not_issued = [m for m in eligible if not _issued(m)]
    result.needs_checking = list(medal_needs_checking(org)[:LIST_MAX])
    result.died = list(medal_died_before_issuance(org, year)[:LIST_MAX])
    counts = {child.path: DistrictCount(child) for child in subtree_children(org, limit=200)}
    width = len(org.path) + Organization.steplen  # a child's path: the child each member lies under
    for member in eligible:
        count = counts.get(member.organization.path[:width])
        if count is not None:
            count.eligible += 1
            count.issued += int(_issued(member))
    result.by_district = list(counts.values())
    grouped: dict[int, tuple[Organization, list[Member]]] = {}
    for member in result.not_issued:
        grouped.setdefault(member.organization_id, (member.organization, []))[1].append(member)
    result.not_issued_by_organization = list(grouped.values())
    return result


def medal_counts(org: Organization, year: int) -> Counter[str]:
    """How many of the subtree are issued, not yet issued, need checking, died before issuance."""
    found = medal_list(org, year)
    return Counter(
        issued=len(found.issued),
        not_issued=len(found.not_issued),
        needs_checking=len(found.needs_checking),
        died=len(found.died),
    )


def access_medal_member(user: Viewer, pk: int) -> Member:
    """A member of the viewer's subtree, for confirming and issuing; 404 otherwise."""
    found = (
        Member.objects.filter(roster_scope(user).q("organization__path"), pk=pk)
        .select_related("organization", "medal_award")
        .first()
    )
    if found is None:
        raise Http404
    return found

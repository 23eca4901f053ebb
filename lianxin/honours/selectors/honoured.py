"""Who holds an honour: the contract other apps read (care draws its recipients from it) and the
honours a member's or an organization's page shows."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from lianxin.honours.models import MEMBER_KINDS, MedalAward, Nomination

# The kind value other apps pass for the 光荣在党50年 medal (issued).
MEDAL_50 = "medal_50"
HONOUR_KINDS = (*[str(k) for k in MEMBER_KINDS], MEDAL_50)


def honoured_member_ids(
    *, years: Collection[int], kinds: Collection[str], member_ids: Collection[int] | None = None
) -> set[int]:
    """Members honoured in any of `years` with any of `kinds`: an approved 两优一先 award of a member
    kind ("outstanding_member", "outstanding_worker") in a round of that year, or "medal_50", the
    50-year medal issued for that year. Optionally only among `member_ids`. Unknown kinds match
    nothing. Reads only; the caller scopes the ids."""
    years, kinds = list(set(years)), set(kinds)
    if not years or not kinds or (member_ids is not None and not member_ids):
        return set()
    found: set[int] = set()
    award_kinds = [k for k in kinds if k in MEMBER_KINDS]
    if award_kinds:
        awards = Nomination.objects.filter(
            status=Nomination.Status.APPROVED, round__year__in=years, kind__in=award_kinds, member__isnull=False
        )
        if member_ids is not None:
            awards = awards.filter(member_id__in=list(member_ids))
        found.update(m for m in awards.values_list("member_id", flat=True) if m is not None)
    if MEDAL_50 in kinds:
        medals = MedalAward.objects.filter(status=MedalAward.Status.ISSUED, year__in=years)
        if member_ids is not None:
            medals = medals.filter(member_id__in=list(member_ids))
        found.update(medals.values_list("member_id", flat=True))
    return found


@dataclass(frozen=True)
class Honour:
    """One line of a member's or an organization's honours."""

    year: int
    title: str
    conferred_by: str
    on: date | None


def honours_of_member(member_id: int) -> list[Honour]:
    """A member's approved awards and their 50-year medal, newest first."""
    rows = [
        Honour(n.round.year, n.get_kind_display(), n.round.owner.name, n.approved_at.date() if n.approved_at else None)
        for n in Nomination.objects.filter(member_id=member_id, status=Nomination.Status.APPROVED).select_related(
            "round", "round__owner"
        )
    ]
    medal = (
        MedalAward.objects.filter(member_id=member_id, status=MedalAward.Status.ISSUED)
        .select_related("organization")
        .first()
    )
    if medal is not None:
        rows.append(Honour(medal.year, _("50 years in the Party medal"), medal.organization.name, medal.issued_on))
    return sorted(rows, key=lambda h: (h.year, h.title), reverse=True)


def honours_of_organization(org_id: int) -> list[Honour]:
    """An organization's approved awards (先进基层党组织), newest first."""
    return [
        Honour(n.round.year, n.get_kind_display(), n.round.owner.name, n.approved_at.date() if n.approved_at else None)
        for n in Nomination.objects.filter(nominee_organization_id=org_id, status=Nomination.Status.APPROVED)
        .select_related("round", "round__owner")
        .order_by("-round__year", "-id")
    ]

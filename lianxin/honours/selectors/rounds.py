"""Reads of 两优一先 rounds, scoped: an admin sees the rounds of their subtree and the rounds above
that handed it a quota, and in each only the quotas and nominations of their subtree. The public
sees a round's publicity notice and its published list, nothing else."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lianxin.accounts.permissions import Scope, roster_scope
from lianxin.accounts.types import Viewer
from lianxin.honours.models import AwardKind, HonourRound, Nomination, Objection, Quota
from lianxin.organizations.models import Organization


def _visible(scope: Scope) -> Q:
    return scope.q("owner__path") | Q(pk__in=Quota.objects.filter(scope.q("organization__path")).values("round_id"))


def round_list_visible_to(*, user: Viewer) -> QuerySet[HonourRound]:
    scope = roster_scope(user)
    if scope.is_empty:
        return HonourRound.objects.none()
    return HonourRound.objects.filter(_visible(scope)).select_related("owner").order_by("-year", "owner__path")


def access_round(user: Viewer, pk: int) -> HonourRound:
    """A round the viewer organizes or holds a quota in; 404 otherwise."""
    found = round_list_visible_to(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def nominations_visible_to(*, user: Viewer, round: HonourRound) -> QuerySet[Nomination]:
    """The round's nominations made in the viewer's subtree (all of them for its organizer)."""
    return (
        Nomination.objects.filter(roster_scope(user).q("nominated_by__path"), round=round)
        .select_related("nominated_by", "review_at", "member", "nominee_organization")
        .prefetch_related("reviews__organization", "objections")
        .order_by("kind", "nominated_by__path", "id")
    )


def access_nomination(user: Viewer, pk: int) -> Nomination:
    """A nomination made in the viewer's subtree, or waiting on the viewer's review; 404 otherwise."""
    scope = roster_scope(user)
    found = (
        Nomination.objects.filter(scope.q("nominated_by__path") | scope.q("round__owner__path"), pk=pk)
        .select_related("round", "round__owner", "nominated_by", "review_at", "member", "nominee_organization")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_objection(user: Viewer, pk: int) -> Objection:
    found = (
        Objection.objects.filter(roster_scope(user).q("nomination__round__owner__path"), pk=pk)
        .select_related("nomination", "nomination__round", "nomination__round__owner")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class QuotaLine:
    quota: Quota
    used: int

    @property
    def left(self) -> int:
        return max(self.quota.count - self.used, 0)


def quotas_visible_to(*, user: Viewer, round: HonourRound) -> list[QuotaLine]:
    """The quotas of the viewer's subtree in the round, each with what it holds already."""
    in_scope = Quota.objects.filter(roster_scope(user).q("organization__path"), round=round)
    quotas = list(in_scope.select_related("organization").order_by("organization__path", "kind")[:500])
    # What each holds, as quota_used counts it, in two grouped statements: its own standing
    # nominations, and what its children (in scope whenever it is) hold by quota.
    standing = (
        Nomination.objects.filter(
            round=round, status__in=Nomination.HOLDING_STATUSES, nominated_by_id__in=[q.organization_id for q in quotas]
        )
        .order_by()
        .values_list("nominated_by_id", "kind")
        .annotate(n=Count("pk"))
    )
    own = {(organization_id, kind): n for organization_id, kind, n in standing}
    handed: Counter[tuple[str, str]] = Counter()
    for path, kind, count in in_scope.values_list("organization__path", "kind", "count"):
        handed[(path[: -Organization.steplen], kind)] += count
    return [
        QuotaLine(q, own.get((q.organization_id, q.kind), 0) + handed[(q.organization.path, q.kind)]) for q in quotas
    ]


def quota_holders(*, user: Viewer, round: HonourRound, kind: str = "") -> QuerySet[Organization]:
    """Organizations of the viewer's subtree holding a quota in the round: those that may nominate."""
    quotas = Quota.objects.filter(round=round, count__gt=0)
    if kind:
        quotas = quotas.filter(kind=kind)
    found: QuerySet[Organization] = Organization.objects.filter(
        roster_scope(user).q("path"), pk__in=quotas.values("organization_id")
    )
    return found.order_by("path")


def quota_receivers(*, user: Viewer, round: HonourRound) -> QuerySet[Organization]:
    """Active organizations one level below a quota holder the viewer manages: those it may hand places to."""
    holders = list(quota_holders(user=user, round=round).values_list("path", "depth")[:100])
    if not holders:
        none: QuerySet[Organization] = Organization.objects.none()
        return none
    below = Q(pk__in=[])
    for path, depth in holders:
        below |= Q(path__startswith=path, depth=depth + 1)
    found: QuerySet[Organization] = Organization.objects.filter(below, status=Organization.Status.ACTIVE)
    return found.order_by("path")


# ------------------------------------------------------------------ public


def public_rounds() -> QuerySet[HonourRound]:
    """Rounds whose notice or list is public: in publicity, or published."""
    return (
        HonourRound.objects.filter(status__in=HonourRound.PUBLIC_STATUSES)
        .select_related("owner")
        .order_by("-year", "owner__path")
    )


def public_round(pk: int) -> HonourRound:
    found = public_rounds().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class PublicEntry:
    """All the public may read of a nominee: name, unit, deeds, and the award."""

    kind: str
    name: str
    unit: str
    deeds: str


def public_entries(round: HonourRound) -> list[PublicEntry]:
    """The notice during publicity (those recommended), the list once published (those approved)."""
    status = (
        Nomination.Status.RECOMMENDED if round.status == HonourRound.Status.PUBLICITY else Nomination.Status.APPROVED
    )
    if round.status not in HonourRound.PUBLIC_STATUSES:
        return []
    rows = (
        Nomination.objects.filter(round=round, status=status)
        .order_by("kind", "id")
        .values_list("kind", "name", "unit", "deeds")
    )
    return [PublicEntry(str(AwardKind(kind).label), name, unit, deeds) for kind, name, unit, deeds in rows]


def approved_nominations(round: HonourRound) -> QuerySet[Nomination]:
    return Nomination.objects.filter(round=round, status=Nomination.Status.APPROVED).order_by("kind", "id")

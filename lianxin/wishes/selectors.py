"""Reads of wishes: the public wall, the review queue, a person's own wishes and claims."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.periods import Period
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.selectors import Subtree, area_by_code, in_subtree, organization_by_code
from lianxin.wishes.models import Wish, WishClaim

# What the figures on the wall link to: `?status=` values and the statuses behind them.
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "": (Wish.Status.PUBLISHED,),
    "posted": Wish.PUBLIC_STATUSES,
    "claimed": Wish.CLAIMED_STATUSES,
    "fulfilled": Wish.FULFILLED_STATUSES,
}


@dataclass
class WallFilters:
    category: str = ""
    kind: str = ""
    area: Area | None = None  # this area and everything under it
    organization: Organization | None = None  # this organization and its subtree
    status: str = ""  # a key of STATUS_FILTERS; "" is the open wishes


def wall_filters_from(params: Mapping[str, str]) -> WallFilters:
    """The wall's filters from a page's or the API's query; places are public facts, read as the system."""
    return WallFilters(
        category=params.get("category", ""),
        kind=params.get("kind", ""),
        area=area_by_code(params.get("area")),
        organization=organization_by_code(user=None, code=params.get("org")),
        status=params.get("status", ""),
    )


def _filtered(filters: WallFilters) -> QuerySet[Wish]:
    qs = Wish.objects.filter(status__in=Wish.PUBLIC_STATUSES)
    if filters.category in Wish.Category.values:
        qs = qs.filter(category=filters.category)
    if filters.kind in Wish.Kind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.area is not None:
        qs = qs.filter(organization__area__path__startswith=filters.area.path)
    if filters.organization is not None:
        qs = qs.filter(organization__path__startswith=filters.organization.path)
    return qs


def wish_wall(*, filters: WallFilters) -> QuerySet[Wish]:
    """The public wall: reviewed wishes only; what the page shows of them is masked."""
    statuses = STATUS_FILTERS.get(filters.status, STATUS_FILTERS[""])
    return (
        _filtered(filters)
        .filter(status__in=statuses)
        .select_related("organization", "organization__area")
        .order_by("-published_at", "-id")
    )


@dataclass(frozen=True)
class WishFigures:
    posted: int
    claimed: int
    fulfilled: int


def wish_figures(*, filters: WallFilters) -> WishFigures:
    """Distinct wishes, never claims: a warm-heart task with ten participants counts once."""
    row = _filtered(filters).aggregate(
        posted=Count("pk"),
        claimed=Count("pk", filter=Q(status__in=Wish.CLAIMED_STATUSES)),
        fulfilled=Count("pk", filter=Q(status__in=Wish.FULFILLED_STATUSES)),
    )
    return WishFigures(posted=row["posted"], claimed=row["claimed"], fulfilled=row["fulfilled"])


def access_wish(user: Viewer, pk: int) -> Wish:
    """A reviewed wish is public; before review only its poster and its reviewers find it."""
    visible = Q(status__in=Wish.PUBLIC_STATUSES) | roster_scope(user).q("organization__path")
    if getattr(user, "is_authenticated", False):
        visible |= Q(posted_by_id=user.pk)
    wish = Wish.objects.filter(Q(pk=pk) & visible).select_related("organization", "posted_by").first()
    if wish is None:
        raise Http404
    return wish


def wish_review_queue(*, user: Viewer) -> QuerySet[Wish]:
    """Wishes waiting for review, and fulfilled ones waiting for confirmation, in the user's scope."""
    return (
        Wish.objects.filter(roster_scope(user).q("organization__path"))
        .filter(status__in=(Wish.Status.SUBMITTED, Wish.Status.FULFILLED))
        .select_related("organization")
        .order_by("created_at", "id")
    )


def wishes_reviewed_by(*, user: Viewer) -> QuerySet[Wish]:
    """Every wish whose organization is in the user's roster scope, whatever its state: what they may decide on."""
    return Wish.objects.filter(roster_scope(user).q("organization__path"))


def wish_list_posted_by(*, user: Viewer) -> QuerySet[Wish]:
    return Wish.objects.filter(posted_by_id=user.pk).select_related("organization").order_by("-created_at", "-id")


def wish_claims_of(*, user: Viewer) -> QuerySet[WishClaim]:
    return (
        WishClaim.objects.filter(claimer_id=user.pk)
        .select_related("wish", "wish__organization", "organization")
        .order_by("-claimed_at", "-id")
    )


def active_claims(wish: Wish) -> QuerySet[WishClaim]:
    return wish.claims.filter(withdrawn_at__isnull=True).select_related("claimer", "organization")


# ------------------------------------------------------------------ form choices


def organizations_to_post_for(*, user: Viewer) -> QuerySet[Organization]:
    """Admins post for their subtree; residents choose among the community and village branches."""
    qs: QuerySet[Organization] = Organization.objects.filter(status=Organization.Status.ACTIVE)
    scope = roster_scope(user)
    if scope.is_empty:
        qs = qs.filter(sector__in=(Organization.Sector.COMMUNITY, Organization.Sector.VILLAGE))
    else:
        qs = qs.filter(scope.q("path"))
    return qs.order_by("path")


def organizations_to_claim_for(*, user: Viewer) -> QuerySet[Organization]:
    """An admin claims for a unit or team of their subtree (none for anyone else)."""
    qs: QuerySet[Organization] = Organization.objects.filter(roster_scope(user).q("path"))
    return qs.filter(status=Organization.Status.ACTIVE).order_by("path")


def wishes_posted(org: Subtree, period: Period, statuses: tuple[str, ...] = Wish.PUBLIC_STATUSES) -> QuerySet[Wish]:
    """Wishes of the subtree's communities posted in the period that passed review (as on the wall),
    by what became of them."""
    start, end = period.bounds
    return (
        Wish.objects.filter(in_subtree("organization", org), created_at__gte=start, created_at__lt=end)
        .filter(status__in=statuses)
        .select_related("organization")
        .order_by("created_at", "id")
    )

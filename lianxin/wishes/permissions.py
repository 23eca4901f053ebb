"""Who may do what with a wish: predicates for buttons; the services check the same rules."""

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.permissions import roles_of, roster_scope
from lianxin.accounts.types import Viewer
from lianxin.wishes.models import Wish, WishClaim


def _authenticated(user: Viewer) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def has_member_record(user: Viewer) -> bool:
    return _authenticated(user) and getattr(user, "member", None) is not None


def can_post(user: Viewer) -> bool:
    """Residents post for themselves or a neighbour; organization admins post for their community."""
    if not _authenticated(user):
        return False
    return RoleAssignment.Role.RESIDENT in roles_of(user) or not roster_scope(user).is_empty


def can_post_for(user: Viewer, organization_path: str, kind: str) -> bool:
    if not _authenticated(user):
        return False
    if roster_scope(user).contains(organization_path):
        return True
    # Warm-heart tasks are organized by Party organizations, not posted by residents.
    return kind == Wish.Kind.WISH and RoleAssignment.Role.RESIDENT in roles_of(user)


def can_review(user: Viewer, wish: Wish) -> bool:
    """Review and confirm: the admins whose roster scope holds the wish's organization."""
    return _authenticated(user) and roster_scope(user).contains(wish.organization.path)


def may_claim_at_all(user: Viewer) -> bool:
    """Party members claim as themselves; organization admins claim for their organization."""
    return has_member_record(user) or (_authenticated(user) and not roster_scope(user).is_empty)


def active_claim_of(user: Viewer, wish: Wish) -> WishClaim | None:
    if not _authenticated(user):
        return None
    return wish.claims.filter(claimer_id=user.pk, withdrawn_at__isnull=True).first()


def can_claim(user: Viewer, wish: Wish) -> bool:
    return (
        wish.status == Wish.Status.PUBLISHED
        and may_claim_at_all(user)
        and wish.posted_by_id != user.pk
        and active_claim_of(user, wish) is None
    )


def can_withdraw(user: Viewer, wish: Wish) -> bool:
    allowed = (Wish.Status.PUBLISHED, Wish.Status.CLAIMED) if wish.is_warm_task else (Wish.Status.CLAIMED,)
    return wish.status in allowed and active_claim_of(user, wish) is not None


def can_fulfil(user: Viewer, wish: Wish) -> bool:
    return wish.status == Wish.Status.CLAIMED and active_claim_of(user, wish) is not None


def can_see_timeline(user: Viewer, wish: Wish) -> bool:
    """The poster, the reviewers and anyone who claimed it (even if since withdrawn)."""
    if not _authenticated(user):
        return False
    return wish.posted_by_id == user.pk or can_review(user, wish) or wish.claims.filter(claimer_id=user.pk).exists()

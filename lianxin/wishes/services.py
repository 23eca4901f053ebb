"""Every change to a wish goes through here; each one writes a timeline event.

Claims are race-safe on PostgreSQL and SQLite alike: the state change is a conditional
UPDATE (`... WHERE status = 'published'`), and the row count says who won. SQLite
ignores SELECT ... FOR UPDATE, so a read-then-write check would let two claimers in.
"""

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.parsing import ParseError, normalize_mobile
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.organizations.models import Organization
from lianxin.wishes import notices, permissions
from lianxin.wishes.models import Wish, WishClaim, WishVerb, amount_cap

Status = Wish.Status

# The timestamp each status stamps when a wish enters it.
STAMPS: dict[str, str] = {
    Status.PUBLISHED: "published_at",
    Status.FULFILLED: "fulfilled_at",
    Status.CONFIRMED: "confirmed_at",
}


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this with this wish."), code="forbidden")


def wish_transition(
    *,
    wish: Wish,
    to: str,
    actor: Actor,
    note: str = "",
    verb: str = "",
    conflict: str = "",
    data: dict[str, Any] | None = None,
) -> Wish:
    """Move `wish` to `to` if the table allows it and nobody moved it first; record the event."""
    return state_transition(
        obj=wish,
        to=to,
        actor=actor,
        changes={"reject_reason": note} if to == Status.REJECTED else None,
        stamps=STAMPS,
        note=note,
        verb=verb,
        conflict=conflict or _("This wish has just been changed by someone else; reload the page."),
        data=data,
    )


def _clean_amount(amount: Decimal | None) -> Decimal | None:
    if amount is None:
        return None
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative_amount")
    cap = amount_cap()
    if amount > cap:
        raise ValidationError(
            _("The amount %(amount)s yuan is over the cap of %(cap)s yuan for one wish.")
            % {"amount": amount, "cap": cap},
            code="amount_over_cap",
        )
    return amount


@transaction.atomic
def wish_post(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    category: str,
    beneficiary_name: str,
    description: str = "",
    beneficiary_phone: str = "",
    amount: Decimal | None = None,
    kind: str = Wish.Kind.WISH,
    capacity: int = 1,
) -> Wish:
    """A resident or a community admin posts a wish; it waits for the organization's review."""
    if not permissions.can_post_for(actor, organization.path, kind):
        raise _not_allowed()
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    title, beneficiary_name = title.strip(), beneficiary_name.strip()
    if not title:
        raise ValidationError(_("Say what the wish is."), code="no_title")
    if not beneficiary_name:
        raise ValidationError(_("Say whom the wish is for."), code="no_beneficiary")
    if category not in Wish.Category.values:
        raise ValidationError(_("Unknown category %(value)s.") % {"value": category}, code="category")
    if kind not in Wish.Kind.values:
        raise ValidationError(_("Unknown kind %(value)s.") % {"value": kind}, code="kind")
    if kind == Wish.Kind.WISH:
        capacity = 1
    elif capacity < 1:
        raise ValidationError(_("A warm-heart task needs at least one participant."), code="capacity")
    try:
        phone = normalize_mobile(beneficiary_phone)
    except ParseError as exc:
        raise ValidationError(str(exc.message), code="phone") from exc
    wish = Wish.objects.create(
        kind=kind,
        title=title,
        description=description.strip(),
        category=category,
        beneficiary_name=beneficiary_name,
        beneficiary_phone=phone,
        amount=_clean_amount(amount),
        organization=organization,
        posted_by=actor,
        capacity=capacity,
    )
    event_record(subject=wish, actor=actor, verb=WishVerb.POSTED, to_state=wish.status)
    notices.tell_wish_submitted(wish, actor=actor)
    return wish


@transaction.atomic
def wish_review(*, wish: Wish, actor: Actor, approve: bool, reason: str = "") -> Wish:
    """The community organization publishes a wish to the wall, or rejects it with a reason."""
    if not permissions.can_review(actor, wish):
        raise _not_allowed()
    if approve:
        return wish_transition(wish=wish, to=Status.PUBLISHED, actor=actor, note=reason.strip(), verb=WishVerb.REVIEWED)
    if not reason.strip():
        raise ValidationError(_("Say why the wish is rejected."), code="no_reason")
    return wish_transition(wish=wish, to=Status.REJECTED, actor=actor, note=reason.strip(), verb=WishVerb.REJECTED)


# The most rows one bulk decision may touch: a review list shows at most this many.
BULK_MAX = 200


@transaction.atomic
def wish_review_bulk(*, actor: Actor, wish_ids: Collection[int], approve: bool, reason: str = "") -> list[Wish]:
    """Publish (or reject with one reason) every wish ticked on the review list: all of them or none.

    Every id must be a wish awaiting review in the actor's scope; otherwise nothing is written and
    the error says which rows are wrong. Each wish still goes through wish_review (its own event)."""
    ids = set(wish_ids)
    if not ids:
        raise ValidationError(_("Tick at least one wish."), code="none_ticked")
    if len(ids) > BULK_MAX:
        raise ValidationError(_("Decide at most %(n)s wishes at a time.") % {"n": BULK_MAX}, code="too_many")
    if not approve and not reason.strip():
        raise ValidationError(_("Say why the wish is rejected."), code="no_reason")
    wishes = list(
        Wish.objects.select_for_update()
        .filter(roster_scope(actor).q("organization__path"), pk__in=ids)
        .select_related("organization")
        .order_by("created_at", "id")
    )
    if len(wishes) != len(ids):
        # Out of scope and unknown read the same: the error never confirms a record it will not show.
        missing = len(ids) - len(wishes)
        raise ValidationError(
            _("%(n)s of the ticked wishes are not among those you may review; nothing was changed.") % {"n": missing},
            code="out_of_scope",
        )
    decided = [wish.title for wish in wishes if wish.status != Status.SUBMITTED]
    if decided:
        raise ValidationError(
            _("No longer awaiting review: %(titles)s. Nothing was changed; the list now shows what still waits.")
            % {"titles": "、".join(decided)},
            code="not_submitted",
        )
    for wish in wishes:
        wish_review(wish=wish, actor=actor, approve=approve, reason=reason)
    return wishes


def _not_open(wish: Wish, taken: str) -> ValidationError:
    """Claimed (or full) while this person looked: a conflict; any other state: not open at all."""
    if wish.status == Status.CLAIMED:
        return ValidationError(taken, code="conflict")
    return ValidationError(_("This wish is not open for claims."), code="not_open")


def _claim_organization(actor: Actor, organization: Organization | None) -> Organization | None:
    """A unit or team claim needs an admin of that organization; a personal one a member record."""
    if organization is not None:
        if not roster_scope(actor).contains(organization.path):
            raise _not_allowed()
        return organization
    if permissions.has_member_record(actor):
        return None
    if permissions.may_claim_at_all(actor):
        raise ValidationError(_("Choose the organization you claim for."), code="organization_needed")
    raise ValidationError(_("Only Party members and organizations can claim wishes."), code="not_a_member")


@transaction.atomic
def wish_claim(*, wish: Wish, actor: Actor, organization: Organization | None = None, note: str = "") -> WishClaim:
    """Claim a wish, or take a place on a warm-heart task. Of simultaneous claimers, one wins."""
    organization = _claim_organization(actor, organization)
    if wish.posted_by_id is not None and wish.posted_by_id == actor.pk:
        raise ValidationError(_("You cannot claim a wish you posted."), code="own_wish")
    if WishClaim.objects.filter(wish=wish, claimer=actor, withdrawn_at__isnull=True).exists():
        raise ValidationError(_("You have already claimed this wish."), code="already_claimed")
    taken = _("Someone else has just claimed this wish.")
    if wish.is_warm_task:
        full = _("The last place on this task has just been taken.")
        if wish.status != Status.PUBLISHED:
            raise _not_open(wish, full)
        # Conditional increment: the database refuses a place beyond capacity, whoever asks first.
        if not Wish.objects.filter(pk=wish.pk, status=Status.PUBLISHED, claimed_count__lt=F("capacity")).update(
            claimed_count=F("claimed_count") + 1
        ):
            raise ValidationError(full, code="conflict")
        wish.claimed_count = Wish.objects.values_list("claimed_count", flat=True).get(pk=wish.pk)
        claim = WishClaim.objects.create(wish=wish, claimer=actor, organization=organization, note=note)
        data = {"participants": wish.claimed_count, "capacity": wish.capacity}
        if wish.claimed_count >= wish.capacity:
            wish_transition(wish=wish, to=Status.CLAIMED, actor=actor, note=note, verb=WishVerb.JOINED, data=data)
            notices.tell_wish_claimed(wish, actor=actor, claim=claim)  # the task is fully taken
        else:
            event_record(subject=wish, actor=actor, verb=WishVerb.JOINED, note=note, data=data)
        return claim
    if wish.status != Status.PUBLISHED:
        raise _not_open(wish, taken)
    wish_transition(wish=wish, to=Status.CLAIMED, actor=actor, note=note, verb=WishVerb.CLAIMED, conflict=taken)
    Wish.objects.filter(pk=wish.pk).update(claimed_count=1)
    wish.claimed_count = 1
    claim = WishClaim.objects.create(wish=wish, claimer=actor, organization=organization, note=note)
    notices.tell_wish_claimed(wish, actor=actor, claim=claim)
    return claim


def _own_active_claim(wish: Wish, actor: Actor) -> WishClaim:
    claim = permissions.active_claim_of(actor, wish)
    if claim is None:
        raise ValidationError(_("Only the claimer can do this."), code="not_claimer")
    return claim


@transaction.atomic
def wish_withdraw(*, wish: Wish, actor: Actor, note: str = "") -> Wish:
    """The claimer steps back before fulfilling; the wish (or the place) returns to the wall."""
    claim = _own_active_claim(wish, actor)
    if not permissions.can_withdraw(actor, wish):
        raise ValidationError(_("A fulfilled wish can no longer be withdrawn from."), code="too_late")
    # Conditional: a double click withdraws once and gives back one place.
    if not WishClaim.objects.filter(pk=claim.pk, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now()):
        raise ValidationError(_("This claim was already withdrawn."), code="conflict")
    Wish.objects.filter(pk=wish.pk).update(claimed_count=F("claimed_count") - 1)
    wish.claimed_count -= 1
    if wish.status == Status.CLAIMED:
        return wish_transition(wish=wish, to=Status.PUBLISHED, actor=actor, note=note, verb=WishVerb.WITHDRAWN)
    event_record(subject=wish, actor=actor, verb=WishVerb.WITHDRAWN, note=note)
    return wish


@transaction.atomic
def wish_fulfil(*, wish: Wish, actor: Actor, note: str = "") -> Wish:
    """The claimer (any participant of a task) says the wish has come true."""
    _own_active_claim(wish, actor)
    wish_transition(wish=wish, to=Status.FULFILLED, actor=actor, note=note, verb=WishVerb.FULFILLED)
    notices.tell_wish_fulfilled(wish, actor=actor)
    return wish


@transaction.atomic
def wish_confirm(*, wish: Wish, actor: Actor, note: str = "") -> Wish:
    """The community organization confirms with the beneficiary that the wish came true."""
    if not permissions.can_review(actor, wish):
        raise _not_allowed()
    wish_transition(wish=wish, to=Status.CONFIRMED, actor=actor, note=note, verb=WishVerb.CONFIRMED)
    notices.tell_wish_confirmed(wish, actor=actor)
    return wish

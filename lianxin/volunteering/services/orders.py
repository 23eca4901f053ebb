"""Orders (点单 → 派单 → 接单 → 服务 → 评单): every step is a service and a timeline event.

Each move goes through `state_transition`, a conditional UPDATE on the status the caller
read, so of two simultaneous moves (two dispatchers, a rating racing the nightly close)
exactly one wins on PostgreSQL and SQLite alike.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.core.uploads import photo_clean, photo_max_bytes
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering import notices, permissions
from lianxin.volunteering.models import Order, OrderPhoto, OrderVerb, ServiceItem, Team
from lianxin.volunteering.models.orders import rating_days

Status = Order.Status

STAMPS: dict[str, str] = {
    Status.DISPATCHED: "dispatched_at",
    Status.ACCEPTED: "accepted_at",
    Status.SERVED: "served_at",
    Status.RATED: "closed_at",
    Status.UNRATED: "closed_at",
    Status.CANCELLED: "closed_at",
}

# Photos are optional evidence of a service; lianxin.core.uploads decodes them and stores a clean copy.
MAX_PHOTOS = 9


def order_transition(
    *,
    order: Order,
    to: str,
    actor: Actor | None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    verb: OrderVerb,
    data: dict[str, Any] | None = None,
) -> Order:
    return state_transition(
        obj=order,
        to=to,
        actor=actor,
        changes=changes,
        stamps=STAMPS,
        note=note,
        verb=verb,
        conflict=_("This order has just been changed by someone else; reload the page."),
        data=data,
    )


def _forbidden(message: str = "") -> ValidationError:
    return ValidationError(message or _("You are not allowed to do this with this order."), code="forbidden")


def item_serves(item: ServiceItem, area: Area) -> bool:
    """The item's own areas, or its team's when it has none; an empty list serves everywhere."""
    served = list(item.areas.all()) or list(item.team.areas.all())
    return not served or any(area.path.startswith(a.path) for a in served)


def _ordering_organization(actor: Actor, organization: Organization | None) -> Organization | None:
    if organization is None:
        return None
    if not roster_scope(actor).contains(organization.path):
        raise _forbidden(_("You can only order for an organization you administer."))
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization}, code="inactive")
    return organization


@transaction.atomic
def order_place(
    *,
    actor: Actor,
    item: ServiceItem,
    area: Area,
    place: str,
    starts_on: date,
    ends_on: date,
    expected_beneficiaries: int,
    note: str = "",
    ordering_organization: Organization | None = None,
    today: date | None = None,
) -> Order:
    """A resident, a member or an organization admin (for their organization) orders a service."""
    if not permissions.can_place_order(actor):
        raise _forbidden(_("Sign in as a resident, a Party member or an organization admin to order a service."))
    ordering_organization = _ordering_organization(actor, ordering_organization)
    if not (item.is_active and item.team.is_active and item.category.is_active):
        raise ValidationError(_("This service is no longer on the menu."), code="inactive_item")
    today = today or timezone.localdate()
    place = place.strip()
    if not place:
        raise ValidationError(_("Say where the service is needed."), code="no_place")
    if starts_on < today:
        raise ValidationError(_("The service cannot start in the past."), code="past")
    if ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."), code="dates")
    if expected_beneficiaries is None or expected_beneficiaries < 1:
        raise ValidationError(_("Expect at least one beneficiary."), code="beneficiaries")
    if not item_serves(item, area):
        raise ValidationError(
            _("%(item)s is not offered in %(area)s.") % {"item": item, "area": area}, code="area_not_served"
        )
    order = Order.objects.create(
        item=item,
        owner=item.team.organization,
        ordered_by=actor,
        ordering_organization=ordering_organization,
        area=area,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
        expected_beneficiaries=expected_beneficiaries,
        note=note.strip(),
    )
    event_record(subject=order, actor=actor, verb=OrderVerb.ORDERED, to_state=order.status)
    notices.tell_order_placed(order, actor=actor)
    return order


@transaction.atomic
def order_dispatch(*, order: Order, actor: Actor, team: Team, note: str = "") -> Order:
    """The owning organization sends the order to a team."""
    if not permissions.is_owner_admin(actor, order):
        raise _forbidden(_("Only the admins of %(name)s can dispatch this order.") % {"name": order.owner})
    if not team.is_active:
        raise ValidationError(
            _("%(name)s is no longer active; choose another team.") % {"name": team}, code="inactive_team"
        )
    order_transition(
        order=order,
        to=Status.DISPATCHED,
        actor=actor,
        changes={"team": team, "decline_reason": ""},
        note=note.strip(),
        verb=OrderVerb.DISPATCHED,
        data={"team": team.name, "to": team.name},
    )
    notices.tell_order_dispatched(order, actor=actor)
    return order


def _leader_only(actor: Actor, order: Order) -> None:
    if not permissions.is_team_leader(actor, order.team):
        if order.team is None:
            raise _forbidden(_("This order has not been dispatched to a team."))
        raise _forbidden(_("Only the leader of %(name)s can do this.") % {"name": order.team})


@transaction.atomic
def order_accept(*, order: Order, actor: Actor, note: str = "") -> Order:
    _leader_only(actor, order)
    order_transition(order=order, to=Status.ACCEPTED, actor=actor, note=note.strip(), verb=OrderVerb.ACCEPTED)
    notices.tell_order_accepted(order, actor=actor)
    return order


@transaction.atomic
def order_decline(*, order: Order, actor: Actor, reason: str) -> Order:
    """The leader declines with a reason; the order goes back to its owner for another dispatch."""
    _leader_only(actor, order)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the team declines."), code="no_reason")
    team_name = order.team.name if order.team else ""
    order_transition(
        order=order,
        to=Status.ORDERED,
        actor=actor,
        changes={"team": None, "decline_reason": reason[:200]},
        note=reason,
        verb=OrderVerb.DECLINED,
        data={"team": team_name},
    )
    notices.tell_order_declined(order, actor=actor, team_name=team_name)
    return order


@transaction.atomic
def order_serve(
    *,
    order: Order,
    actor: Actor,
    beneficiaries: int,
    service_note: str = "",
    photos: Iterable[UploadedFile] = (),
) -> Order:
    """The team records what was done and how many people it reached; photos are optional."""
    _leader_only(actor, order)
    if beneficiaries is None or beneficiaries < 1:
        raise ValidationError(_("Record at least one beneficiary (person-times)."), code="beneficiaries")
    photo_list = list(photos)
    if len(photo_list) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS}, code="photo_count")
    limit = photo_max_bytes("LIANXIN_ORDER_PHOTO_MAX_BYTES")
    cleaned = [photo_clean(photo, max_bytes=limit) for photo in photo_list]
    order_transition(
        order=order,
        to=Status.SERVED,
        actor=actor,
        changes={"beneficiaries": beneficiaries, "service_note": service_note.strip()},
        note=service_note.strip(),
        verb=OrderVerb.SERVED,
        data={"beneficiaries": beneficiaries, "photos": len(photo_list)},
    )
    for photo in cleaned:
        OrderPhoto.objects.create(order=order, image=photo, uploaded_by=actor)
    notices.tell_order_served(order, actor=actor)
    return order


@transaction.atomic
def order_rate(*, order: Order, actor: Actor, rating: int, comment: str = "") -> Order:
    """The orderer rates the service 1 to 5, once."""
    if not permissions.is_orderer(actor, order):
        raise _forbidden(_("Only the orderer can rate this order."))
    if order.status == Status.RATED:
        raise ValidationError(_("This order has already been rated."), code="already_rated")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError(_("A rating is a whole number from 1 to 5."), code="rating")
    comment = comment.strip()[:500]
    return order_transition(
        order=order,
        to=Status.RATED,
        actor=actor,
        changes={"rating": rating, "rating_comment": comment},
        note=comment,
        verb=OrderVerb.RATED,
        data={"rating": rating},
    )


@transaction.atomic
def order_cancel(*, order: Order, actor: Actor, reason: str = "") -> Order:
    """The orderer or the owning organization cancels an order that is still open."""
    if not (permissions.is_orderer(actor, order) or permissions.is_owner_admin(actor, order)):
        raise _forbidden(_("Only the orderer or the dispatching organization can cancel this order."))
    return order_transition(
        order=order, to=Status.CANCELLED, actor=actor, note=reason.strip(), verb=OrderVerb.CANCELLED
    )


def order_close_unrated(*, now: datetime | None = None) -> int:
    """Close served orders left unrated past the rating window as "not rated" (never five stars)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=rating_days())
    closed = 0
    due = Order.objects.filter(status=Status.SERVED, served_at__lte=cutoff).select_related("item").order_by("pk")
    for order in due.iterator():
        try:
            with transaction.atomic():
                order_transition(
                    order=order,
                    to=Status.UNRATED,
                    actor=None,
                    verb=OrderVerb.CLOSED_UNRATED,
                    data={"rating_days": rating_days()},
                )
        except ValidationError:
            # Rated (or otherwise moved) since it was read: the orderer's rating wins.
            continue
        closed += 1
    return closed

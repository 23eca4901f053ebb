"""Duplicates and hot spots: one problem raised many times is handled once and counted as one.

Merging marks a demand as a duplicate of another open demand (it leaves the resolution
rate's denominator) and notes it on both timelines. A hot spot groups repeated complaints
about one thing (seed 003: square-dance noise) without closing any of them, so each
resident still gets an answer, and the page counts them together.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.demands import permissions
from lianxin.demands.models import Demand, DemandCategory, DemandVerb, HotSpot, HotSpotVerb
from lianxin.demands.services.handling import demand_reject
from lianxin.organizations.models import Area


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this with this demand."), code="forbidden")


@transaction.atomic
def demand_merge(*, demand: Demand, into: Demand, actor: Actor, reason: str) -> Demand:
    """Mark `demand` a duplicate of the open demand `into`; both timelines say so.

    A merged demand joins the hot spot of the demand it was merged into, so the hot spot
    still counts every time the problem was raised."""
    demand_reject(demand=demand, actor=actor, kind=Demand.Status.DUPLICATE, reason=reason, duplicate_of=into)
    if into.hot_spot_id and demand.hot_spot_id is None:
        Demand.objects.filter(pk=demand.pk, hot_spot__isnull=True).update(hot_spot_id=into.hot_spot_id)
        demand.hot_spot_id = into.hot_spot_id
    event_record(
        subject=into,
        actor=actor,
        verb=DemandVerb.MERGED_IN,
        note=demand.reason,
        data={"duplicate": demand.pk, "title": demand.title},
    )
    return demand


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Name the hot spot in a few words."), code="no_title")
    return title[:120]


def _grouped(*, hot_spot: HotSpot, demands: Iterable[Demand], actor: Actor) -> list[Demand]:
    """Put `demands` in `hot_spot`; each must be visible to `actor`, in its area and in no other hot spot."""
    chosen = list({d.pk: d for d in demands}.values())
    if not chosen:
        raise ValidationError(_("Choose at least one demand for the hot spot."), code="no_demands")
    area_path = hot_spot.area.path
    for demand in chosen:
        if not permissions.can_see(actor, demand):
            raise _not_allowed()
        if not demand.area.path.startswith(area_path):
            raise ValidationError(
                _("Demand %(pk)s is about %(area)s, outside %(hot_spot_area)s.")
                % {"pk": demand.pk, "area": demand.area.name, "hot_spot_area": hot_spot.area.name},
                code="outside_area",
            )
        if demand.hot_spot_id is not None:
            raise ValidationError(
                _("Demand %(pk)s already belongs to a hot spot.") % {"pk": demand.pk}, code="already_grouped"
            )
    ids = [d.pk for d in chosen]
    # Conditional: a demand grouped by someone else meanwhile is not taken from their hot spot.
    if Demand.objects.filter(pk__in=ids, hot_spot__isnull=True).update(hot_spot=hot_spot) != len(ids):
        raise ValidationError(
            _("One of these demands has just been put in a hot spot by someone else; reload the page."),
            code="conflict",
        )
    for demand in chosen:
        demand.hot_spot = hot_spot
        event_record(subject=demand, actor=actor, verb=DemandVerb.HOT_SPOT_ADDED, data={"hot_spot": hot_spot.pk})
    return chosen


@transaction.atomic
def hot_spot_create(
    *, actor: Actor, title: str, area: Area | None, category: DemandCategory, demands: Iterable[Demand]
) -> HotSpot:
    """Group repeated complaints about one thing in `area` into a new hot spot."""
    if not permissions.can_collect_at_all(actor):
        raise _not_allowed()
    title = _title(title)
    demands = list(demands)
    if not demands:
        raise ValidationError(_("Choose at least one demand for the hot spot."), code="no_demands")
    if area is None:
        raise ValidationError(_("The demands of one hot spot must lie in one area."), code="area")
    if category is None or not DemandCategory.objects.filter(pk=category.pk, is_active=True).exists():
        raise ValidationError(_("Choose the category of the hot spot."), code="category")
    hot_spot = HotSpot.objects.create(title=title, area=area, category=category, created_by=actor)
    chosen = _grouped(hot_spot=hot_spot, demands=demands, actor=actor)
    event_record(subject=hot_spot, actor=actor, verb=HotSpotVerb.CREATED, data={"demands": [d.pk for d in chosen]})
    return hot_spot


@transaction.atomic
def hot_spot_add(*, hot_spot: HotSpot, demands: Iterable[Demand], actor: Actor) -> HotSpot:
    """Add more complaints about the same thing to a hot spot."""
    if not permissions.can_collect_at_all(actor):
        raise _not_allowed()
    chosen = _grouped(hot_spot=hot_spot, demands=demands, actor=actor)
    event_record(
        subject=hot_spot, actor=actor, verb=HotSpotVerb.DEMANDS_ADDED, data={"demands": [d.pk for d in chosen]}
    )
    return hot_spot


@transaction.atomic
def hot_spot_remove(*, hot_spot: HotSpot, demand: Demand, actor: Actor) -> HotSpot:
    """Take a demand that was grouped by mistake out of a hot spot."""
    if not permissions.can_see(actor, demand) or not permissions.can_collect_at_all(actor):
        raise _not_allowed()
    if not Demand.objects.filter(pk=demand.pk, hot_spot=hot_spot).update(hot_spot=None):
        raise ValidationError(_("Demand %(pk)s is not in this hot spot.") % {"pk": demand.pk}, code="not_grouped")
    demand.hot_spot = None
    event_record(subject=demand, actor=actor, verb=DemandVerb.HOT_SPOT_REMOVED, data={"hot_spot": hot_spot.pk})
    event_record(subject=hot_spot, actor=actor, verb=HotSpotVerb.DEMAND_REMOVED, data={"demand": demand.pk})
    return hot_spot

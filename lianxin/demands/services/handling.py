"""Every change to a demand from collection to resolution goes through here; each one is on
the timeline. The follow-up with the resident and escalation live in services_followup.

Status changes are conditional UPDATEs (lianxin.core.transitions.state_transition), so of two
people acting on one demand at once exactly one wins, on PostgreSQL and SQLite alike.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.accounts.types import Actor, Viewer
from lianxin.core.crypto import lookup_hash
from lianxin.core.parsing import ParseError, normalize_mobile
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.core.workdays import add_working_days
from lianxin.demands import permissions
from lianxin.demands.models import Demand, DemandCategory, DemandVerb
from lianxin.demands.services.notifying import notify_assigned, notify_resolved
from lianxin.organizations.models import Area, Organization

Status = Demand.Status
Source = Demand.Source

# The timestamp each status stamps when a demand enters it.
STAMPS: dict[str, str] = {
    Status.ACCEPTED: "accepted_at",
    Status.ASSIGNED: "assigned_at",
    Status.RESOLVED: "resolved_at",
    Status.CLOSED: "closed_at",
    Status.UNRESOLVABLE: "closed_at",
    Status.NOT_OURS: "closed_at",
    Status.DUPLICATE: "closed_at",
}

# Sources that need no staff account: a resident's own page, an Open311 client, another module's code.
UNATTENDED_SOURCES = (Source.PUBLIC, Source.OPEN311, Source.MODULE)

REJECT_KINDS = (Status.NOT_OURS, Status.DUPLICATE)


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this with this demand."), code="forbidden")


def _conflict() -> str:
    return _("This demand has just been changed by someone else; reload the page.")


def demand_transition(
    *,
    demand: Demand,
    to: str,
    actor: Actor | Viewer | None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    verb: str = "",
    conflict: str = "",
    data: dict[str, Any] | None = None,
) -> Demand:
    return state_transition(
        obj=demand,
        to=to,
        actor=actor,
        changes=changes,
        stamps=STAMPS,
        note=note,
        verb=verb,
        conflict=conflict or _conflict(),
        data=data,
    )


def _required(value: str, message: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code=code)
    return value


def _category(category: DemandCategory | str | None) -> DemandCategory:
    if isinstance(category, DemandCategory):
        found: DemandCategory | None = DemandCategory.objects.filter(pk=category.pk, is_active=True).first()
    else:
        found = DemandCategory.objects.filter(code=category or "", is_active=True).first()
    if found is None:
        shown = category.code if isinstance(category, DemandCategory) else category
        raise ValidationError(_("Unknown demand category %(value)s.") % {"value": shown or "—"}, code="category")
    return found


def _coordinate(value: Any, limit: int, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("The %(name)s %(value)s is not a number.") % {"name": name, "value": value}) from exc
    if not -limit <= number <= limit:
        raise ValidationError(
            _("The %(name)s %(value)s is out of range.") % {"name": name, "value": value}, code="coordinate"
        )
    return number


def _active_organization(organization: Organization | None, what: str) -> Organization:
    if organization is None:
        raise ValidationError(_("Choose the %(what)s.") % {"what": what}, code="organization")
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    return organization


def _phone(submitter_phone: str) -> str:
    try:
        return normalize_mobile(submitter_phone)
    except ParseError as exc:
        raise ValidationError(str(exc.message), code="phone") from exc


def _hotline_number(hotline_number: str) -> str:
    """The 12345 work order number, refused when it is already recorded."""
    hotline_number = (hotline_number or "").strip()[:40]
    if hotline_number and Demand.objects.filter(hotline_number=hotline_number).exists():
        raise ValidationError(
            _("The 12345 work order %(number)s is already recorded.") % {"number": hotline_number},
            code="hotline_number_taken",
        )
    return hotline_number


def _source_of(source_object: models.Model | None) -> tuple[ContentType | None, int | None]:
    if source_object is None:
        return None, None
    if source_object.pk is None:
        raise ValidationError(_("The record the demand comes from is not saved."), code="source_object")
    return ContentType.objects.get_for_model(source_object), source_object.pk


@transaction.atomic
def demand_create(
    *,
    actor: Viewer | None,
    source: str,
    title: str,
    description: str,
    category: DemandCategory | str,
    area: Area | None,
    organization: Organization,
    address: str = "",
    submitter_name: str = "",
    submitter_phone: str = "",
    source_object: models.Model | None = None,
    hotline_number: str = "",
    lat: Any = None,
    long: Any = None,
) -> Demand:
    """Record a demand as collected; it waits for the collecting organization to accept it.

    Residents (public page), Open311 clients and other modules may submit without a staff
    account (`actor` None, or anonymous); every other source is recorded by an admin or handler of `organization`.
    """
    if source not in Source.values:
        raise ValidationError(_("Unknown source %(value)s.") % {"value": source}, code="source")
    organization = _active_organization(organization, _("collecting organization"))
    unattended = source in UNATTENDED_SOURCES
    if not unattended and (actor is None or not permissions.can_collect_for(actor, organization.path)):
        raise _not_allowed()
    if area is None or not isinstance(area, Area):
        raise ValidationError(_("Choose the area the demand is about."), code="area")
    title = _required(title, _("Say in a few words what the demand is."), "no_title")
    description = _required(description, _("Describe the demand."), "no_description")
    found_category = _category(category)
    phone = _phone(submitter_phone)
    hotline_number = _hotline_number(hotline_number)
    source_type, source_id = _source_of(source_object)
    demand = Demand.objects.create(
        title=title[:120],
        description=description,
        category=found_category,
        area=area,
        address=(address or "").strip()[:200],
        lat=_coordinate(lat, 90, _("latitude")),
        long=_coordinate(long, 180, _("longitude")),
        source=source,
        source_type=source_type,
        source_id=source_id,
        hotline_number=hotline_number,
        organization=organization,
        submitter_name=(submitter_name or "").strip()[:50],
        submitter_phone=phone,
        submitter_phone_hash=lookup_hash(phone),
        submitted_by=actor if isinstance(actor, User) and actor.is_authenticated else None,
    )
    event_record(
        subject=demand, actor=actor, verb=DemandVerb.COLLECTED, to_state=demand.status, data={"source": source}
    )
    return demand


@transaction.atomic
def demand_accept(*, demand: Demand, actor: Actor, note: str = "") -> Demand:
    """The collecting organization takes the demand on."""
    if not permissions.is_collector(actor, demand):
        raise _not_allowed()
    return demand_transition(
        demand=demand, to=Status.ACCEPTED, actor=actor, note=note.strip(), verb=DemandVerb.ACCEPTED
    )


@transaction.atomic
def demand_reject(
    *, demand: Demand, actor: Actor, kind: str, reason: str, duplicate_of: Demand | None = None
) -> Demand:
    """Turn a demand away as not ours, or as a duplicate of another open demand; a reason is required.

    Both leave the resolution rate's denominator."""
    if not permissions.is_collector(actor, demand):
        raise _not_allowed()
    if kind not in REJECT_KINDS:
        raise ValidationError(_("Unknown way to turn a demand away: %(value)s.") % {"value": kind}, code="kind")
    reason = _required(reason, _("Say why the demand is turned away."), "no_reason")
    changes: dict[str, Any] = {"reason": reason[:300]}
    data: dict[str, Any] = {}
    if kind == Status.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError(_("Say which demand this one duplicates."), code="no_original")
        if duplicate_of.pk == demand.pk:
            raise ValidationError(_("A demand cannot duplicate itself."), code="self_duplicate")
        if not permissions.can_see(actor, duplicate_of):
            raise ValidationError(_("Say which demand this one duplicates."), code="no_original")
        if duplicate_of.status not in Demand.OPEN_STATUSES:
            raise ValidationError(
                _("Demand %(pk)s is no longer open; a duplicate must point to an open demand.")
                % {"pk": duplicate_of.pk},
                code="original_closed",
            )
        changes["duplicate_of"] = duplicate_of
        data = {"duplicate_of": duplicate_of.pk}
    verb = DemandVerb.DUPLICATE if kind == Status.DUPLICATE else DemandVerb.NOT_OURS
    demand_transition(demand=demand, to=kind, actor=actor, changes=changes, note=reason, verb=verb, data=data)
    # Two demands marked duplicates of each other at once would leave neither open.
    if (
        kind == Status.DUPLICATE
        and duplicate_of is not None
        and not Demand.objects.filter(pk=duplicate_of.pk, status__in=Demand.OPEN_STATUSES).exists()
    ):
        raise ValidationError(_conflict(), code="conflict")
    return demand


def deadline_from(
    *, category: DemandCategory, days: int | None = None, deadline: date | None = None, today: date | None = None
) -> date:
    """A deadline given as a date (not in the past) or as working days from today (default: the category's)."""
    today = today or timezone.localdate()
    if deadline is not None:
        if deadline < today:
            raise ValidationError(
                _("The deadline %(date)s is in the past.") % {"date": deadline.isoformat()}, code="deadline_past"
            )
        return deadline
    days = category.deadline_days if days is None else days
    if days < 1:
        raise ValidationError(_("Give at least one working day to handle the demand."), code="deadline_days")
    return add_working_days(today, days)


@transaction.atomic
def demand_assign(
    *,
    demand: Demand,
    actor: Actor,
    unit: Organization,
    days: int | None = None,
    deadline: date | None = None,
    note: str = "",
) -> Demand:
    """Give an accepted demand to a responsible unit with a deadline in working days or as a date."""
    if not permissions.is_collector(actor, demand):
        raise _not_allowed()
    unit = _active_organization(unit, _("responsible unit"))
    due = deadline_from(category=demand.category, days=days, deadline=deadline)
    demand_transition(
        demand=demand,
        to=Status.ASSIGNED,
        actor=actor,
        changes={"responsible_unit": unit, "deadline": due, "escalated_to": None, "escalated_at": None},
        note=note.strip(),
        verb=DemandVerb.ASSIGNED,
        data={"unit": unit.name, "deadline": due.isoformat()},
    )
    # Only an accepted demand is assigned, and a demand is accepted once: this happens once in its life.
    notify_assigned(demand=demand, occurrence="assigned")
    return demand


@transaction.atomic
def demand_reassign(
    *,
    demand: Demand,
    actor: Actor,
    unit: Organization,
    reason: str,
    days: int | None = None,
    deadline: date | None = None,
) -> Demand:
    """Move a demand being handled to another unit with a new deadline; it stays being handled."""
    if not permissions.is_collector(actor, demand):
        raise _not_allowed()
    if demand.status != Status.ASSIGNED:
        raise ValidationError(_("Only a demand being handled can go to another unit."), code="invalid_transition")
    unit = _active_organization(unit, _("responsible unit"))
    if unit.pk == demand.responsible_unit_id:
        raise ValidationError(_("The demand is already with %(name)s.") % {"name": unit.name}, code="same_unit")
    reason = _required(reason, _("Say why the demand goes to another unit."), "no_reason")
    due = deadline_from(category=demand.category, days=days, deadline=deadline)
    previous = demand.responsible_unit
    moved = Demand.objects.filter(
        pk=demand.pk, status=Status.ASSIGNED, responsible_unit_id=demand.responsible_unit_id
    ).update(responsible_unit=unit, deadline=due, escalated_to=None, escalated_at=None)
    if not moved:
        raise ValidationError(_conflict(), code="conflict")
    demand.responsible_unit, demand.deadline, demand.escalated_to, demand.escalated_at = unit, due, None, None
    moved_event = event_record(
        subject=demand,
        actor=actor,
        verb=DemandVerb.REASSIGNED,
        note=reason,
        data={"from": previous.name if previous else "", "unit": unit.name, "deadline": due.isoformat()},
    )
    notify_assigned(demand=demand, occurrence=f"reassigned:{moved_event.pk}")
    return demand


@transaction.atomic
def demand_step(*, demand: Demand, actor: Actor, note: str) -> Demand:
    """A handling step on the timeline (called the resident, went on site, asked the property company...)."""
    if not permissions.is_unit_handler(actor, demand):
        raise _not_allowed()
    note = _required(note, _("Say what was done."), "no_note")
    if not Demand.objects.filter(pk=demand.pk, status=Status.ASSIGNED).exists():
        raise ValidationError(_("Steps are recorded while the demand is being handled."), code="invalid_transition")
    event_record(subject=demand, actor=actor, verb=DemandVerb.STEP, note=note)
    return demand


@transaction.atomic
def demand_resolve(*, demand: Demand, actor: Actor, resolution: str) -> Demand:
    """The responsible unit says what was done; the collector then follows up with the resident."""
    if not permissions.is_unit_handler(actor, demand):
        raise _not_allowed()
    resolution = _required(resolution, _("Say what was done to resolve the demand."), "no_resolution")
    demand_transition(
        demand=demand,
        to=Status.RESOLVED,
        actor=actor,
        changes={"resolution": resolution},
        note=resolution,
        verb=DemandVerb.RESOLVED,
    )
    notify_resolved(demand=demand)
    return demand


@transaction.atomic
def demand_close_unresolvable(*, demand: Demand, actor: Actor, explanation: str) -> Demand:
    """Close a demand that cannot be resolved, with an explanation; it does not count as resolved."""
    if not (permissions.is_unit_handler(actor, demand) or permissions.is_collector(actor, demand)):
        raise _not_allowed()
    explanation = _required(explanation, _("Explain why the demand cannot be resolved."), "no_explanation")
    return demand_transition(
        demand=demand,
        to=Status.UNRESOLVABLE,
        actor=actor,
        changes={"reason": explanation[:300]},
        note=explanation,
        verb=DemandVerb.UNRESOLVABLE,
    )

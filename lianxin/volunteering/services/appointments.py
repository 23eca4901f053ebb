"""Every change to an appointment service (预约式服务), its slots and its bookings goes through here.

A unit (the admins whose roster scope holds the service's organization) publishes a service
and its time slots; any logged-in resident or enterprise books one free slot. A slot is never
double-booked: booking raises AppointmentSlot.is_booked by a conditional UPDATE that only
matches while it is false, so of two people pressing "book" at the same moment exactly one
row count is 1, on SQLite and PostgreSQL alike. The partial unique constraint
booking_one_per_slot backs it in the schema. Cancelling lowers the flag again.
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.parsing import ParseError, normalize_mobile
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import (
    AppointmentService,
    AppointmentServiceVerb,
    AppointmentSlot,
    Booking,
    BookingVerb,
    ServiceCategory,
)
from lianxin.volunteering.selectors.appointments import can_run_service, can_run_services_of

Status = Booking.Status

# One bulk request adds at most this many slots: a quarter of working days with several times each.
MAX_BULK_SLOTS = 400
# Slots are planned at most this far ahead.
MAX_DAYS_AHEAD = 366


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to manage this appointment service."), code="forbidden")


def _check_unit(actor: Actor, service: AppointmentService) -> None:
    if not can_run_service(actor, service):
        raise _not_allowed()


# Services


def _clean_service(title: str, category: ServiceCategory | None) -> str:
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the service a title."), code="no_title")
    if category is not None and not category.is_active:
        raise ValidationError(_("The category %(name)s is no longer in use.") % {"name": category.name})
    return title


@transaction.atomic
def appointment_service_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    description: str = "",
    category: ServiceCategory | None = None,
    areas: Sequence[Area] = (),
    is_published: bool = True,
) -> AppointmentService:
    """A unit offers a service people book by appointment (visits to enterprises, island days...)."""
    if not can_run_services_of(actor, organization):
        raise _not_allowed()
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    service = AppointmentService.objects.create(
        organization=organization,
        title=_clean_service(title, category),
        description=description.strip(),
        category=category,
        is_published=is_published,
    )
    service.areas.set(areas)
    event_record(subject=service, actor=actor, verb=AppointmentServiceVerb.CREATED)
    return service


@transaction.atomic
def appointment_service_update(
    *,
    service: AppointmentService,
    actor: Actor,
    title: str,
    description: str = "",
    category: ServiceCategory | None = None,
    areas: Sequence[Area] = (),
    is_published: bool = True,
) -> AppointmentService:
    """Change what the service says; unpublishing hides it from the public list but keeps its bookings."""
    _check_unit(actor, service)
    changes = {
        "title": _clean_service(title, category),
        "description": description.strip(),
        "category": category,
        "is_published": is_published,
    }
    AppointmentService.objects.filter(pk=service.pk).update(**changes)
    for field, value in changes.items():
        setattr(service, field, value)
    service.areas.set(areas)
    event_record(subject=service, actor=actor, verb=AppointmentServiceVerb.UPDATED)
    return service


# Slots


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _check_slot_times(starts_at: datetime | None, ends_at: datetime | None) -> tuple[datetime, datetime]:
    if starts_at is None or ends_at is None:
        raise ValidationError(_("Give the start and the end of the slot."), code="no_times")
    if ends_at <= starts_at:
        raise ValidationError(_("A slot must end after it starts."), code="times_reversed")
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError(
            _("The slot at %(when)s is in the past.")
            % {"when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")},
            code="past",
        )
    if starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            _("Slots can be planned at most %(days)s days ahead.") % {"days": MAX_DAYS_AHEAD}, code="too_far"
        )
    return starts_at, ends_at


@transaction.atomic
def appointment_slot_add(
    *,
    service: AppointmentService,
    actor: Actor,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str = "",
) -> AppointmentSlot:
    _check_unit(actor, service)
    starts_at, ends_at = _check_slot_times(starts_at, ends_at)
    if service.slots.filter(starts_at=starts_at).exists():
        raise ValidationError(
            _("There is already a slot at %(when)s.")
            % {"when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")},
            code="duplicate",
        )
    slot = AppointmentSlot.objects.create(service=service, starts_at=starts_at, ends_at=ends_at, place=place.strip())
    event_record(subject=service, actor=actor, verb=AppointmentServiceVerb.SLOTS_ADDED, data={"count": 1})
    return slot


@transaction.atomic
def appointment_slots_add_bulk(
    *,
    service: AppointmentService,
    actor: Actor,
    first_day: date | None,
    last_day: date | None,
    weekdays: Sequence[int],
    times: Sequence[tuple[time, time]],
    place: str = "",
) -> list[AppointmentSlot]:
    """Slots on every chosen weekday (0 = Monday) from `first_day` to `last_day`, at each of `times`.

    Times already taken by a slot of this service are skipped, so running the same plan twice
    adds nothing; the whole plan is refused if any slot in it would be in the past or malformed.
    """
    _check_unit(actor, service)
    if first_day is None or last_day is None:
        raise ValidationError(_("Give the first and the last day."), code="no_dates")
    if last_day < first_day:
        raise ValidationError(_("The last day is before the first day."), code="dates_reversed")
    days = set(weekdays)
    if not days or not days <= set(range(7)):
        raise ValidationError(_("Choose at least one day of the week."), code="no_weekdays")
    if not times:
        raise ValidationError(_("Give at least one time, such as 09:00-10:00."), code="no_times")
    wanted: list[tuple[datetime, datetime]] = []
    day = first_day
    while day <= last_day:
        if day.weekday() in days:
            for start, end in times:
                wanted.append(_check_slot_times(_aware(day, start), _aware(day, end)))
                if len(wanted) > MAX_BULK_SLOTS:
                    raise ValidationError(
                        _("That is more than %(max)s slots at once; choose a shorter period.")
                        % {"max": MAX_BULK_SLOTS},
                        code="too_many",
                    )
        day += timedelta(days=1)
    if not wanted:
        raise ValidationError(_("None of the chosen weekdays falls in that period."), code="empty")
    taken = set(service.slots.filter(starts_at__in=[s for s, _e in wanted]).values_list("starts_at", flat=True))
    place = place.strip()
    slots = AppointmentSlot.objects.bulk_create(
        AppointmentSlot(service=service, starts_at=s, ends_at=e, place=place)
        for s, e in sorted(set(wanted))
        if s not in taken
    )
    event_record(
        subject=service,
        actor=actor,
        verb=AppointmentServiceVerb.SLOTS_ADDED,
        data={"count": len(slots), "skipped": len(taken)},
    )
    return slots


@transaction.atomic
def appointment_slot_remove(*, slot: AppointmentSlot, actor: Actor) -> None:
    """A slot nobody has booked (ever) can be withdrawn; a booked one stays for its booking."""
    _check_unit(actor, slot.service)
    # Close it first, by the same conditional UPDATE a booking uses, so nobody books it meanwhile.
    if not AppointmentSlot.objects.filter(pk=slot.pk, is_booked=False).update(is_booked=True):
        raise ValidationError(_("This slot is booked; cancel the booking first."), code="booked")
    if slot.bookings.exists():
        raise ValidationError(_("This slot has a booking history; it cannot be removed."), code="history")
    label = timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M")
    slot.delete()
    event_record(subject=slot.service, actor=actor, verb=AppointmentServiceVerb.SLOT_REMOVED, note=label)


# Bookings


def _taken() -> ValidationError:
    return ValidationError(_("Someone else has just booked this slot; please choose another."), code="conflict")


@transaction.atomic
def booking_create(
    *,
    slot: AppointmentSlot,
    actor: Actor,
    contact_name: str,
    contact_phone: str,
    unit_name: str = "",
    note: str = "",
) -> Booking:
    """Book one free slot for a resident or an enterprise. Of simultaneous bookers, one wins."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Log in to book a slot."), code="login")
    contact_name = contact_name.strip()
    if not contact_name:
        raise ValidationError(_("Give the name of the person to contact."), code="no_contact")
    try:
        phone = normalize_mobile(contact_phone)
    except ParseError as exc:
        raise ValidationError(str(exc.message), code="phone") from exc
    if not phone:
        raise ValidationError(_("Give a mobile number so the unit can reach you."), code="no_phone")
    service = slot.service
    if not service.is_published:
        raise ValidationError(_("This service is not taking bookings."), code="unpublished")
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This slot has already begun; choose a later one."), code="slot_begun")
    # The conditional UPDATE decides: it matches only while the slot is free and still ahead.
    if not AppointmentSlot.objects.filter(pk=slot.pk, is_booked=False, starts_at__gt=timezone.now()).update(
        is_booked=True
    ):
        raise _taken()
    slot.is_booked = True
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot,
                booked_by=actor,
                unit_name=unit_name.strip(),
                contact_name=contact_name,
                contact_phone=phone,
                note=note.strip(),
            )
    except IntegrityError as exc:  # booking_one_per_slot: the schema's own refusal
        raise _taken() from exc
    event_record(subject=booking, actor=actor, verb=BookingVerb.BOOKED, to_state=booking.status)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Actor, note: str = "") -> Booking:
    """The booker calls it off; the slot is free again for someone else."""
    if not getattr(actor, "is_authenticated", False) or booking.booked_by_id != actor.pk:
        raise ValidationError(_("Only the person who booked can cancel this booking."), code="forbidden")
    state_transition(
        obj=booking,
        to=Status.CANCELLED,
        actor=actor,
        note=note.strip(),
        verb=BookingVerb.CANCELLED,
        conflict=_("This booking has just been changed; reload the page."),
    )
    AppointmentSlot.objects.filter(pk=booking.slot_id).update(is_booked=False)
    return booking


@transaction.atomic
def booking_mark_done(*, booking: Booking, actor: Actor, note: str = "") -> Booking:
    """The unit records that it served the booking, once the slot has begun."""
    slot = booking.slot
    _check_unit(actor, slot.service)
    if slot.starts_at > timezone.now():
        raise ValidationError(_("A booking can be marked served once its slot has begun."), code="future")
    return state_transition(
        obj=booking,
        to=Status.DONE,
        actor=actor,
        note=note.strip(),
        verb=BookingVerb.SERVED,
        conflict=_("This booking has just been changed; reload the page."),
    )

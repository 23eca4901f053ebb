"""Appointment pages: the public list of services and free slots, booking, one's own bookings,
and the unit's pages for its services, slots and bookings (phones masked)."""

from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import Outcome, form_action, form_submit
from lianxin.core.selectors import event_list_for
from lianxin.volunteering.forms.appointments import (
    AppointmentServiceForm,
    BookingForm,
    BulkSlotForm,
    NoteForm,
    SlotForm,
)
from lianxin.volunteering.models import AppointmentService, AppointmentSlot, Booking
from lianxin.volunteering.selectors.appointments import (
    access_appointment_service,
    access_booking,
    access_run_service,
    access_run_slot,
    access_slot_to_book,
    all_slots,
    appointment_service_list_public,
    appointment_service_list_run_by,
    bookings_of,
    bookings_of_service,
    can_offer_services,
    can_run_service,
    free_slots,
)
from lianxin.volunteering.services import appointments as services
from lianxin.volunteering.views import asks
from lianxin.volunteering.views.confirm import confirm_page, confirmed

# A booking refused for these reasons goes back to the free slots; any other refusal is shown on the form.
SLOT_GONE = ("conflict", "slot_begun")


def _by_day(slots: Iterable[AppointmentSlot]) -> "OrderedDict[date, list[AppointmentSlot]]":
    days: OrderedDict[date, list[AppointmentSlot]] = OrderedDict()
    for slot in slots:
        days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return days


def appointment_list(request: HttpRequest) -> HttpResponse:
    """Public: the services open for booking, how many free slots each has and the next one."""
    return render(
        request,
        "volunteering/appointment_list.html",
        {"services": appointment_service_list_public()[:200], "can_offer": can_offer_services(request.user)},
    )


def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: what the service offers and its free slots by day; nothing about who booked."""
    service = access_appointment_service(request.user, pk)
    return render(
        request,
        "volunteering/appointment_detail.html",
        {
            "service": service,
            "days": _by_day(free_slots(service)[:500]),
            "unit": can_run_service(request.user, service),
        },
    )


@login_required
def appointment_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_offer_services(request.user):
        raise Http404
    return render(
        request,
        "volunteering/appointment_manage.html",
        {"services": appointment_service_list_run_by(user=request.user)},
    )


def _save_service(
    request: AuthenticatedHttpRequest, form: AppointmentServiceForm, service: AppointmentService | None
) -> AppointmentService | None:
    def save(data: dict[str, Any]) -> AppointmentService:
        values = {
            "actor": request.user,
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "areas": list(data["areas"]),
            "is_published": data["is_published"],
        }
        if service is None:
            return services.appointment_service_create(organization=data["organization"], **values)
        return services.appointment_service_update(service=service, **values)

    return form_submit(form, save)


@login_required
def appointment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_offer_services(request.user):
        raise Http404
    form = AppointmentServiceForm(request.POST or None, user=request.user)
    if service := _save_service(request, form, None):
        messages.success(request, _("The service is set up; now add its time slots."))
        return redirect("volunteering:appointment_slots", pk=service.pk)
    return render(request, "volunteering/appointment_form.html", {"form": form, "service": None})


@login_required
def appointment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = access_run_service(request.user, pk)
    form = AppointmentServiceForm(request.POST or None, user=request.user, service=service)
    if _save_service(request, form, service):
        messages.success(request, _("Saved."))
        return redirect("volunteering:appointment_slots", pk=service.pk)
    return render(request, "volunteering/appointment_form.html", {"form": form, "service": service})


def _add_slots(
    request: AuthenticatedHttpRequest, service: AppointmentService, form: SlotForm | BulkSlotForm
) -> str | None:
    """Add the posted slot or slots; what to tell the unit, or None with the refusal on the form."""

    def add(data: dict[str, Any]) -> str:
        if isinstance(form, SlotForm):
            starts_at, ends_at = form.datetimes()
            services.appointment_slot_add(
                service=service, actor=request.user, starts_at=starts_at, ends_at=ends_at, place=data["place"]
            )
            return _("The slot is open for booking.")
        added = services.appointment_slots_add_bulk(
            service=service,
            actor=request.user,
            first_day=data["first_day"],
            last_day=data["last_day"],
            weekdays=data["weekdays"],
            times=data["times"],
            place=data["place"],
        )
        return _("%(count)s slots added.") % {"count": len(added)}

    return form_submit(form, add)


@login_required
def appointment_slots(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The unit's slots from today on, with one form for a single slot and one for many."""
    service = access_run_service(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    one = SlotForm(request.POST if action == "one" else None, prefix="one")
    bulk = BulkSlotForm(request.POST if action == "bulk" else None, prefix="bulk")
    posted = one if action == "one" else bulk if action == "bulk" else None
    if posted is not None and (added := _add_slots(request, service, posted)):
        messages.success(request, added)
        return redirect("volunteering:appointment_slots", pk=service.pk)
    return render(
        request,
        "volunteering/appointment_slots.html",
        {"service": service, "days": _by_day(all_slots(service)[:1000]), "one": one, "bulk": bulk},
    )


@login_required
@require_POST
def appointment_slot_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    slot = access_run_slot(request.user, pk)

    def run(data: dict[str, Any]) -> Outcome:
        services.appointment_slot_remove(slot=slot, actor=request.user)
        return _("The slot was removed."), None

    back = reverse("volunteering:appointment_slots", args=[slot.service_id])
    return form_action(request, NoteForm(request.POST), run, back=back)


@login_required
def appointment_bookings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The unit's bookings with contact names and masked phones, soonest first."""
    service = access_run_service(request.user, pk)
    status = request.GET.get("status", Booking.Status.BOOKED)
    return render(
        request,
        "volunteering/appointment_bookings.html",
        {
            "service": service,
            "bookings": bookings_of_service(service, status=status)[:500],
            "status": status,
            "statuses": Booking.Status.choices,
            "now": timezone.now(),
        },
    )


@login_required
def booking_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Book one slot; if someone was quicker, say so and send the person back to the free slots."""
    slot = access_slot_to_book(request.user, pk)
    back = reverse("volunteering:appointment_detail", args=[slot.service_id])
    if not slot.is_free and request.method != "POST":
        messages.error(request, _("This slot is no longer free; please choose another."))
        return redirect(back)
    initial = {"contact_name": getattr(request.user, "display_name", "") or ""}
    form = BookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(slot=slot, actor=request.user, **data)
        except ValidationError as exc:
            if any(e.code in SLOT_GONE for e in exc.error_list):
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(back)
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Booked. The unit will contact you if anything changes."))
            return redirect("volunteering:booking_detail", pk=booking.pk)
    return render(request, "volunteering/booking_form.html", {"form": form, "slot": slot, "service": slot.service})


@login_required
def booking_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = access_booking(request.user, pk)
    unit = can_run_service(request.user, booking.slot.service)
    booked = booking.status == Booking.Status.BOOKED
    return render(
        request,
        "volunteering/booking_detail.html",
        {
            "booking": booking,
            "unit": unit,
            "events": event_list_for(booking)[:50],
            "can_cancel": booked and booking.booked_by_id == request.user.pk,
            "can_mark_done": booked and unit and booking.slot.starts_at <= timezone.now(),
            "note_form": NoteForm(),
        },
    )


@login_required
def my_bookings(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "volunteering/booking_mine.html",
        {"bookings": bookings_of(user=request.user)[:200], "now": timezone.now()},
    )


@login_required
@require_POST
def booking_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    booking = access_booking(request.user, pk)
    form = NoteForm(request.POST)
    own_booked = booking.status == Booking.Status.BOOKED and booking.booked_by_id == request.user.pk
    if action == "cancel" and own_booked and form.is_valid() and not confirmed(request):
        return confirm_page(request, asks.booking_cancel(booking), form)

    def run(data: dict[str, Any]) -> Outcome:
        if action == "cancel":
            services.booking_cancel(booking=booking, actor=request.user, note=data["note"])
            return _("The booking is cancelled and the slot is free again."), None
        services.booking_mark_done(booking=booking, actor=request.user, note=data["note"])
        return _("Marked as served."), None

    back = reverse("volunteering:booking_detail", args=[booking.pk])
    return form_action(request, form, run, back=back)

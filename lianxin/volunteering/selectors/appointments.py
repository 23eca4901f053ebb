"""Reads of appointment services: the public list with free slots, a unit's services and bookings, one's own."""

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.organizations.models import Organization
from lianxin.volunteering.models import AppointmentService, AppointmentSlot, Booking
from lianxin.volunteering.permissions import authenticated


def _authenticated(user: Viewer) -> bool:
    return authenticated(user)


def can_run_services_of(user: Viewer, organization: Organization) -> bool:
    """The unit: admins whose roster scope holds the organization offering the service."""
    return _authenticated(user) and roster_scope(user).contains(organization.path)


def can_run_service(user: Viewer, service: AppointmentService) -> bool:
    return can_run_services_of(user, service.organization)


def can_offer_services(user: Viewer) -> bool:
    return _authenticated(user) and not roster_scope(user).is_empty


def can_book(user: Viewer, slot: AppointmentSlot) -> bool:
    return _authenticated(user) and slot.is_free


def free_slots_q(prefix: str = "") -> Q:
    """Slots still ahead and not booked; `prefix` reaches them from another model ("slots__")."""
    return Q(**{f"{prefix}is_booked": False, f"{prefix}starts_at__gt": timezone.now()})


def appointment_service_list_public() -> QuerySet[AppointmentService]:
    """Published services with how many free slots they have and when the next one is."""
    return (
        AppointmentService.objects.filter(is_published=True)
        .select_related("organization", "category")
        .annotate(
            free_slots=Count("slots", filter=free_slots_q("slots__"), distinct=True),
            next_slot=Min("slots__starts_at", filter=free_slots_q("slots__")),
        )
        .order_by("title", "id")
    )


def appointment_service_list_run_by(*, user: Viewer) -> QuerySet[AppointmentService]:
    """The services the user's units offer, published or not, with their open bookings counted."""
    return (
        AppointmentService.objects.filter(roster_scope(user).q("organization__path"))
        .select_related("organization", "category")
        .annotate(
            free_slots=Count("slots", filter=free_slots_q("slots__"), distinct=True),
            open_bookings=Count(
                "slots__bookings", filter=Q(slots__bookings__status=Booking.Status.BOOKED), distinct=True
            ),
        )
        .order_by("title", "id")
    )


def access_appointment_service(user: Viewer, pk: int) -> AppointmentService:
    """A published service is public; an unpublished one exists only for its unit."""
    visible = Q(is_published=True) | roster_scope(user).q("organization__path")
    service = (
        AppointmentService.objects.filter(visible, pk=pk)
        .select_related("organization", "category")
        .prefetch_related("areas")
        .first()
    )
    if service is None:
        raise Http404
    return service


def access_public_appointment_service(pk: int) -> AppointmentService:
    """A published service as everybody sees it, or 404."""
    service = AppointmentService.objects.filter(pk=pk, is_published=True).select_related("organization").first()
    if service is None:
        raise Http404
    return service


def access_run_service(user: Viewer, pk: int) -> AppointmentService:
    """The unit's own view of a service: outside its scope the service does not exist."""
    service = (
        AppointmentService.objects.filter(roster_scope(user).q("organization__path"), pk=pk)
        .select_related("organization", "category")
        .prefetch_related("areas")
        .first()
    )
    if service is None:
        raise Http404
    return service


def access_slot_to_book(user: Viewer, pk: int) -> AppointmentSlot:
    slot = (
        AppointmentSlot.objects.filter(pk=pk)
        .filter(Q(service__is_published=True) | roster_scope(user).q("service__organization__path"))
        .select_related("service", "service__organization")
        .first()
    )
    if slot is None:
        raise Http404
    return slot


def access_run_slot(user: Viewer, pk: int) -> AppointmentSlot:
    slot = (
        AppointmentSlot.objects.filter(roster_scope(user).q("service__organization__path"), pk=pk)
        .select_related("service", "service__organization")
        .first()
    )
    if slot is None:
        raise Http404
    return slot


def free_slots(service: AppointmentService) -> QuerySet[AppointmentSlot]:
    return service.slots.filter(free_slots_q()).order_by("starts_at", "id")


def all_slots(service: AppointmentService) -> QuerySet[AppointmentSlot]:
    """The unit's view: every slot from today on, with its current booking if any."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        service.slots.filter(starts_at__gte=today)
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.exclude(status=Booking.Status.CANCELLED),
                to_attr="current_bookings",
            )
        )
        .order_by("starts_at", "id")
    )


def bookings_of_service(service: AppointmentService, *, status: str = "") -> QuerySet[Booking]:
    """The unit's bookings, soonest slot first; the page masks the phone numbers."""
    qs = Booking.objects.filter(slot__service=service).select_related("slot", "booked_by")
    if status in Booking.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("slot__starts_at", "id")


def bookings_of(*, user: Viewer) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(booked_by_id=user.pk)
        .select_related("slot", "slot__service", "slot__service__organization")
        .order_by("-slot__starts_at", "-id")
    )


def access_booking(user: Viewer, pk: int) -> Booking:
    """The booker and the unit find a booking; nobody else does."""
    if not _authenticated(user):
        raise Http404
    visible = Q(booked_by_id=user.pk) | roster_scope(user).q("slot__service__organization__path")
    booking = (
        Booking.objects.filter(visible, pk=pk)
        .select_related("slot", "slot__service", "slot__service__organization", "booked_by")
        .first()
    )
    if booking is None:
        raise Http404
    return booking

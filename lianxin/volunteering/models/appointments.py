"""Appointment services (预约式服务): a unit publishes slots; a resident or an enterprise books one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.crypto import EncryptedTextField
from lianxin.core.parsing import mask_phone
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models.catalogue import ServiceCategory


class AppointmentServiceVerb(models.TextChoices):
    """What a service's timeline says happened; its slots' changes are on the service's timeline."""

    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    SLOTS_ADDED = "slots_added", _("slots added")
    SLOT_REMOVED = "slot_removed", _("slot removed")


class BookingVerb(models.TextChoices):
    """What a booking's timeline says happened; the states shown are the booking's own Status."""

    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled by the booker")
    SERVED = "served", _("marked served by the unit")


class AppointmentService(models.Model):
    """E.g. visits to enterprises, or the "tidal service" to remote islands (seed 002)."""

    timeline_verbs = AppointmentServiceVerb

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="appointment_services", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        ServiceCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment_services",
        verbose_name=_("category"),
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="appointment_services", verbose_name=_("areas"))
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appointment service")
        verbose_name_plural = _("appointment services")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class AppointmentSlot(models.Model):
    service = models.ForeignKey(
        AppointmentService, on_delete=models.CASCADE, related_name="slots", verbose_name=_("service")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    # Raised by a conditional UPDATE only while it is 0: a slot is never double-booked.
    is_booked = models.BooleanField(_("booked"), default=False)

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_free(self) -> bool:
        """Open for booking: nobody holds it and it has not begun."""
        return not self.is_booked and self.starts_at > timezone.now()


class Booking(models.Model):
    timeline_verbs = BookingVerb

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")
        DONE = "done", _("served")

    # Cancelling reopens the slot; a served booking is final.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.BOOKED: (Status.CANCELLED, Status.DONE),
        Status.CANCELLED: (),
        Status.DONE: (),
    }

    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("booked by")
    )
    # A resident books for themselves; an enterprise names itself.
    unit_name = models.CharField(_("enterprise or unit"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    note = models.CharField(_("what is needed"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=~models.Q(status="cancelled"), name="booking_one_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_name} · {self.slot}"

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone) if self.contact_phone else ""

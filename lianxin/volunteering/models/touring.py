"""Touring service (巡回服务): a schedule of stops, each a town on a date with teams and items."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models.catalogue import ServiceItem, Team


class TourVerb(models.TextChoices):
    """What a tour's timeline says happened; its stops' changes are on the tour's timeline."""

    CREATED = "created", _("planned")
    UPDATED = "updated", _("title or dates changed")
    PUBLISHED = "published", _("schedule published")
    UNPUBLISHED = "unpublished", _("schedule taken off the public page")
    STOP_ADDED = "stop_added", _("stop added")
    STOP_CHANGED = "stop_changed", _("stop changed")
    STOP_REMOVED = "stop_removed", _("stop removed")
    BENEFICIARIES_RECORDED = "beneficiaries_recorded", _("people served recorded")


class Tour(models.Model):
    timeline_verbs = TourVerb

    title = models.CharField(_("title"), max_length=120)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="tours", verbose_name=_("organizer")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    description = models.TextField(_("description"), blank=True)
    # Only published tours appear on the public schedule.
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("touring service")
        verbose_name_plural = _("touring services")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="tour_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title


class TourStop(models.Model):
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops", verbose_name=_("touring service"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="tour_stops", verbose_name=_("town"))
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="tour_stops", verbose_name=_("teams"))
    items = models.ManyToManyField(ServiceItem, blank=True, related_name="tour_stops", verbose_name=_("services"))
    beneficiaries = models.PositiveIntegerField(_("beneficiaries (person-times)"), null=True, blank=True)

    class Meta:
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")
        ordering = ["date", "starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.area}"

"""Orders (点单 → 派单 → 接单 → 服务 → 评单): a place orders a service item; a team delivers it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models.catalogue import ServiceItem, Team

# An order not rated within this many days of the service closes as "not rated".
DEFAULT_RATING_DAYS = 7


def rating_days() -> int:
    return int(getattr(settings, "LIANXIN_ORDER_RATING_DAYS", DEFAULT_RATING_DAYS))


class OrderVerb(models.TextChoices):
    """What an order's timeline says happened (the states shown are the order's own Status)."""

    ORDERED = "ordered", _("ordered")
    DISPATCHED = "dispatched", _("dispatched")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    SCHEDULED = "scheduled", _("session scheduled")
    # The team served the order: its own words (服务完成), not the community's "service recorded".
    SERVED = "served", _("served")
    RATED = "rated", _("rated")
    CLOSED_UNRATED = "closed_unrated", _("closed, not rated")
    CANCELLED = "cancelled", _("cancelled")


class Order(models.Model):
    timeline_verbs = OrderVerb

    class Status(models.TextChoices):
        ORDERED = "ordered", _("awaiting dispatch")
        DISPATCHED = "dispatched", _("dispatched")
        ACCEPTED = "accepted", _("accepted")
        SERVED = "served", _("served")
        RATED = "rated", _("rated")
        UNRATED = "unrated", _("closed, not rated")
        CANCELLED = "cancelled", _("cancelled")

    # A declined order goes back to ORDERED for another dispatch.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.ORDERED: (Status.DISPATCHED, Status.CANCELLED),
        Status.DISPATCHED: (Status.ACCEPTED, Status.ORDERED, Status.CANCELLED),
        Status.ACCEPTED: (Status.SERVED, Status.CANCELLED),
        Status.SERVED: (Status.RATED, Status.UNRATED),
        Status.RATED: (),
        Status.UNRATED: (),
        Status.CANCELLED: (),
    }
    OPEN_STATUSES = (Status.ORDERED, Status.DISPATCHED, Status.ACCEPTED)
    DONE_STATUSES = (Status.SERVED, Status.RATED, Status.UNRATED)

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="orders", verbose_name=_("service"))
    # The organization that dispatches: the item's team's owner when the order is placed.
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="owned_orders", verbose_name=_("dispatching organization")
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="orders", verbose_name=_("orderer")
    )
    # Set when a town, community or village orders through its organization admin.
    ordering_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placed_orders",
        verbose_name=_("ordering organization"),
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="orders", verbose_name=_("area"))
    place = models.CharField(_("place"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    expected_beneficiaries = models.PositiveIntegerField(_("expected beneficiaries"))
    note = models.TextField(_("what is needed"), blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="orders", verbose_name=_("team")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ORDERED)
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries (person-times)"), null=True, blank=True)
    service_note = models.TextField(_("what was done"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["status", "served_at"]),
            # The service figures of a subtree read each of its organizations' orders by date.
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["owner", "served_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="order_dates_ordered"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="order_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rated") | models.Q(rating__isnull=False), name="order_rated_has_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("volunteering:order_detail", args=[self.pk])


class OrderPhoto(models.Model):
    """Optional evidence of a service (never required: 基层减负)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="photos", verbose_name=_("order"))
    image = models.FileField(_("photo"), upload_to="orders/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order photo")
        verbose_name_plural = _("order photos")

    def __str__(self) -> str:
        return str(self.image.name)

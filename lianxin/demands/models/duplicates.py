"""The duplicates part: a hot spot groups repeated complaints about one thing (seed 003:
square-dance noise) without closing any of them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.demands.models.handling import DemandCategory
from lianxin.organizations.models import Area


class HotSpotVerb(models.TextChoices):
    CREATED = "created", _("created")
    DEMANDS_ADDED = "demands_added", _("demands added")
    DEMAND_REMOVED = "demand_removed", _("demand removed")


class HotSpot(models.Model):
    """Repeated complaints about one thing (seed 003: square-dance noise), grouped."""

    title = models.CharField(_("title"), max_length=120)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="demand_hot_spots", verbose_name=_("area"))
    category = models.ForeignKey(
        DemandCategory, on_delete=models.PROTECT, related_name="hot_spots", verbose_name=_("category")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    timeline_verbs = HotSpotVerb

    class Meta:
        verbose_name = _("hot spot")
        verbose_name_plural = _("hot spots")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:hot_spot", args=[self.pk])

"""The board part: the monthly public notice (整改通报 / 集中晾晒) of a period's figures and items."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.demands.models.handling import Demand
from lianxin.organizations.models import Organization


class PublicNoticeVerb(models.TextChoices):
    CREATED = "created", _("created")
    ITEMS_CHOSEN = "items_chosen", _("items chosen")
    ITEM_REMOVED = "item_removed", _("item removed")
    PUBLISHED = "published", _("published")


class PublicNotice(models.Model):
    """整改通报 / 集中晾晒: a period's counts, rates and reviewed items for an organization's area."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.DRAFT: (Status.PUBLISHED,), Status.PUBLISHED: ()}

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="public_notices", verbose_name=_("organization")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=120)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The figures as they stood when the notice was published, so a later change does not rewrite it.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    demands = models.ManyToManyField(Demand, blank=True, related_name="notices", verbose_name=_("items shown"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    timeline_verbs = PublicNoticeVerb

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-ends_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="notice_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:notice", args=[self.pk])

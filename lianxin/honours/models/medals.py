"""The 光荣在党50年 medal: confirmed in good standing by a person, then issued at a ceremony or
delivered home (送章到家). The list of who is due is read from the roster (selectors.medals)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.private_storage import private_storage
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


class MedalVerb(models.TextChoices):
    CONFIRMED = "confirmed", _("good standing confirmed")
    ISSUED = "issued", _("medal issued")


class MedalAward(models.Model):
    """One member's medal: a member receives it once."""

    timeline_verbs = MedalVerb

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("good standing confirmed")
        ISSUED = "issued", _("issued")

    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.CONFIRMED: (Status.ISSUED,), Status.ISSUED: ()}

    class Way(models.TextChoices):
        CEREMONY = "ceremony", _("at a ceremony")
        HOME = "home", _("delivered home")

    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="medal_award")
    year = models.PositiveSmallIntegerField(_("year"))
    # The member's organization when confirmed: counts by district follow it.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="medal_awards")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    standing_note = models.CharField(_("note on good standing"), max_length=300, blank=True)
    way = models.CharField(_("how issued"), max_length=10, choices=Way.choices, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    ceremony = models.CharField(_("ceremony"), max_length=120, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    presented_by = models.CharField(_("presented by"), max_length=60, blank=True)
    delivered_by = models.CharField(_("delivered by"), max_length=60, blank=True)
    photo = models.FileField(_("photo"), storage=private_storage, upload_to="honours/medals/", blank=True)
    issued_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("50-year medal")
        verbose_name_plural = _("50-year medals")
        ordering = ["year", "organization__path", "id"]
        indexes = [
            models.Index(fields=["organization", "year", "status"]),
            models.Index(fields=["organization", "issued_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"

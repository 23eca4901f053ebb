"""Local frequency rules: how often a kind of organizational life is required where the national
default does not hold."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models.planning import Kind
from lianxin.organizations.models import Organization


class FrequencyRule(models.Model):
    """A local override of how often a kind of activity is required (national defaults live in rules.py).

    Applies to an organization and everything under it, optionally only to one sector, for a
    date range; `exempt` releases it for that range (e.g. a branch exempted from a quarter's congress).
    """

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        YEARLY = "yearly", _("yearly")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="frequency_rules", verbose_name=_("organization and below")
    )
    sector = models.CharField(_("sector"), max_length=24, choices=Organization.Sector.choices, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, blank=True)
    exempt = models.BooleanField(_("exempt"), default=False)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("frequency rule")
        verbose_name_plural = _("frequency rules")
        ordering = ["kind", "organization", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exempt=True) | ~models.Q(frequency=""), name="rule_frequency_or_exempt"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organization}"

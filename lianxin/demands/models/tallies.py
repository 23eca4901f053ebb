"""Demands counted per collecting organization, month of collection and state (ADR 16)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.demands.models.handling import Demand
from lianxin.organizations.models import Organization


class DemandTally(models.Model):
    """How many demands one organization, and it with everything under it, collected in one month
    (its first day, local time) stand in one state, as of the last refresh (services/tallies.py)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="demand_tallies", verbose_name=_("organization")
    )
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=12, choices=Demand.Status.choices)
    demands = models.PositiveIntegerField(_("demands"))
    demands_subtree = models.PositiveIntegerField(_("demands in its subtree"))

    class Meta:
        verbose_name = _("demand tally")
        verbose_name_plural = _("demand tallies")
        constraints = [
            models.UniqueConstraint(fields=["organization", "month", "status"], name="demand_tally_one_per_cell")
        ]
        indexes = [models.Index(fields=["month", "organization"], name="demand_tally_month")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.status} {self.demands}"

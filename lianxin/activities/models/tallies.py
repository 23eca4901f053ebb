"""Organizational life counted per organization, month and kind (ADR 16)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models.planning import Kind
from lianxin.organizations.models import Organization


class ActivityTally(models.Model):
    """For one organization, month (its first day, local time) and kind: the activities held and the
    attendance rows marked present, its own and its whole subtree's, as of the last refresh
    (services/tallies.py). A subtree's figures for a span of months are a sum over the months of
    its own cells; distinct members are not (ADR 16)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="activity_tallies", verbose_name=_("organization")
    )
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held = models.PositiveIntegerField(_("held"))
    present = models.PositiveIntegerField(_("present"))
    held_subtree = models.PositiveIntegerField(_("held in its subtree"))
    present_subtree = models.PositiveIntegerField(_("present in its subtree"))

    class Meta:
        verbose_name = _("activity tally")
        verbose_name_plural = _("activity tallies")
        constraints = [
            models.UniqueConstraint(fields=["organization", "month", "kind"], name="activity_tally_one_per_cell")
        ]
        indexes = [models.Index(fields=["month", "organization"], name="activity_tally_month")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.kind} {self.held}/{self.present}"

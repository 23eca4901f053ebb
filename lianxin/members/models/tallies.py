"""Member counts per organization and category, its own and its whole subtree's (ADR 16)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.members.models.roster import Member
from lianxin.organizations.models import Organization


class MemberTally(models.Model):
    """How many people of one category are on an organization's roster (`own`) and on the rosters
    of it and everything below it (`subtree`), as of the last refresh (services/tallies.py).

    A node's and its children's subtree counts are a read of a few rows. Organizations reads them
    through the reverse relation `member_tallies`, without importing this app."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="member_tallies", verbose_name=_("organization")
    )
    category = models.CharField(_("category"), max_length=14, choices=Member.Category.choices)
    own = models.PositiveIntegerField(_("on its own roster"))
    subtree = models.PositiveIntegerField(_("in its subtree"))

    class Meta:
        verbose_name = _("member tally")
        verbose_name_plural = _("member tallies")
        constraints = [
            models.UniqueConstraint(fields=["organization", "category"], name="member_tally_one_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.category} {self.own}/{self.subtree}"

"""Briefings (简报): text drafted from the registered figures of a subtree and a period, edited by
staff, then published with its numbers frozen.

A briefing keeps its text in sections (the lead has no heading) and, per section, each number the
draft used: the measure's name, the organization code and the period it was counted for, and the
value, so the published text can always be checked against the rows behind each number. Once
published, neither the text nor the numbers change.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.organizations.models import Organization


class BriefingVerb(models.TextChoices):
    """What happens to a briefing on its timeline; the states shown are its own (Briefing.Status)."""

    DRAFTED = "drafted", _("drafted")
    EDITED = "edited", _("edited")
    PUBLISHED = "published", _("published")


class Briefing(models.Model):
    timeline_verbs = BriefingVerb

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    # A draft is published once; a published briefing never changes again.
    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.DRAFT: (Status.PUBLISHED,), Status.PUBLISHED: ()}

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="briefings", verbose_name=_("organization")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # The template's key (its file name without .txt) and its name as it read when the draft was made.
    template = models.CharField(_("template"), max_length=80)
    template_name = models.CharField(_("template name"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="briefings_drafted",
        verbose_name=_("drafted by"),
    )
    # When the draft was made: its numbers were counted then.
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="briefings_published",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="briefing_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="briefing_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("briefings:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class BriefingSection(models.Model):
    """One section of the text: a heading (none for the lead) and its paragraphs, one a line."""

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="sections", verbose_name=_("briefing")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=100, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("briefing section")
        verbose_name_plural = _("briefing sections")
        ordering = ["briefing", "position"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "position"], name="briefing_section_position_unique")
        ]

    def __str__(self) -> str:
        return self.heading or str(_("Lead"))

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class BriefingFigure(models.Model):
    """A number a section of the draft used, as it was counted: what, of which subtree, for which days."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="figures", verbose_name=_("briefing"))
    section = models.ForeignKey(
        BriefingSection, on_delete=models.CASCADE, related_name="figures", verbose_name=_("section")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    measure = models.CharField(_("figure"), max_length=80)
    # The measure's label as it read when counted: shown if the measure is no longer registered.
    label = models.CharField(_("label"), max_length=100)
    organization_code = models.CharField(_("organization code"), max_length=32)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # A count, a sum or a share in per cent; null: a share of nothing.
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2, null=True, blank=True)
    # How the text wrote it: "7200余场", "96.52%".
    phrase = models.CharField(_("as written"), max_length=60)
    # The rows behind the number as they stood when the briefing was published (briefings/kept.py):
    # their primary keys, compressed; kept_count is None while none are kept.
    kept_rows = models.BinaryField(_("rows as they stood"), blank=True, default=b"", editable=False)
    kept_count = models.PositiveIntegerField(_("rows kept"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("briefing figure")
        verbose_name_plural = _("briefing figures")
        ordering = ["briefing", "position"]
        constraints = [models.UniqueConstraint(fields=["briefing", "position"], name="briefing_figure_position_unique")]

    def __str__(self) -> str:
        return f"{self.measure} = {self.value}"

    @property
    def number(self) -> int | Decimal | None:
        """The value as counted: whole for a count, with its decimals for a share or a sum."""
        if self.value is None or self.value != self.value.to_integral_value():
            return self.value
        return int(self.value)

    @property
    def rows_url(self) -> str:
        """The rows behind this number: as they stood at publishing when kept, else the dashboard's page
        of them for the same subtree and days, as they are now."""
        if self.kept_count is not None:
            return reverse("briefings:figure_rows", args=[self.briefing_id, self.position])
        query = urlencode({"org": self.organization_code, "from": self.starts_on, "to": self.ends_on})
        return f"{reverse('dashboards:dashboard_rows', args=[self.measure])}?{query}"

"""Hardship members (困难党员): a record per member with its level and reason, reviewed each year,
ended with a reason. Only the member's organization and those above it read it; never public."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.members.models import Member


class HardshipVerb(models.TextChoices):
    RECORDED = "recorded", _("hardship recorded")
    UPDATED = "updated", _("hardship record updated")
    REVIEWED = "reviewed", _("yearly review recorded")
    ENDED = "ended", _("hardship ended")


class HardshipRecord(models.Model):
    timeline_verbs = HardshipVerb

    class Level(models.TextChoices):
        GENERAL = "general", _("in hardship")
        SPECIAL = "special", _("in special hardship")

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("illness")
        DISABILITY = "disability", _("disability")
        DISASTER = "disaster", _("disaster")
        LOW_INCOME = "low_income", _("low income")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.ACTIVE: (Status.ENDED,), Status.ENDED: ()}

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="hardship_records", verbose_name=_("member")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    since = models.DateField(_("in hardship since"))
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hardship record")
        verbose_name_plural = _("hardship records")
        ordering = ["-since", "-id"]
        indexes = [models.Index(fields=["member", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(status="active"), name="care_one_active_hardship_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(status="active") | models.Q(ended_on__isnull=False), name="care_hardship_ended_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("care:hardship_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def last_review(self) -> date:
        """When the hardship was last confirmed: the last review, else when it was recorded as starting."""
        return self.reviewed_on or self.since

    def due_for_review(self, year: int) -> bool:
        """Active and not confirmed yet in `year`: each hardship is reviewed once a year."""
        return self.is_active and self.last_review().year < year

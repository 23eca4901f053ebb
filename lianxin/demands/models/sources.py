"""The sources part: where demands come from — visits (走访), research topics (调研课题) and
民生面对面 sessions. A demand collected from one links back to it (Demand.source_type/source_id)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.organizations.models import Area, Organization


class VisitVerb(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")


class ResearchTopicVerb(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    CONCLUDED = "concluded", _("concluded")


class FaceToFaceVerb(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")


class Visit(models.Model):
    """走访: to a household, an enterprise or a member; who went, when, what was found."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("household")
        ENTERPRISE = "enterprise", _("enterprise")
        MEMBER = "member", _("Party member")
        FISHERY = "fishery", _("fishing or farming household")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="demand_visits", verbose_name=_("visiting organization")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="demand_visits", verbose_name=_("area"))
    visited = models.CharField(_("visited (household, enterprise or person)"), max_length=120)
    visitors = models.CharField(_("visitors"), max_length=200)
    visited_on = models.DateField(_("date"))
    findings = models.TextField(_("what was found"), blank=True)
    topic = models.ForeignKey(
        "ResearchTopic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("research topic"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    timeline_verbs = VisitVerb

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["organization", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.visited}"

    def get_absolute_url(self) -> str:
        return reverse("demands:visit_detail", args=[self.pk])


class ResearchTopic(models.Model):
    """调研课题 (seed 001 counts 636 topics, 140 of them key topics)."""

    class Status(models.TextChoices):
        ONGOING = "ongoing", _("ongoing")
        CONCLUDED = "concluded", _("concluded")

    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.ONGOING: (Status.CONCLUDED,), Status.CONCLUDED: ()}

    title = models.CharField(_("topic"), max_length=200)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="research_topics", verbose_name=_("organization")
    )
    leader = models.CharField(_("leader"), max_length=60)
    is_key = models.BooleanField(_("key topic"), default=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    findings = models.TextField(_("findings"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ONGOING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    timeline_verbs = ResearchTopicVerb

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="topic_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:topic_detail", args=[self.pk])


class FaceToFace(models.Model):
    """民生面对面: a session where residents raise problems with cadres face to face."""

    title = models.CharField(_("title"), max_length=120)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="face_to_face_sessions", verbose_name=_("organizer")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="face_to_face_sessions", verbose_name=_("area")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    attendance = models.PositiveIntegerField(_("residents attending"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    timeline_verbs = FaceToFaceVerb

    class Meta:
        verbose_name = _("face-to-face session")
        verbose_name_plural = _("face-to-face sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:face_to_face_detail", args=[self.pk])

"""Shared records: the timeline of every change and the audit trail of sensitive reads."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One change to one object: who, when, what, from which state to which.

    It is at once the audit trail and the history users read on an object's page.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    verb = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.verb} {self.subject_type_id}:{self.subject_id}"


class AuditEntry(models.Model):
    """A read or export of personal data that left the masked default."""

    class Action(models.TextChoices):
        EXPORT = "export", _("export")
        VIEW_FULL = "view_full", _("view full personal data")
        IMPORT = "import", _("import")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target = models.CharField(_("target"), max_length=200)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} {self.target}"


class Holiday(models.Model):
    """A day that differs from the Monday–Friday week: a public holiday, or a weekend day
    worked in exchange (调休上班). Deadlines and publicity periods count working days with it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=40)
    # True for a weekend day worked in exchange for a holiday; False for a day off.
    is_workday = models.BooleanField(_("working day"), default=False)

    class Meta:
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Throttle(models.Model):
    """The tries one key has used in its current window: failed logins of an account or from an
    address, missed lookups of a public demand, public submissions from an address, check-in codes
    typed for an activity or a session.

    One row per scope and key, changed only by a conditional UPDATE (`throttling.throttle_take`),
    so concurrent requests cannot both take the last try. The key is a keyed hash: no name,
    mobile number or address is stored."""

    scope = models.CharField(_("scope"), max_length=32)
    key = models.CharField(max_length=64)
    count = models.PositiveIntegerField(_("tries used"), default=0)
    window_started_at = models.DateTimeField(_("window started at"), db_index=True)

    class Meta:
        verbose_name = _("attempt count")
        verbose_name_plural = _("attempt counts")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="throttle_scope_key_unique")]

    def __str__(self) -> str:
        return f"{self.scope} {self.count} {self.window_started_at:%Y-%m-%d %H:%M}"


class TallyRun(models.Model):
    """When each app's tallies (counts per organization kept in its own tables) were last refreshed.

    `refreshed_at` is when the last refresh began: every write committed before it is counted. The
    next refresh looks for changes from `changes_from`, a little before the oldest transaction then
    still writing (`lianxin.core.tallies`)."""

    name = models.CharField(_("tallies"), max_length=32, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    changes_from = models.DateTimeField(_("changes looked for from"), null=True, blank=True)
    took_ms = models.PositiveIntegerField(_("took (ms)"), default=0)

    class Meta:
        verbose_name = _("tally refresh")
        verbose_name_plural = _("tally refreshes")

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at:%Y-%m-%d %H:%M:%S}"


class FigureSnapshot(models.Model):
    """Figures for one organization's subtree and one period, computed in the background by what an app
    registered (`lianxin.core.snapshots`), for subtrees too large to compute while a page waits.

    The organization is an id, not a key: the kernel knows no app's tables. A snapshot is read only
    while fresh (computed today, within LIANXIN_SNAPSHOT_STALE_MINUTES, by the figure's current
    `version`); otherwise the page computes live."""

    name = models.CharField(_("figure"), max_length=48)
    organization_id = models.PositiveBigIntegerField(_("organization"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    computed_at = models.DateTimeField(_("computed at"))
    computed_for = models.DateField(_("computed for the day"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    took_ms = models.PositiveIntegerField(_("took (ms)"), default=0)
    payload = models.JSONField(_("figures"), default=dict)
    # A long list the figure pages through without reading all of it (fixed-width records).
    items = models.BinaryField(_("items"), default=b"")

    class Meta:
        verbose_name = _("figure snapshot")
        verbose_name_plural = _("figure snapshots")
        constraints = [
            models.UniqueConstraint(fields=["name", "organization_id", "start", "end"], name="figure_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.organization_id} {self.start}–{self.end} {self.computed_at:%Y-%m-%d %H:%M}"

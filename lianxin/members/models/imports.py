"""Roster imports: one uploaded workbook each, checked in full, then applied all or nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.private_storage import private_storage


class RosterImportVerb(models.TextChoices):
    """What a roster import's timeline says (its states are its own Status)."""

    RUNNING = "running", _("check started")
    DONE = "done", _("imported")
    INVALID = "invalid", _("has errors, nothing imported")
    FAILED = "failed", _("failed")
    RETRIED = "retried", _("started again")


class RosterImport(models.Model):
    """One upload of a roster workbook: validated in full, then applied all or nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("checking")
        INVALID = "invalid", _("has errors, nothing imported")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    timeline_verbs = RosterImportVerb

    # A stale or crashed run fails; a failed import can be started again while its file is kept.
    TRANSITIONS = {
        Status.PENDING: (Status.RUNNING, Status.FAILED),
        Status.RUNNING: (Status.DONE, Status.INVALID, Status.FAILED),
        Status.FAILED: (Status.PENDING,),
        Status.INVALID: (),
        Status.DONE: (),
    }

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=200)
    # Uploads and their error copies hold ID numbers: private files, deleted after the retention time.
    file = models.FileField(upload_to="imports/%Y/%m/", storage=private_storage, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first errors, for the page; the full list is in the error workbook.
    errors = models.JSONField(default=list, blank=True)
    error_file = models.FileField(upload_to="imports/%Y/%m/", storage=private_storage, blank=True)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker's last sign of life (each checked batch); a run silent for long is stale.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

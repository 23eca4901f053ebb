"""Stored imports over time: stale runs fail, failed ones start again, files go after the retention time.

A run whose worker died (killed, out of memory) leaves its import "running" with no more
progress. It is stale when its heartbeat is older than `LIANXIN_IMPORT_STALE_MINUTES`
(default 10; every checked batch beats), or at once when its task has ended or is gone
while the import still waits or runs. A stale import is marked failed with a message,
on the page's poll and by `python manage.py roster_imports_upkeep` (run every few minutes),
and can be started again while its upload is kept.

Uploads and their error copies hold ID numbers. The upload is deleted when its import
ends (a failed import keeps it, to start again); whatever is left, the error workbook
included, is deleted `LIANXIN_IMPORT_RETENTION_HOURS` (default 24) after the end, by the
same command. Files in the imports folder that no import refers to go after that time too.
"""

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from lianxin.accounts.types import Actor
from lianxin.core.private_storage import private_storage
from lianxin.core.transitions import state_transition
from lianxin.members.models import RosterImport, RosterImportVerb
from lianxin.members.services.imports import roster_import_fail

__all__ = [
    "import_retention",
    "import_stale_after",
    "roster_import_delete_at",
    "roster_import_fail_if_stale",
    "roster_import_files_purge",
    "roster_import_is_stale",
    "roster_import_retry",
    "roster_import_retryable",
    "roster_imports_fail_stale",
    "roster_imports_upkeep",
]

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_HOURS = 24
DEFAULT_STALE_MINUTES = 10
IMPORTS_FOLDER = "imports"
Status = RosterImport.Status
ENDED = (Status.DONE, Status.INVALID, Status.FAILED)


def _positive_setting(name: str, default: float) -> float:
    """A number from the settings, else from the environment, else `default` (also for a value that is no number)."""
    value: Any = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name, "")
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if not 0 < number < 100_000:
        logger.error("%s=%r is not a positive number; using %s", name, value, default)
        return default
    return number


def import_retention() -> timedelta:
    return timedelta(hours=_positive_setting("LIANXIN_IMPORT_RETENTION_HOURS", DEFAULT_RETENTION_HOURS))


def import_stale_after() -> timedelta:
    return timedelta(minutes=_positive_setting("LIANXIN_IMPORT_STALE_MINUTES", DEFAULT_STALE_MINUTES))


def roster_import_delete_at(roster_import: RosterImport) -> datetime | None:
    """When the import's files are deleted; None while it has not ended."""
    if roster_import.status not in ENDED or roster_import.finished_at is None:
        return None
    return roster_import.finished_at + import_retention()


def roster_import_retryable(roster_import: RosterImport) -> bool:
    return roster_import.status == Status.FAILED and bool(roster_import.file)


# ----------------------------------------------------------------------------- stale runs


def _task_has_ended(task_id: str) -> bool:
    """Whether the import's task has finished or vanished; False when the backend cannot say."""
    if not task_id or not default_task_backend.supports_get_result:
        return False
    try:
        result = default_task_backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return True
    return result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def roster_import_is_stale(roster_import: RosterImport, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if roster_import.status == Status.RUNNING:
        last_sign = roster_import.heartbeat_at or roster_import.created_at
        if last_sign < now - import_stale_after():
            return True
    if roster_import.status in (Status.PENDING, Status.RUNNING):
        return _task_has_ended(roster_import.task_id)
    return False


def _task_abandon(task_id: str) -> None:
    """A database task left "running" by a dead worker is marked failed, so that it does not stay running."""
    if not task_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="lianxin.members.services.import_upkeep.WorkerStopped",
        traceback="The worker stopped while running this task; its roster import was marked failed.",
    )


def roster_import_fail_if_stale(*, roster_import: RosterImport, now: datetime | None = None) -> RosterImport:
    """Mark the import failed when its run is stale; return it as it now is."""
    if not roster_import_is_stale(roster_import, now=now):
        return roster_import
    message = _(
        "The import stopped without finishing (the background worker stopped); nothing was imported. Start it again."
    )
    if roster_import_fail(roster_import=roster_import, message=message):
        logger.warning("roster import %s was stale and is marked failed", roster_import.pk)
        _task_abandon(roster_import.task_id)
    roster_import.refresh_from_db()
    return roster_import


def roster_imports_fail_stale(*, now: datetime | None = None) -> int:
    """Fail every stale import; the number failed."""
    failed = 0
    for roster_import in RosterImport.objects.filter(status__in=(Status.PENDING, Status.RUNNING)):
        if roster_import_fail_if_stale(roster_import=roster_import, now=now).status == Status.FAILED:
            failed += 1
    return failed


# ---------------------------------------------------------------------------------- retry


@transaction.atomic
def roster_import_retry(*, actor: Actor | None, roster_import: RosterImport) -> RosterImport:
    """Put a failed import back to wait for a worker, from its kept upload (the caller enqueues it)."""
    if roster_import.status == Status.FAILED and not roster_import.file:
        raise ValidationError(
            _("The uploaded file has already been deleted; upload the workbook again."), code="file_deleted"
        )
    return state_transition(
        obj=roster_import,
        to=Status.PENDING,
        actor=actor,
        verb=RosterImportVerb.RETRIED,
        changes={
            "message": "",
            "finished_at": None,
            "heartbeat_at": None,
            "processed_rows": 0,
            "total_rows": 0,
            "task_id": "",
        },
    )


# ---------------------------------------------------------------------------------- files


def roster_import_files_purge(*, now: datetime | None = None) -> int:
    """Delete the files of imports that ended more than the retention time ago; the number deleted."""
    now = now or timezone.now()
    cutoff = now - import_retention()
    deleted = 0
    expired = RosterImport.objects.filter(status__in=ENDED, finished_at__lt=cutoff).exclude(file="", error_file="")
    for roster_import in expired:
        for stored in (roster_import.file, roster_import.error_file):
            if stored:
                stored.delete(save=False)
                deleted += 1
        RosterImport.objects.filter(pk=roster_import.pk).update(file="", error_file="")
    return deleted + _orphans_delete(cutoff)


def _orphans_delete(cutoff: datetime) -> int:
    """Files in the imports folder that no import refers to (a row deleted, a run abandoned), once old."""
    storage = private_storage()
    root = Path(storage.path(IMPORTS_FOLDER))
    if not root.is_dir():
        return 0
    referenced: set[str] = set()
    for names in RosterImport.objects.values_list("file", "error_file"):
        referenced.update(name for name in names if name)
    deleted = 0
    for directory, _dirs, files in os.walk(root):
        for file_name in files:
            path = Path(directory) / file_name
            name = path.relative_to(storage.location).as_posix()
            if name in referenced:
                continue
            if datetime.fromtimestamp(path.stat().st_mtime, tz=cutoff.tzinfo) < cutoff:
                path.unlink(missing_ok=True)
                deleted += 1
    return deleted


@dataclass
class UpkeepResult:
    failed: int
    files_deleted: int


def roster_imports_upkeep(*, now: datetime | None = None) -> UpkeepResult:
    """The periodic work: fail stale imports, then delete files past their retention time."""
    now = now or timezone.now()
    return UpkeepResult(failed=roster_imports_fail_stale(now=now), files_deleted=roster_import_files_purge(now=now))

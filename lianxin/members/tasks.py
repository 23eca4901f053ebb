"""Background work of the members app: imports run off the request, with progress on the page; the
daily reminder of development steps coming due."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from lianxin.members.models import RosterImport
from lianxin.members.services.development_reminders import development_remind
from lianxin.members.services.import_upkeep import roster_imports_upkeep
from lianxin.members.services.imports import roster_import_run


@task()
def roster_import_task(roster_import_id: int, language: str = "") -> None:
    """Run a pending import; its messages are written in the uploader's language."""
    roster_import = RosterImport.objects.filter(pk=roster_import_id, status=RosterImport.Status.PENDING).first()
    if roster_import is None:  # already run (a retried task) or deleted
        return
    with translation.override(language or None):
        roster_import_run(roster_import=roster_import)


def roster_import_enqueue(*, roster_import: RosterImport, language: str) -> None:
    """Hand a pending import to a worker, and keep its task's id to tell a dead run from a waiting one."""
    result = roster_import_task.enqueue(roster_import.pk, language)
    RosterImport.objects.filter(
        pk=roster_import.pk, status__in=(RosterImport.Status.PENDING, RosterImport.Status.RUNNING)
    ).update(task_id=str(result.id))


@task()
def roster_imports_upkeep_task() -> dict[str, int]:
    """Every few minutes: fail stale imports and delete import files past their retention time."""
    with translation.override(settings.LANGUAGE_CODE):
        result = roster_imports_upkeep()
    return {"failed": result.failed, "files_deleted": result.files_deleted}


@task()
def remind_development_task() -> int:
    """Daily: tell branch secretaries of development steps coming due; returns how many steps were told."""
    return sum(len(branch.reminders) for branch in development_remind())

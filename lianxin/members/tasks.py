"""Background work of the roster: imports run off the request, with progress on the page."""

from django.utils import translation
from django_tasks import task

from lianxin.members.imports import roster_import_run
from lianxin.members.models import RosterImport


@task()
def roster_import_task(roster_import_id: int, language: str = "") -> None:
    """Run a pending import; its messages are written in the uploader's language."""
    roster_import = RosterImport.objects.filter(pk=roster_import_id, status=RosterImport.Status.PENDING).first()
    if roster_import is None:  # already run (a retried task) or deleted
        return
    with translation.override(language or None):
        roster_import_run(roster_import=roster_import)

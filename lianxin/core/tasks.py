"""Background work of the kernel: refreshing every app's tallies."""

from django_tasks import task

from lianxin.core.tallies import tallies_refresh


@task()
def tallies_refresh_task(full: bool = False) -> dict[str, int]:
    """Every minute: the tallies that changed since the last refresh (every cell when `full`)."""
    return {run.name: run.cells for run in tallies_refresh(full=full)}

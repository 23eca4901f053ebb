"""Background work of the kernel: refreshing every app's tallies and figure snapshots."""

from django_tasks import task

from lianxin.core.snapshots import snapshots_refresh
from lianxin.core.tallies import tallies_refresh


@task()
def tallies_refresh_task(full: bool = False) -> dict[str, int]:
    """Every minute: the tallies that changed since the last refresh (every cell when `full`)."""
    return {run.name: run.cells for run in tallies_refresh(full=full)}


@task()
def snapshots_refresh_task(force: bool = False) -> dict[str, int]:
    """Every minute: the figure snapshots missing or due (every one when `force`)."""
    return {run.name: run.computed for run in snapshots_refresh(force=force)}

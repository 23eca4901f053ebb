"""Telling people about organizational life: the members on an activity's list when it is planned,
moved or cancelled, and the secretary when minutes are late or a required activity is due.

Each is raised inside the service's transaction (lianxin.notifications.services.notify), so it is
sent only if the change commits. Whom "the secretary" means: the organization's admins (those who
plan, record and hold its activities), or the nearest organization above's
(lianxin.notifications.selectors.staff_of).
"""

import hashlib
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.types import Actor
from lianxin.activities import notices
from lianxin.activities.models import Activity
from lianxin.activities.selectors.compliance import Cell
from lianxin.activities.selectors.planning import activities_minutes_due, listed_user_ids
from lianxin.notifications.kinds import Kind
from lianxin.notifications.selectors import staff_groups, staff_of
from lianxin.notifications.services import notify
from lianxin.notifications.texts import organizations_named
from lianxin.organizations.models import Organization

# A change or cancellation this close to the start goes out at once: past quiet hours and digests,
# since members may already be on their way or have arranged their day around it.
SHORT_NOTICE = timedelta(hours=24)
# Minutes still missing this many days after an activity's date: the secretary is told.
MINUTES_DUE_DAYS = 3
# How far back the daily scan looks, so a day the scan did not run is caught up.
MINUTES_LOOKBACK_DAYS = 7


def secretaries_of(organization: Organization) -> list[int]:
    return staff_of(organization, (RoleAssignment.Role.ORG_ADMIN,))


def short_notice(*starts: datetime, now: datetime | None = None) -> bool:
    """Whether any of `starts` is less than SHORT_NOTICE away (or already past)."""
    now = now or timezone.now()
    return any(start - now < SHORT_NOTICE for start in starts)


def listed_notify(
    *, kind: Kind, activity: Activity, event: str, actor: Actor, urgent: bool = False, only: list[int] | None = None
) -> None:
    """Tell the members on `activity`'s list (with an account), or `only` those of them, about it; not
    the one who made the change. An activity already over is being recorded after the fact, which is
    nobody's news."""
    if activity.ends_at <= timezone.now():
        return
    listed = listed_user_ids(activity)
    notify(
        kind=kind,
        recipients=[pk for pk in listed if pk != actor.pk and (only is None or pk in only)],
        event=event,
        params=notices.activity_params(activity),
        url=notices.activity_url(activity),
        organization=activity.organization,
        urgent=True if urgent else None,  # otherwise the kind's own
    )


@transaction.atomic
def minutes_remind(*, today: date | None = None) -> list[Activity]:
    """Tell the secretary of each activity still not recorded MINUTES_DUE_DAYS after its date (run daily).

    Once per activity: the event names the activity, so a second run, or the next day's, tells
    no one again. Returns the activities found."""
    today = today or timezone.localdate()
    late = list(activities_minutes_due(today=today, after_days=MINUTES_DUE_DAYS, lookback_days=MINUTES_LOOKBACK_DAYS))
    secretaries: dict[int, list[int]] = {}
    for activity in late:
        organization = activity.organization
        if organization.pk not in secretaries:
            secretaries[organization.pk] = secretaries_of(organization)
        notify(
            kind=notices.MINUTES_DUE,
            recipients=secretaries[organization.pk],
            event=f"activity:{activity.pk}:minutes_due",
            params=notices.activity_params(activity),
            url=notices.activity_url(activity),
            organization=organization,
        )
    return late


def compliance_notify(*, due: list[tuple[Organization, list[Cell]]]) -> None:
    """Tell each branch's secretary what is due and not yet held: one message per period end, however
    many days the reminder is repeated on the board (the event names the branch and the end). Whoever
    is told for several branches (a committee's admins, for branches with none of their own) gets one
    message for all of them, naming the organization above them, its board and the kinds due."""
    cells_of = {branch.pk: cells for branch, cells in due}
    groups = staff_groups([branch for branch, _cells in due], (RoleAssignment.Role.ORG_ADMIN,))
    for recipients, branches in groups.items():
        by_end: dict[date, dict[int, list[str]]] = defaultdict(dict)
        for branch in branches:
            for cell in cells_of[branch.pk]:
                by_end[cell.window.end].setdefault(branch.pk, []).append(cell.kind)
        for end, kinds_of in sorted(by_end.items()):
            told = [branch for branch in branches if branch.pk in kinds_of]
            organization, name = organizations_named(told, notices.ORGANIZATION_CHARS)
            assert organization is not None  # branches of one city share its root
            kinds = [kind for branch in told for kind in kinds_of[branch.pk]]
            ids = ",".join(str(branch.pk) for branch in told)
            several = "" if len(told) == 1 else f":{hashlib.sha256(ids.encode()).hexdigest()[:12]}"
            notify(
                kind=notices.COMPLIANCE_DUE,
                recipients=list(recipients),
                event=f"organization:{organization.pk}:compliance_due:{end.isoformat()}{several}",
                params={**notices.compliance_params(organization, kinds, end), "organization": name},
                url=notices.compliance_url(organization),
                organization=organization,
            )

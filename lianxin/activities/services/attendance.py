"""Attendance for many people at once: "everyone expected was present", or one status for the
people chosen. One conditional UPDATE and one timeline event, however many rows it touches;
the exceptions are then recorded one by one (services/planning.py, attendance_record)."""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.accounts.types import Actor
from lianxin.activities import permissions
from lianxin.activities.models import Activity, ActivityVerb, Attendance
from lianxin.activities.services.planning import CHECKIN_OPENS_BEFORE
from lianxin.core.services import event_record

RECORDABLE = (Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED)


def _check(activity: Activity, actor: Actor, status: str, reason: str) -> None:
    if not permissions.can_manage(actor, activity):
        raise ValidationError(_("You are not allowed to do this with this activity."), code="forbidden")
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled."), code="cancelled")
    if status not in RECORDABLE:
        raise ValidationError(_("Record present, absent or excused."), code="bad_status")
    if status == Attendance.Status.ABSENT and not reason:
        raise ValidationError(_("Give the reason for the absence."), code="no_reason")
    if status == Attendance.Status.PRESENT and activity.starts_at > timezone.now() + CHECKIN_OPENS_BEFORE:
        raise ValidationError(_("Nobody can be present before the activity starts."), code="too_early")


@transaction.atomic
def attendance_record_bulk(
    *,
    activity: Activity,
    actor: Actor,
    status: str,
    member_ids: Collection[int] | None = None,
    reason: str = "",
) -> int:
    """Record `status` for the people `member_ids` of this activity's list, or, when None, for
    everyone expected whose attendance is not recorded yet ("all present" before the exceptions).

    Everyone named must be on this activity's list, or nothing is written. The "not recorded yet"
    condition is part of the UPDATE, so an exception recorded meanwhile by someone else (or a
    check-in at the venue) is never overwritten. Returns how many rows changed."""
    reason = reason.strip()
    _check(activity, actor, status, reason)
    if status == Attendance.Status.PRESENT:
        reason = ""
    rows = Attendance.objects.filter(activity=activity)
    if member_ids is None:
        rows = rows.filter(role=Attendance.Role.EXPECTED, status=Attendance.Status.UNKNOWN)
    else:
        wanted = set(member_ids)
        if not wanted:
            raise ValidationError(_("Choose the people to record."), code="nobody")
        listed = set(rows.filter(member_id__in=wanted).values_list("member_id", flat=True))
        if listed != wanted:
            missing = len(wanted - listed)
            raise ValidationError(
                ngettext(
                    "%(n)s of the people chosen is not on this activity's list; nothing was recorded.",
                    "%(n)s of the people chosen are not on this activity's list; nothing was recorded.",
                    missing,
                )
                % {"n": missing},
                code="not_listed",
            )
        rows = rows.filter(member_id__in=wanted)
    changed = rows.update(status=status, reason=reason)
    if changed:
        event_record(
            subject=activity,
            actor=actor,
            verb=ActivityVerb.ATTENDANCE_RECORDED_IN_BULK,
            note=f"{Attendance.Status(status).label} × {changed}",
            data={"status": status, "count": changed, "everyone_expected": member_ids is None},
        )
    return changed

"""Every change to an activity and its attendance goes through here; each one writes a timeline event.

Attendance changes are conditional UPDATEs keyed on the activity and member (and, for a
check-in, on not yet being checked in), so two people recording at once cannot overwrite
each other unseen, on PostgreSQL and SQLite alike.
"""

from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.activities import notices, permissions
from lianxin.activities.models import (
    Activity,
    ActivityVerb,
    Attendance,
    JointEvent,
    JointEventVerb,
    Kind,
    OrganizationFeed,
)
from lianxin.activities.selectors.planning import feed_of
from lianxin.activities.services.reminders import listed_notify, short_notice
from lianxin.core.checkin import checkin_code_verify
from lianxin.core.services import event_record
from lianxin.core.tokens import new_token
from lianxin.core.transitions import state_transition
from lianxin.members.models import Member
from lianxin.organizations.models import Organization, OrganizationVerb
from lianxin.organizations.selectors import current_seats

Status = Activity.Status
CHECKIN_OPENS_BEFORE = timedelta(hours=1)
# What the members on the list are told of when it changes: where and when to be (not a new title).
MOVING_FIELDS = {"starts_at", "ends_at", "place", "is_online"}


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this with this activity."), code="forbidden")


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The activity must end after it starts."), code="ends_before_start")


def _check_kind(kind: str) -> None:
    if kind not in Kind.values:
        raise ValidationError(_("Choose a kind of activity from the list."), code="bad_kind")


# Posts held by members of a branch committee (支部委员会): 书记, 副书记, 组织委员, 宣传委员, 纪检委员...
COMMITTEE_POSTS = ("书记", "委员")


def expected_members(organization: Organization, kind: str = "") -> QuerySet[Member]:
    """Who is expected by default: the organization's current Party members, full and probationary.

    For a committee meeting, the current branch committee: its recorded seats when there are any
    (so the meeting's quorum, 支部工作条例 第十二条, counts against the seats); otherwise those
    whose post says they are on the committee; when nobody's does, all Party members, for the
    secretary to correct on the list."""
    members = Member.objects.filter(organization=organization, category__in=Member.PARTY_MEMBER_CATEGORIES)
    if kind == Kind.COMMITTEE_MEETING:
        seats = current_seats(organization)
        if seats.exists():
            return members.filter(pk__in=seats.values("member_id"))
        committee = members.filter(reduce(or_, (Q(post__contains=p) for p in COMMITTEE_POSTS)))
        if committee.exists():
            return committee
    return members


def _attendance_row(activity: Activity, member: Member, role: str) -> Attendance:
    return Attendance(
        activity=activity,
        member=member,
        role=role,
        organization_id=activity.organization_id,
        kind=activity.kind,
        starts_at=activity.starts_at,
    )


@transaction.atomic
def activity_plan(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    is_online: bool = False,
    topic: str = "",
    joint_event: JointEvent | None = None,
) -> Activity:
    """Plan an activity; the organization's current Party members become its expected attendees."""
    if not permissions.can_plan_for(actor, organization):
        raise _not_allowed()
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the activity a title."), code="no_title")
    _check_kind(kind)
    _check_times(starts_at, ends_at)
    activity = Activity.objects.create(
        organization=organization,
        kind=kind,
        title=title,
        topic=topic.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        is_online=is_online,
        joint_event=joint_event,
        created_by=actor,
    )
    expected = expected_members(organization, kind)
    rows = [_attendance_row(activity, m, Attendance.Role.EXPECTED) for m in expected]
    Attendance.objects.bulk_create(rows)
    event_record(
        subject=activity,
        actor=actor,
        verb=ActivityVerb.SCHEDULED,
        to_state=Status.PLANNED,
        data={"expected": len(rows)},
    )
    listed_notify(kind=notices.PLANNED, activity=activity, event=f"activity:{activity.pk}:planned", actor=actor)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    actor: Actor,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    is_online: bool = False,
    topic: str = "",
) -> Activity:
    """Change a planned activity; the attendance rows' copies of its kind and start follow, and
    calendar feeds show the change in place (same UID, higher SEQUENCE)."""
    if not permissions.can_manage(actor, activity):
        raise _not_allowed()
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the activity a title."), code="no_title")
    _check_kind(kind)
    _check_times(starts_at, ends_at)
    values: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place.strip(),
        "is_online": is_online,
        "topic": topic.strip(),
    }
    if not Activity.objects.filter(pk=activity.pk, status=Status.PLANNED).update(**values, updated_at=timezone.now()):
        raise ValidationError(_("Only a planned activity can be changed."), code="not_planned")
    Attendance.objects.filter(activity=activity).update(kind=kind, starts_at=starts_at)
    changes = {k: [str(getattr(activity, k)), str(v)] for k, v in values.items() if getattr(activity, k) != v}
    was_starting = activity.starts_at
    activity.refresh_from_db()
    event = event_record(subject=activity, actor=actor, verb=ActivityVerb.CHANGED, data={"changes": changes})
    if changes.keys() & MOVING_FIELDS:
        # Each change is its own occurrence (its timeline event): moved twice, told twice.
        listed_notify(
            kind=notices.CHANGED,
            activity=activity,
            event=f"activity:{activity.pk}:changed:{event.pk}",
            actor=actor,
            urgent=short_notice(was_starting, activity.starts_at),
        )
    return activity


def _manageable(activity: Activity, actor: Actor) -> None:
    if not permissions.can_manage(actor, activity):
        raise _not_allowed()
    if activity.status == Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled."), code="cancelled")


@transaction.atomic
def attendance_add(*, activity: Activity, actor: Actor, member: Member, role: str) -> Attendance:
    """Invite someone beyond the organization's members, or record an observer (列席)."""
    _manageable(activity, actor)
    if role not in (Attendance.Role.INVITED, Attendance.Role.OBSERVER):
        raise ValidationError(_("Add people as invited or as observers."), code="bad_role")
    if member.category not in Member.CURRENT_CATEGORIES:
        raise ValidationError(_("%(name)s is no longer on the roster.") % {"name": member.name}, code="not_current")
    try:
        with transaction.atomic():
            row = _attendance_row(activity, member, role)
            row.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already on this activity's list.") % {"name": member.name}, code="already_listed"
        ) from None
    event_record(subject=activity, actor=actor, verb=ActivityVerb.ATTENDEE_ADDED, note=member.name, data={"role": role})
    if activity.status == Status.PLANNED and member.user_id is not None:
        # Told of the plan as the list was when it was made (the same event: nobody twice).
        listed_notify(
            kind=notices.PLANNED,
            activity=activity,
            event=f"activity:{activity.pk}:planned",
            actor=actor,
            only=[member.user_id],
        )
    return row


@transaction.atomic
def attendance_remove(*, activity: Activity, actor: Actor, member: Member) -> None:
    """Take someone wrongly listed off a planned or held activity's list; the quorum and counts
    follow. Someone who checked in at the venue was there, so their row stays."""
    _manageable(activity, actor)
    row = Attendance.objects.filter(activity=activity, member=member).first()
    if row is None:
        raise ValidationError(_("%(name)s is not on this activity's list.") % {"name": member.name}, code="not_listed")
    # One conditional DELETE: a check-in or a cancellation landing meanwhile keeps the row.
    removed, _by_model = Attendance.objects.filter(
        pk=row.pk,
        checked_in_at__isnull=True,
        activity__status__in=(Status.PLANNED, Status.HELD),
    ).delete()
    if not removed:
        if Attendance.objects.filter(pk=row.pk, checked_in_at__isnull=False).exists():
            raise ValidationError(
                _("%(name)s checked in at the venue and cannot be taken off the list.") % {"name": member.name},
                code="checked_in",
            )
        raise ValidationError(
            _("This activity has just been changed by someone else; reload the page."), code="conflict"
        )
    event_record(
        subject=activity,
        actor=actor,
        verb=ActivityVerb.ATTENDEE_REMOVED,
        note=member.name,
        data={"role": row.role, "status": row.status},
    )


@transaction.atomic
def attendance_record(*, activity: Activity, actor: Actor, member: Member, status: str, reason: str = "") -> Attendance:
    """Record by hand: present, absent with a reason, or excused."""
    _manageable(activity, actor)
    reason = reason.strip()
    if status not in (Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED):
        raise ValidationError(_("Record present, absent or excused."), code="bad_status")
    if status == Attendance.Status.ABSENT and not reason:
        raise ValidationError(_("Give the reason for the absence."), code="no_reason")
    if activity.starts_at > timezone.now() + CHECKIN_OPENS_BEFORE and status == Attendance.Status.PRESENT:
        raise ValidationError(_("Nobody can be present before the activity starts."), code="too_early")
    if status != Attendance.Status.ABSENT and status != Attendance.Status.EXCUSED:
        reason = ""
    updated = Attendance.objects.filter(activity=activity, member=member).update(status=status, reason=reason)
    if not updated:
        raise ValidationError(
            _("%(name)s is not on this activity's list; add them first.") % {"name": member.name}, code="not_listed"
        )
    event_record(
        subject=activity, actor=actor, verb=ActivityVerb.ATTENDANCE_RECORDED, note=member.name, data={"status": status}
    )
    return Attendance.objects.get(activity=activity, member=member)


def _may_check_in(activity: Activity, member: Member) -> bool:
    """On the list; or someone the default list would now expect (a Party member who joined the
    organization after the list was drawn up; for a committee meeting, only a committee member)."""
    return (
        Attendance.objects.filter(activity=activity, member=member).exists()
        or expected_members(activity.organization, activity.kind).filter(pk=member.pk).exists()
    )


def _check_in_open(activity: Activity, now: datetime) -> None:
    """The window, checked before the code: outside it the answer is the same whatever the code."""
    if activity.status != Status.PLANNED:
        raise ValidationError(_("This activity is not open for check-in."), code="not_planned")
    if now < activity.starts_at - CHECKIN_OPENS_BEFORE:
        raise ValidationError(_("Check-in opens an hour before the start."), code="too_early")
    if now > activity.ends_at:
        raise ValidationError(_("This activity has ended; check-in is closed."), code="too_late")


def attendance_check_in(*, activity: Activity, actor: Actor, code: str, now: datetime | None = None) -> Attendance:
    """A member on the list checks in at the venue with the code it shows, from an hour before the start.

    The window and the list come first; then the code, with wrong tries limited
    (lianxin/core/checkin.py). Not one transaction as a whole: a wrong try is counted
    even though the check-in is refused; the check-in itself is (_attendance_check_in)."""
    now = now or timezone.now()
    _check_in_open(activity, now)
    member = permissions.member_of(actor)
    if member is None or not _may_check_in(activity, member):
        raise ValidationError(_("You are not on this activity's list; ask the organizer."), code="not_listed")
    checkin_code_verify(
        subject=activity,
        user=actor,
        code=code,
        expected=activity.checkin_code,
        now=now,
        wrong=_("That is not this activity's check-in code."),
    )
    return _attendance_check_in(activity=activity, actor=actor, member=member, now=now)


@transaction.atomic
def _attendance_check_in(*, activity: Activity, actor: Actor, member: Member, now: datetime) -> Attendance:
    """Someone not on the list yet but expected now is added as expected (two check-ins at once add them once)."""
    if not Attendance.objects.filter(activity=activity, member=member).exists():
        try:
            with transaction.atomic():
                _attendance_row(activity, member, Attendance.Role.EXPECTED).save()
        except IntegrityError:
            pass
    if not Attendance.objects.filter(activity=activity, member=member, checked_in_at__isnull=True).update(
        checked_in_at=now, status=Attendance.Status.PRESENT, reason=""
    ):
        raise ValidationError(_("You have already checked in."), code="already_checked_in")
    event_record(subject=activity, actor=actor, verb=ActivityVerb.CHECKED_IN, note=member.name)
    return Attendance.objects.get(activity=activity, member=member)


@transaction.atomic
def activity_hold(
    *,
    activity: Activity,
    actor: Actor,
    minutes: str,
    topic: str,
    host: str,
    recorder: str,
    place: str = "",
    is_online: bool = False,
) -> Activity:
    """Record that the activity was held, with its minutes; a congress without quorum is still recorded."""
    if not permissions.can_manage(actor, activity):
        raise _not_allowed()
    values = {"minutes": minutes.strip(), "topic": topic.strip(), "host": host.strip(), "recorder": recorder.strip()}
    if not values["minutes"]:
        raise ValidationError(_("Write the minutes of the activity."), code="no_minutes")
    if not values["host"] or not values["recorder"]:
        raise ValidationError(_("Name the host and the recorder."), code="no_host")
    if activity.starts_at > timezone.now():
        raise ValidationError(_("An activity cannot be held before it starts."), code="not_started")
    changes: dict[str, Any] = {
        **values,
        "place": place.strip() or activity.place,
        "is_online": is_online,
        "updated_at": timezone.now(),
    }
    return state_transition(
        obj=activity,
        to=Status.HELD,
        actor=actor,
        changes=changes,
        verb=ActivityVerb.HELD,
        conflict=_("This activity has just been changed by someone else; reload the page."),
    )


@transaction.atomic
def activity_minutes_correct(
    *, activity: Activity, actor: Actor, minutes: str, topic: str, host: str, recorder: str
) -> Activity:
    """Correct the minutes of a held activity; the timeline keeps what they said before."""
    if not permissions.can_manage(actor, activity):
        raise _not_allowed()
    values = {"minutes": minutes.strip(), "topic": topic.strip(), "host": host.strip(), "recorder": recorder.strip()}
    if not values["minutes"]:
        raise ValidationError(_("Write the minutes of the activity."), code="no_minutes")
    if not values["host"] or not values["recorder"]:
        raise ValidationError(_("Name the host and the recorder."), code="no_host")
    changes = {k: [getattr(activity, k), v] for k, v in values.items() if getattr(activity, k) != v}
    if not Activity.objects.filter(pk=activity.pk, status=Status.HELD).update(**values, updated_at=timezone.now()):
        raise ValidationError(_("Only the minutes of a held activity can be corrected."), code="not_held")
    activity.refresh_from_db()
    event_record(subject=activity, actor=actor, verb=ActivityVerb.CHANGED, data={"changes": changes})
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, actor: Actor, reason: str) -> Activity:
    if not permissions.can_manage(actor, activity):
        raise _not_allowed()
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling."), code="no_reason")
    activity = state_transition(
        obj=activity,
        to=Status.CANCELLED,
        actor=actor,
        changes={"cancel_reason": reason, "updated_at": timezone.now()},
        note=reason,
        verb=ActivityVerb.CANCELLED,
        conflict=_("This activity has just been changed by someone else; reload the page."),
    )
    listed_notify(
        kind=notices.CANCELLED,
        activity=activity,
        event=f"activity:{activity.pk}:cancelled",
        actor=actor,
        urgent=short_notice(activity.starts_at),
    )
    return activity


@transaction.atomic
def organization_feed_reset(*, organization: Organization, actor: Actor) -> OrganizationFeed:
    """A new calendar link for the organization's activities; the old one stops working at once."""
    if not permissions.can_plan_for(actor, organization):
        raise _not_allowed()
    feed = feed_of(organization)
    OrganizationFeed.objects.filter(pk=feed.pk).update(token=new_token())
    feed.refresh_from_db()
    event_record(subject=organization, actor=actor, verb=OrganizationVerb.FEED_RESET)
    return feed


@transaction.atomic
def joint_event_create(
    *,
    actor: Actor,
    organizer: Organization,
    organizations: list[Organization],
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    is_online: bool = False,
    description: str = "",
) -> JointEvent:
    """One event held by many organizations at once: a part (an Activity) for each of them."""
    if not permissions.can_plan_for(actor, organizer):
        raise _not_allowed()
    if not organizations:
        raise ValidationError(_("Choose the organizations taking part."), code="no_organizations")
    outside = [o.name for o in organizations if not organizer.path or not o.path.startswith(organizer.path)]
    if outside:
        raise ValidationError(
            _("These organizations are not under the organizer: %(names)s") % {"names": ", ".join(outside)},
            code="outside_organizer",
        )
    _check_kind(kind)
    _check_times(starts_at, ends_at)
    if not title.strip():
        raise ValidationError(_("Give the activity a title."), code="no_title")
    event = JointEvent.objects.create(
        title=title.strip(),
        kind=kind,
        organizer=organizer,
        starts_at=starts_at,
        description=description.strip(),
        created_by=actor,
    )
    for organization in {o.pk: o for o in organizations}.values():
        activity_plan(
            actor=actor,
            organization=organization,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            is_online=is_online,
            joint_event=event,
        )
    event_record(subject=event, actor=actor, verb=JointEventVerb.CREATED, data={"parts": len(organizations)})
    return event

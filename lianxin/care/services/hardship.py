"""Writes of hardship records: record, change, review once a year, end with a reason."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.care import permissions
from lianxin.care.models import HardshipRecord, HardshipVerb
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.members.models import Member

NOTE_MAX = 200


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this for this member."), code="forbidden")


def _clean(level: str, reason: str, note: str, since: date, today: date) -> tuple[str, str, str]:
    if level not in HardshipRecord.Level.values:
        raise ValidationError(_("Unknown hardship level %(value)s.") % {"value": level}, code="level")
    if reason not in HardshipRecord.Reason.values:
        raise ValidationError(_("Unknown hardship reason %(value)s.") % {"value": reason}, code="reason")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("The note is longer than %(n)s characters.") % {"n": NOTE_MAX}, code="note")
    if reason == HardshipRecord.Reason.OTHER and not note:
        raise ValidationError(_("Say what the hardship is when the reason is other."), code="note_needed")
    if since > today:
        raise ValidationError(_("The hardship cannot start in the future."), code="future")
    return level, reason, note


@transaction.atomic
def hardship_record(
    *, actor: Actor, member: Member, level: str, reason: str, since: date, note: str = ""
) -> HardshipRecord:
    """Record a member as in hardship; a member holds at most one active record."""
    if not permissions.manages(actor, member.organization.path):
        raise _not_allowed()
    if member.category not in Member.PARTY_MEMBER_CATEGORIES:
        raise ValidationError(_("%(name)s is not a Party member on the roster.") % {"name": member.name}, code="member")
    level, reason, note = _clean(level, reason, note, since, timezone.localdate())
    if HardshipRecord.objects.filter(member=member, status=HardshipRecord.Status.ACTIVE).exists():
        raise ValidationError(
            _("%(name)s already has an active hardship record.") % {"name": member.name}, code="duplicate"
        )
    try:
        with transaction.atomic():
            record = HardshipRecord.objects.create(
                member=member, level=level, reason=reason, note=note, since=since, created_by=actor
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s already has an active hardship record.") % {"name": member.name}, code="duplicate"
        ) from exc
    event_record(subject=record, actor=actor, verb=HardshipVerb.RECORDED, to_state=record.status)
    return record


@transaction.atomic
def hardship_update(
    *, actor: Actor, record: HardshipRecord, level: str, reason: str, since: date, note: str = ""
) -> HardshipRecord:
    if not permissions.manages(actor, record.member.organization.path):
        raise _not_allowed()
    if not record.is_active:
        raise ValidationError(_("This hardship record has ended."), code="ended")
    level, reason, note = _clean(level, reason, note, since, timezone.localdate())
    changed = {
        k: v
        for k, v in {"level": level, "reason": reason, "note": note, "since": since}.items()
        if getattr(record, k) != v
    }
    if not changed:
        return record
    HardshipRecord.objects.filter(pk=record.pk).update(**changed)
    for field, value in changed.items():
        setattr(record, field, value)
    event_record(subject=record, actor=actor, verb=HardshipVerb.UPDATED, data={k: str(v) for k, v in changed.items()})
    return record


@transaction.atomic
def hardship_review(
    *, actor: Actor, record: HardshipRecord, on: date, level: str = "", note: str = ""
) -> HardshipRecord:
    """The yearly review: the hardship goes on (at the level found); ending it is hardship_end."""
    if not permissions.manages(actor, record.member.organization.path):
        raise _not_allowed()
    if not record.is_active:
        raise ValidationError(_("This hardship record has ended."), code="ended")
    if on > timezone.localdate() or on < record.since:
        raise ValidationError(
            _("The review date must lie between the start of the hardship and today."), code="review_date"
        )
    level = level or record.level
    if level not in HardshipRecord.Level.values:
        raise ValidationError(_("Unknown hardship level %(value)s.") % {"value": level}, code="level")
    HardshipRecord.objects.filter(pk=record.pk).update(reviewed_on=on, level=level)
    from_level = record.level
    record.reviewed_on, record.level = on, level
    event_record(
        subject=record,
        actor=actor,
        verb=HardshipVerb.REVIEWED,
        note=note.strip()[:NOTE_MAX],
        data={"on": on.isoformat(), "level": level, "from_level": from_level},
    )
    return record


@transaction.atomic
def hardship_end(*, actor: Actor, record: HardshipRecord, on: date, reason: str) -> HardshipRecord:
    if not permissions.manages(actor, record.member.organization.path):
        raise _not_allowed()
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the hardship ended."), code="no_reason")
    if len(reason) > NOTE_MAX:
        raise ValidationError(_("The reason is longer than %(n)s characters.") % {"n": NOTE_MAX}, code="reason")
    if on > timezone.localdate() or on < record.since:
        raise ValidationError(_("The end date must lie between the start of the hardship and today."), code="end_date")
    return state_transition(
        obj=record,
        to=HardshipRecord.Status.ENDED,
        actor=actor,
        changes={"ended_on": on, "end_reason": reason},
        note=reason,
        verb=HardshipVerb.ENDED,
    )

"""At the venue and after it: a walk-in signs up and checks in in one step; the leader credits
every volunteer still to confirm at once ("all present"), then corrects the exceptions one by one
(services.sessions.signup_record_hours)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.checkin import checkin_code_verify
from lianxin.core.services import event_record
from lianxin.volunteering.models import Session, SessionVerb, SignUp
from lianxin.volunteering.rules.hours import rounded_hours
from lianxin.volunteering.selectors.sessions import may_sign_up_for, signups_to_confirm
from lianxin.volunteering.services.sessions import attendance_open, check_in_open, session_length, take_place


def _full(session: Session) -> ValidationError:
    return ValidationError(
        _("This session is full: all %(slots)s places are taken. Ask the team leader at the venue.")
        % {"slots": session.slots},
        code="full",
    )


def signup_walk_in(*, session: Session, actor: Actor, code: str, now: datetime | None = None) -> SignUp:
    """A volunteer who came without signing up takes a place and checks in, with the venue's code.

    The rules of check-in (the window, the code and its limited tries) and of sign-up (who may
    volunteer, no overlapping sessions, the places) both hold. The place and the check-in are
    written together or not at all; a wrong code writes neither (only the wrong try is counted,
    as at any check-in, lianxin/core/checkin.py)."""
    now = now or timezone.now()
    check_in_open(session, now)
    if SignUp.objects.filter(session=session, user_id=actor.pk, left_at__isnull=True).exists():
        raise ValidationError(
            _("You are already signed up for this session; check in with the code."), code="already_signed_up"
        )
    if not may_sign_up_for(actor, session.team):
        raise ValidationError(_("Sign-up is for Party members and the team's volunteers."), code="not_a_volunteer")
    if session.signed_up_count >= session.slots:
        raise _full(session)  # before the code: a full session spends no try
    checkin_code_verify(
        subject=session,
        user=actor,
        code=code,
        expected=session.checkin_code,
        now=now,
        wrong=_("That is not this session's check-in code."),
    )
    return _walk_in(session=session, actor=actor, now=now)


@transaction.atomic
def _walk_in(*, session: Session, actor: Actor, now: datetime) -> SignUp:
    signup = take_place(session=session, volunteer=actor, full=str(_full(session).message), checked_in_at=now)
    data = {"volunteer": actor.pk, "places": session.signed_up_count, "slots": session.slots, "walk_in": True}
    event_record(subject=session, actor=actor, verb=SessionVerb.SIGNED_UP, note=str(actor), data=data)
    event_record(
        subject=session,
        actor=actor,
        verb=SessionVerb.CHECKED_IN,
        note=str(actor),
        data={"volunteer": actor.pk, "walk_in": True},
    )
    return signup


@transaction.atomic
def session_confirm_all_present(*, session: Session, actor: Actor) -> list[SignUp]:
    """Credit the session's full hours to every volunteer whose hours are still to confirm (not
    checked out, not yet recorded by the leader); the others keep theirs. Returns the rows changed."""
    attendance_open(session=session, actor=actor)
    hours = rounded_hours(session_length(session))
    now = timezone.now()
    changed = []
    for signup in signups_to_confirm(session):
        # Conditional: a check-out or a correction landing meanwhile is kept, not overwritten.
        if not SignUp.objects.filter(
            pk=signup.pk, left_at__isnull=True, checked_out_at__isnull=True, hours_confirmed_at__isnull=True
        ).update(hours=hours, hours_confirmed_at=now):
            continue
        previous = signup.hours
        signup.hours, signup.hours_confirmed_at = hours, now
        event_record(
            subject=session,
            actor=actor,
            verb=SessionVerb.HOURS_RECORDED,
            note=str(signup.user),
            data={"volunteer": signup.user_id, "all_present": True, "changes": {"hours": [str(previous), str(hours)]}},
        )
        changed.append(signup)
    return changed

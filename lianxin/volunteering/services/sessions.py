"""Every change to a session or a sign-up goes through here; each one writes a timeline event.

Race safety holds on PostgreSQL and SQLite alike:
- a place is taken by a conditional UPDATE (`signed_up_count < slots`), so of two people
  taking the last place one succeeds and the other is told clearly;
- the overlap check of one person's sign-ups is serialized per person: on PostgreSQL by
  locking the person's user row (SELECT ... FOR UPDATE) before reading their sign-ups; on
  SQLite every transaction begins IMMEDIATE (config/settings/base.py), so writers queue
  at BEGIN and the check reads what the previous writer committed;
- check-in, check-out and leaving are conditional UPDATEs on the sign-up row, so a double
  tap changes it once.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.accounts.types import Actor
from lianxin.core.checkin import checkin_code_verify
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.organizations.models import Area
from lianxin.volunteering import notices
from lianxin.volunteering.models import (
    Order,
    OrderVerb,
    ServiceItem,
    Session,
    SessionVerb,
    SignUp,
    Team,
)
from lianxin.volunteering.rules.hours import hour_rounding_rule, rounded_hours
from lianxin.volunteering.selectors.sessions import (
    CHECKIN_OPENS_BEFORE,
    can_manage_session,
    can_schedule_for,
    may_sign_up_for,
)

Status = Session.Status

LONGEST_SESSION = timedelta(hours=24)


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this with this session."), code="forbidden")


def _local_date_label(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# ------------------------------------------------------------------ scheduling


def _clean_schedule(
    *, team: Team, title: str, place: str, starts_at: datetime, ends_at: datetime, slots: int, item: ServiceItem | None
) -> tuple[str, str]:
    title, place = title.strip(), place.strip()
    if not title:
        raise ValidationError(_("Give the session a title."), code="no_title")
    if not place:
        raise ValidationError(_("Say where the session takes place."), code="no_place")
    if ends_at <= starts_at:
        raise ValidationError(_("The session must end after it starts."), code="ends_before_start")
    if ends_at - starts_at > LONGEST_SESSION:
        raise ValidationError(_("A session lasts at most 24 hours; schedule one per day."), code="too_long")
    if slots < 1:
        raise ValidationError(_("A session needs at least one volunteer."), code="slots")
    if item is not None and item.team_id != team.pk:
        raise ValidationError(_("%(item)s is not a service of %(team)s.") % {"item": item, "team": team}, code="item")
    return title, place


def _clean_order(order: Order | None, team: Team, starts_at: datetime) -> None:
    if order is None:
        return
    if order.status != Order.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted order can be scheduled."), code="order_not_accepted")
    if order.team_id != team.pk:
        raise ValidationError(_("This order was accepted by another team."), code="order_team")
    day = timezone.localtime(starts_at).date()
    if not order.starts_on <= day <= order.ends_on:
        raise ValidationError(
            _("The order asks for a service between %(start)s and %(end)s.")
            % {"start": order.starts_on, "end": order.ends_on},
            code="order_dates",
        )


@transaction.atomic
def session_create(
    *,
    actor: Actor,
    team: Team,
    title: str,
    area: Area,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    slots: int,
    item: ServiceItem | None = None,
    order: Order | None = None,
) -> Session:
    """The team leader (or an admin over the team's organization) schedules a session."""
    if not can_schedule_for(actor, team):
        raise _not_allowed()
    if not team.is_active:
        raise ValidationError(_("%(team)s is no longer active.") % {"team": team}, code="inactive_team")
    title, place = _clean_schedule(
        team=team, title=title, place=place, starts_at=starts_at, ends_at=ends_at, slots=slots, item=item
    )
    _clean_order(order, team, starts_at)
    session = Session.objects.create(
        team=team,
        order=order,
        item=item,
        title=title,
        area=area,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        slots=slots,
        created_by=actor,
    )
    event_record(subject=session, actor=actor, verb=SessionVerb.SCHEDULED, to_state=session.status)
    if order is not None:
        # The order's timeline shows every step of serving it, the sessions included.
        event_record(
            subject=order, actor=actor, verb=OrderVerb.SCHEDULED, note=f"{session.title} {starts_at:%Y-%m-%d %H:%M}"
        )
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    actor: Actor,
    title: str,
    area: Area,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    slots: int,
    item: ServiceItem | None = None,
) -> Session:
    """Change a planned session; its volunteers' sign-ups follow the new times."""
    if not can_manage_session(actor, session):
        raise _not_allowed()
    title, place = _clean_schedule(
        team=session.team, title=title, place=place, starts_at=starts_at, ends_at=ends_at, slots=slots, item=item
    )
    _clean_order(session.order, session.team, starts_at)
    before = {"title": session.title, "place": session.place, "starts_at": session.starts_at, "slots": session.slots}
    moved = (session.starts_at, session.ends_at, session.place) != (starts_at, ends_at, place)
    values: dict[str, Any] = {
        "title": title,
        "area": area,
        "place": place,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "slots": slots,
        "item": item,
        "updated_at": timezone.now(),
    }
    # Conditional: the session is still planned and has no more volunteers than the new slots.
    if not Session.objects.filter(pk=session.pk, status=Status.PLANNED, signed_up_count__lte=slots).update(**values):
        current = Session.objects.get(pk=session.pk)
        if current.status != Status.PLANNED:
            raise ValidationError(_("Only a planned session can be changed."), code="not_planned")
        raise ValidationError(
            _("%(count)s volunteers have signed up; the session needs at least that many places.")
            % {"count": current.signed_up_count},
            code="slots_below_signups",
        )
    SignUp.objects.filter(session=session, left_at__isnull=True).update(starts_at=starts_at, ends_at=ends_at)
    for field, value in values.items():
        setattr(session, field, value)
    after = {"title": title, "place": place, "starts_at": starts_at, "slots": slots}
    changes = {
        field: [_stringify(before[field]), _stringify(after[field])]
        for field in before
        if before[field] != after[field]
    }
    event = event_record(
        subject=session, actor=actor, verb=SessionVerb.CHANGED, data={"changes": changes} if changes else None
    )
    if moved:  # the volunteers need to know when and where, not a new title or more places
        notices.tell_session_changed(session, actor=actor, event_pk=event.pk)
    return session


def _stringify(value: Any) -> str:
    return _local_date_label(value) if isinstance(value, datetime) else str(value)


@transaction.atomic
def session_cancel(*, session: Session, actor: Actor, reason: str) -> Session:
    """Cancel a planned session, saying why; calendars show it as cancelled."""
    if not can_manage_session(actor, session):
        raise _not_allowed()
    if not reason.strip():
        raise ValidationError(_("Say why the session is cancelled."), code="no_reason")
    state_transition(
        obj=session,
        to=Status.CANCELLED,
        actor=actor,
        changes={"updated_at": timezone.now()},
        note=reason.strip(),
        verb=SessionVerb.CANCELLED,
    )
    notices.tell_session_cancelled(session, actor=actor)
    return session


@transaction.atomic
def session_mark_held(*, session: Session, actor: Actor, beneficiaries: int, note: str = "") -> Session:
    """Record that the session took place and how many people it served (惠及群众人次)."""
    if not can_manage_session(actor, session):
        raise _not_allowed()
    if session.starts_at > timezone.now():
        raise ValidationError(_("A session can be marked as held once it has started."), code="not_started")
    if beneficiaries < 0:
        raise ValidationError(_("The number of people served cannot be negative."), code="beneficiaries")
    return state_transition(
        obj=session,
        to=Status.HELD,
        actor=actor,
        changes={"beneficiaries": beneficiaries, "updated_at": timezone.now()},
        note=note.strip(),
        verb=SessionVerb.HELD,
        data={"beneficiaries": beneficiaries},
    )


# ------------------------------------------------------------------ signing up and leaving


def _lock_person(user: Actor) -> None:
    """Serialize one person's sign-ups: the overlap check below reads what others committed."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _overlapping(user: Actor, session: Session) -> SignUp | None:
    return (
        SignUp.objects.filter(
            user_id=user.pk, left_at__isnull=True, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
        )
        .exclude(session__status=Status.CANCELLED)
        .exclude(session=session)
        .select_related("session")
        .first()
    )


def take_place(*, session: Session, volunteer: Actor, full: str, checked_in_at: datetime | None = None) -> SignUp:
    """Refuse a second or an overlapping sign-up, then take a place if one remains (refused with
    `full`) and write the sign-up, checked in at `checked_in_at` when given (a walk-in)."""
    _lock_person(volunteer)
    if SignUp.objects.filter(session=session, user_id=volunteer.pk, left_at__isnull=True).exists():
        raise ValidationError(_("Already signed up for this session."), code="already_signed_up")
    clash = _overlapping(volunteer, session)
    if clash is not None:
        raise ValidationError(
            _("This overlaps with %(title)s (%(start)s) that %(who)s signed up for.")
            % {"title": clash.session.title, "start": _local_date_label(clash.starts_at), "who": volunteer},
            code="overlap",
        )
    # Conditional increment: the database refuses a place beyond the slots, whoever asks first.
    if not Session.objects.filter(pk=session.pk, status=Status.PLANNED, signed_up_count__lt=F("slots")).update(
        signed_up_count=F("signed_up_count") + 1
    ):
        raise ValidationError(full, code="full")
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(
                session=session,
                user=volunteer,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                checked_in_at=checked_in_at,
            )
    except IntegrityError as exc:
        raise ValidationError(_("Already signed up for this session."), code="already_signed_up") from exc
    session.signed_up_count = Session.objects.values_list("signed_up_count", flat=True).get(pk=session.pk)
    return signup


@transaction.atomic
def signup_create(*, session: Session, actor: Actor, volunteer: Actor | None = None) -> SignUp:
    """Take a place on a session. The leader may sign up someone else (e.g. without a phone),
    also after the start; volunteers sign themselves up before it starts."""
    volunteer = volunteer or actor
    on_behalf = volunteer.pk != actor.pk
    if on_behalf and not can_manage_session(actor, session):
        raise _not_allowed()
    if not may_sign_up_for(volunteer, session.team):
        raise ValidationError(_("Sign-up is for Party members and the team's volunteers."), code="not_a_volunteer")
    if session.status != Status.PLANNED:
        raise ValidationError(_("This session is not open for sign-up."), code="not_planned")
    now = timezone.now()
    if not on_behalf and session.starts_at <= now:
        raise ValidationError(_("This session has already started; sign-up is closed."), code="started")
    signup = take_place(
        session=session, volunteer=volunteer, full=_("The last place on this session has just been taken.")
    )
    event_record(
        subject=session,
        actor=actor,
        verb=SessionVerb.SIGNED_UP,
        note=str(volunteer),
        data={"volunteer": volunteer.pk, "places": session.signed_up_count, "slots": session.slots},
    )
    return signup


def _own_signup(session: Session, user: Actor) -> SignUp:
    signup = SignUp.objects.filter(session=session, user_id=user.pk, left_at__isnull=True).first()
    if signup is None:
        raise ValidationError(_("You have not signed up for this session."), code="not_signed_up")
    return signup


@transaction.atomic
def signup_leave(*, session: Session, actor: Actor) -> SignUp:
    """Give the place back before checking in."""
    signup = _own_signup(session, actor)
    if signup.checked_in_at is not None or signup.hours > 0:
        raise ValidationError(_("You have checked in; you can no longer leave this session."), code="checked_in")
    if session.status != Status.PLANNED:
        raise ValidationError(_("This session is over; you can no longer leave it."), code="not_planned")
    now = timezone.now()
    # Conditional: a double tap (or a check-in at the same moment) leaves at most once.
    if not SignUp.objects.filter(pk=signup.pk, left_at__isnull=True, checked_in_at__isnull=True).update(left_at=now):
        raise ValidationError(_("Your sign-up has just changed; reload the page."), code="conflict")
    Session.objects.filter(pk=session.pk, signed_up_count__gt=0).update(signed_up_count=F("signed_up_count") - 1)
    session.signed_up_count = Session.objects.values_list("signed_up_count", flat=True).get(pk=session.pk)
    signup.left_at = now
    event_record(
        subject=session, actor=actor, verb=SessionVerb.SIGNUP_LEFT, note=str(actor), data={"volunteer": actor.pk}
    )
    return signup


# ------------------------------------------------------------------ check-in, check-out, hours


def check_in_open(session: Session, now: datetime) -> None:
    """The window, checked before the code: outside it the answer is the same whatever the code."""
    if session.status != Status.PLANNED:
        raise ValidationError(_("This session is not open for check-in."), code="not_planned")
    opens = session.starts_at - CHECKIN_OPENS_BEFORE
    if now < opens:
        raise ValidationError(
            _("Check-in opens at %(time)s, an hour before the start.") % {"time": _local_date_label(opens)},
            code="too_early",
        )
    if now > session.ends_at:
        raise ValidationError(_("This session has ended; check-in is closed."), code="too_late")


def signup_check_in(*, session: Session, actor: Actor, code: str, now: datetime | None = None) -> SignUp:
    """Check in at the venue with the code it shows, from an hour before the start to the end.

    The window and the sign-up come first; then the code, with wrong tries limited
    (lianxin/core/checkin.py). Not one transaction as a whole: a wrong try is counted
    even though the check-in is refused; the check-in itself is (_signup_check_in)."""
    now = now or timezone.now()
    check_in_open(session, now)
    signup = _own_signup(session, actor)
    checkin_code_verify(
        subject=session,
        user=actor,
        code=code,
        expected=session.checkin_code,
        now=now,
        wrong=_("That is not this session's check-in code."),
    )
    return _signup_check_in(session=session, actor=actor, signup=signup, now=now)


@transaction.atomic
def _signup_check_in(*, session: Session, actor: Actor, signup: SignUp, now: datetime) -> SignUp:
    if not SignUp.objects.filter(pk=signup.pk, left_at__isnull=True, checked_in_at__isnull=True).update(
        checked_in_at=now
    ):
        raise ValidationError(_("You have already checked in."), code="already_checked_in")
    signup.checked_in_at = now
    event_record(
        subject=session, actor=actor, verb=SessionVerb.CHECKED_IN, note=str(actor), data={"volunteer": actor.pk}
    )
    return signup


def session_length(session: Session) -> timedelta:
    return session.ends_at - session.starts_at


def check_out_hours(session: Session, signup: SignUp, now: datetime) -> Decimal:
    """The hours a check-out at `now` credits: the rounded time since check-in, at most the session's length."""
    assert signup.checked_in_at is not None
    return rounded_hours(now - signup.checked_in_at, cap=session_length(session))


@transaction.atomic
def signup_check_out(*, session: Session, actor: Actor, now: datetime | None = None, confirmed: bool = False) -> SignUp:
    """Check out; the hours are check_out_hours. Before the session ends the volunteer is told
    what will be credited and must confirm (`confirmed`): unconfirmed, nothing is written."""
    now = now or timezone.now()
    signup = _own_signup(session, actor)
    if signup.checked_in_at is None:
        raise ValidationError(_("Check in first."), code="not_checked_in")
    if signup.checked_out_at is not None:
        raise ValidationError(_("You have already checked out."), code="already_checked_out")
    if session.status == Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."), code="cancelled")
    hours = check_out_hours(session, signup, now)
    if now < session.ends_at and not confirmed:
        raise ValidationError(
            _("The session ends at %(end)s. Checking out now records %(hours)s hours; confirm to check out.")
            % {"end": timezone.localtime(session.ends_at).strftime("%H:%M"), "hours": f"{hours.normalize():f}"},
            code="confirm_early_check_out",
        )
    if not SignUp.objects.filter(pk=signup.pk, checked_out_at__isnull=True).update(checked_out_at=now, hours=hours):
        raise ValidationError(_("You have already checked out."), code="already_checked_out")
    signup.checked_out_at, signup.hours = now, hours
    event_record(
        subject=session,
        actor=actor,
        verb=SessionVerb.CHECKED_OUT,
        note=str(actor),
        data={"volunteer": actor.pk, "hours": str(hours), "early": now < session.ends_at},
    )
    return signup


def _clean_hours(hours: Decimal, session: Session) -> Decimal:
    cap = rounded_hours(session_length(session))
    if hours < 0:
        raise ValidationError(_("Hours cannot be negative."), code="negative_hours")
    if hours > cap:
        raise ValidationError(
            _("At most %(cap)s hours for a session of this length.") % {"cap": cap}, code="hours_over_length"
        )
    steps = {Decimal("0")} | {h % 1 for _m, h in hour_rounding_rule()}
    if hours % 1 not in steps:
        allowed = ", ".join(sorted({f"{s:.1f}"[1:] for s in steps if s}))
        raise ValidationError(
            _("Hours are counted in whole hours or %(steps)s of an hour.") % {"steps": allowed}, code="hours_step"
        )
    return hours


def attendance_open(*, session: Session, actor: Actor) -> None:
    """The leader records attendance of a session that has started and was not cancelled."""
    if not can_manage_session(actor, session):
        raise _not_allowed()
    if session.status == Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."), code="cancelled")
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the session has started."), code="not_started")


@transaction.atomic
def signup_record_hours(*, session: Session, actor: Actor, signup: SignUp, hours: Decimal, note: str = "") -> SignUp:
    """The leader records attendance and hours by hand, e.g. for someone without a phone."""
    if signup.session_id != session.pk or signup.left_at is not None:
        raise ValidationError(_("This person is not signed up for this session."), code="not_signed_up")
    attendance_open(session=session, actor=actor)
    hours = _clean_hours(hours, session)
    previous = signup.hours
    now = timezone.now()
    if not SignUp.objects.filter(pk=signup.pk, left_at__isnull=True).update(hours=hours, hours_confirmed_at=now):
        raise ValidationError(_("This person has just left the session."), code="conflict")
    signup.hours, signup.hours_confirmed_at = hours, now
    event_record(
        subject=session,
        actor=actor,
        verb=SessionVerb.HOURS_RECORDED,
        note=note.strip() or str(signup.user),
        data={"volunteer": signup.user_id, "changes": {"hours": [str(previous), str(hours)]}},
    )
    return signup

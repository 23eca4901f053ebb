"""What each step that cannot be undone says before it is taken (views/confirm.py asks)."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core.templatetags.lianxin import figure
from lianxin.volunteering.models import Booking, Order, Session, SignUp
from lianxin.volunteering.rules.hours import hour_rounding_rule
from lianxin.volunteering.selectors.sessions import session_signups
from lianxin.volunteering.services.sessions import check_out_hours
from lianxin.volunteering.views.confirm import Confirmation


def _time(moment: object) -> str:
    return timezone.localtime(moment).strftime("%H:%M")  # type: ignore[arg-type]


def early_check_out(session: Session, signup: SignUp | None) -> Confirmation:
    now = timezone.now()
    hours = check_out_hours(session, signup, now) if signup is not None and signup.checked_in_at else Decimal(0)
    facts = [(_("Session ends at"), _time(session.ends_at))]
    if signup is not None and signup.checked_in_at:
        facts.insert(0, (_("You checked in at"), _time(signup.checked_in_at)))
    facts.append((_("Hours recorded if you check out now"), figure(hours)))
    lines = [_("The session has not ended yet. Checking out now records %(hours)s hours.") % {"hours": figure(hours)}]
    zero_step = next((minutes for minutes, counted in hour_rounding_rule() if counted == 0), None)
    if hours == 0 and zero_step:
        lines.append(
            _("Up to %(minutes)s minutes of service count no hours: nothing is added to your record.")
            % {"minutes": zero_step}
        )
    lines.append(_("A check-out cannot be undone; stay checked in to have the whole time counted."))
    return Confirmation(
        title=_("Check out early?"),
        consequences=lines,
        button=_("Check out and record %(hours)s hours") % {"hours": figure(hours)},
        back=session.get_absolute_url(),
        facts=facts,
    )


def session_cancel(session: Session, reason: str) -> Confirmation:
    signed = session_signups(session).count()
    return Confirmation(
        title=_("Cancel %(title)s?") % {"title": session.title},
        consequences=[
            _("The session is cancelled for good; it cannot be planned again."),
            _("%(count)s signed-up volunteers see it as cancelled, in the app and in their calendars.")
            % {"count": figure(signed)},
        ],
        facts=[(_("Reason"), reason)],
        button=_("Cancel the session"),
        back=session.get_absolute_url(),
    )


def session_held(session: Session, beneficiaries: int) -> Confirmation:
    signups = session_signups(session)
    not_in = signups.filter(checked_in_at__isnull=True).count()
    return Confirmation(
        title=_("Mark %(title)s as held?") % {"title": session.title},
        consequences=[
            _("The session is closed: nobody can sign up, leave or check in any more."),
            _("%(count)s signed-up volunteers have not checked in; the attendance page can still record their hours.")
            % {"count": figure(not_in)},
        ],
        facts=[(_("People served (person-times)"), figure(beneficiaries))],
        button=_("Mark as held"),
        back=session.get_absolute_url(),
        danger=False,
    )


def order_cancel(order: Order, reason: str) -> Confirmation:
    lines = [_("The order is closed for good; it cannot be reopened. A new need is a new order.")]
    if order.team is not None:
        lines.append(_("%(team)s no longer serves it.") % {"team": order.team.name})
    return Confirmation(
        title=_("Cancel the order for %(item)s?") % {"item": order.item.title},
        consequences=lines,
        facts=[(_("Reason"), reason or "—")],
        button=_("Cancel the order"),
        back=order.get_absolute_url(),
    )


def order_decline(order: Order, reason: str) -> Confirmation:
    return Confirmation(
        title=_("Decline the order for %(item)s?") % {"item": order.item.title},
        consequences=[
            _("The order goes back to %(owner)s to be dispatched to another team; your team no longer has it.")
            % {"owner": order.owner},
        ],
        facts=[(_("Reason"), reason)],
        button=_("Decline"),
        back=order.get_absolute_url(),
    )


def booking_cancel(booking: Booking) -> Confirmation:
    slot = booking.slot
    when = f"{timezone.localtime(slot.starts_at):%Y-%m-%d %H:%M}–{_time(slot.ends_at)}"
    return Confirmation(
        title=_("Cancel your booking of %(service)s?") % {"service": slot.service.title},
        consequences=[
            _("The slot becomes free for others at once; the booking cannot be restored."),
            _("To come after all, book again while a slot is free."),
        ],
        facts=[(_("Time"), when)],
        button=_("Cancel the booking"),
        back=reverse("volunteering:booking_detail", args=[booking.pk]),
    )


def feed_reset(back: str, *, team: str = "") -> Confirmation:
    lines = [_("A new link replaces the old one, which stops working at once and cannot be brought back.")]
    lines.append(
        _("Everyone subscribed to the old link of %(team)s must subscribe to the new one.") % {"team": team}
        if team
        else _("Calendars subscribed to the old link stop updating; subscribe to the new one.")
    )
    return Confirmation(title=_("Replace the calendar link?"), consequences=lines, button=_("Reset link"), back=back)

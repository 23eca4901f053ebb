"""Session pages: list, schedule, a session's page and its actions, the venue screen with the
check-in code and QR, attendance, a person's service record and certificate, iCal feeds."""

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.audit import audited_download
from lianxin.core.forms import EmptyForm, Outcome, form_action, form_submit, object_action
from lianxin.core.ical import PRODID_SESSIONS, CalendarEvent, calendar_text, event_uid
from lianxin.core.params import id_param
from lianxin.core.qr import qr_svg
from lianxin.core.replica import reads_on_replica
from lianxin.core.selectors import event_list_for, page_of
from lianxin.core.templatetags.lianxin import figure
from lianxin.volunteering.documents.certificates import certificate_data, certificate_docx
from lianxin.volunteering.forms.sessions import (
    AddVolunteerForm,
    CheckinForm,
    HeldForm,
    ReasonForm,
    SessionForm,
)
from lianxin.volunteering.models import Order, Session
from lianxin.volunteering.selectors import sessions as sel
from lianxin.volunteering.selectors.catalogue import access_team
from lianxin.volunteering.services import feeds
from lianxin.volunteering.services import sessions as services
from lianxin.volunteering.views import asks, attendance
from lianxin.volunteering.views.confirm import confirm_page, confirmed

PAGE_SIZE = 30


# ------------------------------------------------------------------ list and scheduling


@login_required
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    team_id = id_param(request.GET.get("team"), name="team")
    filters = sel.SessionFilters(
        when="past" if request.GET.get("when") == "past" else "upcoming",
        team=sel.session_team_filter(user=user, pk=team_id),
        mine=request.GET.get("mine") == "1",
    )
    page = page_of(sel.session_list_visible_to(user=user, filters=filters), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    managed = list(sel.teams_managed_by(user=user))
    member_of = sel.teams_volunteered_in(user=user, exclude=managed)
    return render(
        request,
        "volunteering/session_list.html",
        {
            "page": page,
            "filters": filters,
            "querystring": query.urlencode(),
            "managed_teams": managed,
            "member_teams": list(member_of),
        },
    )


def _session_form_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "area": data["area"],
        "place": data["place"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "slots": data["slots"],
        "item": data["item"],
    }


def _order_initial(order: Order) -> dict[str, Any]:
    """What an accepted order already says: the service, where, and from which day."""
    starts = timezone.make_aware(datetime.combine(order.starts_on, time(9, 0)))
    return {
        "team": order.team_id,
        "title": order.item.title,
        "item": order.item_id,
        "area": order.area_id,
        "place": order.place,
        "starts_at": starts,
        "ends_at": starts.replace(hour=11),
    }


@login_required
def session_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    order_pk = id_param(request.GET.get("order"), name="order")
    order = sel.accepted_order_for(user, order_pk) if order_pk else None
    if order is None and not sel.teams_managed_by(user=user).exists():
        raise Http404
    initial = _order_initial(order) if order is not None else {}
    form = SessionForm(request.POST or None, user=user, order=order, initial=initial)
    session = form_submit(
        form,
        lambda data: services.session_create(actor=user, team=data["team"], order=order, **_session_form_values(data)),
    )
    if session:
        return redirect("volunteering:session_detail", pk=session.pk)
    return render(request, "volunteering/session_form.html", {"form": form, "order": order, "session": None})


@login_required
def session_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = sel.access_managed_session(request.user, pk)
    initial = {f: getattr(session, f) for f in ("title", "area", "place", "starts_at", "ends_at", "slots", "item")}
    initial["starts_at"] = timezone.localtime(session.starts_at)
    initial["ends_at"] = timezone.localtime(session.ends_at)
    form = SessionForm(request.POST or None, user=request.user, session=session, initial=initial)
    if form_submit(
        form, lambda data: services.session_update(session=session, actor=request.user, **_session_form_values(data))
    ):
        return redirect("volunteering:session_detail", pk=session.pk)
    return render(request, "volunteering/session_form.html", {"form": form, "order": session.order, "session": session})


# ------------------------------------------------------------------ a session's page


@login_required
def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = sel.access_session(user, pk)
    manager = sel.can_manage_session(user, session)
    signup = sel.active_signup_of(user, session)
    return render(
        request,
        "volunteering/session_detail.html",
        {
            "session": session,
            "manager": manager,
            "signup": signup,
            "signups": sel.session_signups(session) if manager else [],
            "can_sign_up": sel.can_sign_up(user, session),
            "can_walk_in": sel.can_walk_in(user, session) and session.signed_up_count < session.slots,
            "may_volunteer": sel.may_sign_up_for(user, session.team),
            "can_leave": sel.can_leave(signup, session),
            "can_check_out": sel.can_check_out(signup),
            "is_planned": session.status == Session.Status.PLANNED,
            "has_started": session.starts_at <= timezone.now(),
            "events": event_list_for(session)[:50] if manager else None,
            "reason_form": ReasonForm(),
            "held_form": HeldForm(initial={"beneficiaries": session.beneficiaries}),
        },
    )


def _back(session: Session) -> str:
    return session.get_absolute_url()


@login_required
@require_POST
def session_signup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(session: Session, data: dict[str, Any]) -> Outcome:
        services.signup_create(session=session, actor=request.user)
        return _("You signed up. Thank you!"), None

    return object_action(request, sel.access_session(request.user, pk), EmptyForm(request.POST), run)


@login_required
@require_POST
def session_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(session: Session, data: dict[str, Any]) -> Outcome:
        services.signup_leave(session=session, actor=request.user)
        return _("You left this session; your place is free for someone else."), None

    return object_action(request, sel.access_session(request.user, pk), EmptyForm(request.POST), run)


@login_required
@require_POST
def session_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = sel.access_session(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid() and sel.can_manage_session(request.user, session) and not confirmed(request):
        return confirm_page(request, asks.session_cancel(session, form.cleaned_data["reason"]), form)

    def run(session: Session, data: dict[str, Any]) -> Outcome:
        services.session_cancel(session=session, actor=request.user, reason=data["reason"])
        return _("The session was cancelled."), None

    return object_action(request, session, form, run)


@login_required
@require_POST
def session_held(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = sel.access_session(request.user, pk)
    form = HeldForm(request.POST)
    if form.is_valid() and sel.can_manage_session(request.user, session) and not confirmed(request):
        return confirm_page(request, asks.session_held(session, form.cleaned_data["beneficiaries"]), form)

    def run(session: Session, data: dict[str, Any]) -> Outcome:
        services.session_mark_held(
            session=session, actor=request.user, beneficiaries=data["beneficiaries"], note=data["note"]
        )
        return _("The session is marked as held."), None

    return object_action(request, session, form, run)


# ------------------------------------------------------------------ at the venue


@login_required
def session_venue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The screen shown at the venue: the code in large digits and a QR code of the check-in page."""
    session = sel.access_managed_session(request.user, pk)
    checkin_url = request.build_absolute_uri(
        reverse("volunteering:session_checkin", args=[session.pk]) + f"?code={session.checkin_code}"
    )
    return render(
        request,
        "volunteering/session_venue.html",
        {"session": session, "checkin_url": checkin_url, "qr": qr_svg(checkin_url)},
    )


@login_required
def session_checkin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The page the QR code opens on a volunteer's phone; the code comes filled in."""
    session = sel.access_session(request.user, pk)
    if request.method == "POST":

        def run(data: dict[str, Any]) -> Outcome:
            services.signup_check_in(session=session, actor=request.user, code=data["code"])
            return _("You are checked in. Thank you for serving!"), _back(session)

        back = reverse("volunteering:session_checkin", args=[session.pk])
        return form_action(request, CheckinForm(request.POST), run, back=back)
    signup = sel.active_signup_of(request.user, session)
    return render(
        request,
        "volunteering/session_checkin.html",
        {
            "session": session,
            "signup": signup,
            "form": CheckinForm(initial={"code": request.GET.get("code", "")[:6]}),
            "can_sign_up": sel.can_sign_up(request.user, session),
            "can_walk_in": sel.can_walk_in(request.user, session),
            "places_left": max(session.slots - session.signed_up_count, 0),
        },
    )


@login_required
@require_POST
def session_checkout(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Check out; before the session ends the volunteer first sees the hours it will count and confirms."""
    session = sel.access_session(request.user, pk)
    try:
        signup = services.signup_check_out(session=session, actor=request.user, confirmed=confirmed(request))
    except ValidationError as exc:
        if exc.code == "confirm_early_check_out":
            return confirm_page(request, asks.early_check_out(session, sel.active_signup_of(request.user, session)))
        for message in exc.messages:
            messages.error(request, message)
        return redirect(session)
    messages.success(request, _("Checked out: %(hours)s hours recorded.") % {"hours": figure(signup.hours)})
    return redirect(session)


@login_required
def session_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The leader's sheet: who signed up, who checked in, and the hours; "all present" credits
    everyone still to confirm, then each row is corrected in place (absent, other hours)."""
    session = sel.access_managed_session(request.user, pk)
    if request.method == "POST":
        return attendance.record_row(request, session)
    return render(
        request,
        "volunteering/session_attendance.html",
        {**attendance.sheet(session), "add_form": AddVolunteerForm(user=request.user)},
    )


@login_required
@require_POST
def session_add_volunteer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = sel.access_managed_session(request.user, pk)

    def run(data: dict[str, Any]) -> Outcome:
        volunteer = data["login"]  # one the user may sign up (AddVolunteerForm)
        services.signup_create(session=session, actor=request.user, volunteer=volunteer)
        return _("%(person)s is signed up.") % {"person": volunteer}, None

    back = reverse("volunteering:session_attendance", args=[session.pk])
    return form_action(request, AddVolunteerForm(request.POST, user=request.user), run, back=back)


# ------------------------------------------------------------------ a person's record


@login_required
def my_service_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed = feeds.calendar_feed_for(user=request.user)
    return render(
        request,
        "volunteering/record.html",
        {
            "record": sel.service_record_of(user=request.user),
            "feed_url": request.build_absolute_uri(reverse("volunteering:feed_member", args=[feed.token])),
        },
    )


@login_required
def certificate(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "volunteering/certificate.html", {"data": certificate_data(user=request.user)})


@login_required
@reads_on_replica
@audited_download("volunteering.certificate")
def certificate_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    body = certificate_docx(certificate_data(user=request.user))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = 'attachment; filename="volunteer-certificate.docx"'
    return response


@login_required
@require_POST
def feed_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    back = reverse("volunteering:my_service_record")
    if not confirmed(request):
        return confirm_page(request, asks.feed_reset(back))

    def run(data: dict[str, Any]) -> Outcome:
        feeds.calendar_feed_reset(user=request.user)
        return _("Your calendar link was replaced; the old one no longer works."), None

    return form_action(request, EmptyForm(request.POST), run, back=back)


@login_required
@require_POST
def team_feed_reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk)
    if not sel.can_schedule_for(request.user, team):
        raise Http404
    if not confirmed(request):
        return confirm_page(request, asks.feed_reset(reverse("volunteering:session_list"), team=team.name))

    def run(data: dict[str, Any]) -> Outcome:
        feeds.team_feed_reset(team=team, actor=request.user)
        return _("The team's calendar link was replaced; the old one no longer works."), None

    return form_action(request, EmptyForm(request.POST), run, back=reverse("volunteering:session_list"))


# ------------------------------------------------------------------ iCal feeds (no login: the token is the key)


def _calendar_event(request: HttpRequest, session: Session) -> CalendarEvent:
    url = request.build_absolute_uri(reverse("volunteering:session_detail", args=[session.pk]))
    return CalendarEvent(
        uid=event_uid("session", session.pk),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        location=f"{session.area.name} {session.place}",
        description=f"{session.team.name}\n{url}",
        url=url,
        last_modified=session.updated_at,
        sequence=max(int((session.updated_at - session.created_at).total_seconds()), 0),
        cancelled=session.status == Session.Status.CANCELLED,
    )


def _feed_response(request: HttpRequest, name: str, sessions: Iterable[Session]) -> HttpResponse:
    events = [_calendar_event(request, s) for s in sessions]
    text = calendar_text(name=name, events=events, now=timezone.now(), prodid=PRODID_SESSIONS)
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def feed_member(request: HttpRequest, token: str) -> HttpResponse:
    feed = sel.calendar_feed_by_token(token)
    name = _("%(person)s · volunteer sessions") % {"person": feed.user}
    return _feed_response(request, name, sel.member_feed_sessions(user=feed.user)[:1000])


def feed_team(request: HttpRequest, token: str) -> HttpResponse:
    team = sel.team_by_feed_token(token)
    name = _("%(team)s · sessions") % {"team": team.name}
    return _feed_response(request, name, sel.team_feed_sessions(team=team)[:1000])

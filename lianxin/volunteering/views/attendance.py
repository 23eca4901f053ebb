"""At the venue and after it: the walk-in's one-step sign-up and check-in, and the leader's
attendance sheet, each row and "all present" answered in place for htmx."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import EmptyForm, Outcome, form_action
from lianxin.core.templatetags.lianxin import figure
from lianxin.volunteering.forms.sessions import CheckinForm, HoursForm
from lianxin.volunteering.models import Session, SignUp
from lianxin.volunteering.rules.hours import rounded_hours
from lianxin.volunteering.selectors import sessions as sel
from lianxin.volunteering.services import attendance as services
from lianxin.volunteering.services.sessions import session_length, signup_record_hours

SHEET = "volunteering/session_attendance.html"


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_POST
def session_walk_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """At the venue without a sign-up: take a place and check in with the code, in one step."""
    session = sel.access_session(request.user, pk)

    def run(data: dict[str, Any]) -> Outcome:
        services.signup_walk_in(session=session, actor=request.user, code=data["code"])
        return _("You are signed up and checked in. Thank you for serving!"), session.get_absolute_url()

    back = reverse("volunteering:session_checkin", args=[session.pk])
    return form_action(request, CheckinForm(request.POST), run, back=back)


def _basics(session: Session) -> dict[str, Any]:
    """What every part of the sheet needs: the hours "all present" credits and whether it may record."""
    return {
        "session": session,
        "full_hours": rounded_hours(session_length(session)),
        "can_record": session.status != Session.Status.CANCELLED and session.starts_at <= timezone.now(),
    }


def sheet(session: Session, *, note: str = "") -> dict[str, Any]:
    """What the attendance sheet shows: the rows, and how many still wait for "all present"."""
    rows = list(sel.session_signups(session))
    waiting = sum(1 for s in rows if s.checked_out_at is None and s.hours_confirmed_at is None)
    return {**_basics(session), "rows": rows, "waiting": waiting, "note": note}


def record_row(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    """One row's hours (0 for absent); htmx gets the row back in place, with the refusal in it if any."""
    form = HoursForm(request.POST)
    row = None
    if form.is_valid():
        row = sel.session_signups(session).filter(pk=form.cleaned_data["signup"]).first()

    def run(data: dict[str, Any]) -> Outcome:
        if row is None:
            raise ValidationError(_("This person is not signed up for this session."))
        signup_record_hours(session=session, actor=request.user, signup=row, hours=data["hours"], note=data["note"])
        return _("Hours recorded for %(person)s.") % {"person": row.user}, None

    if not _htmx(request):
        return form_action(request, form, run, back=reverse("volunteering:session_attendance", args=[session.pk]))
    if row is None:
        refusal = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return _sheet_rows(request, session, refusal or _("This person is not signed up for this session."))
    error = ""
    try:
        run(form.cleaned_data)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    # The row in place, and the "all present" button out of band: its count of who waits has changed.
    waiting = sel.signups_to_confirm(session).count()
    context = {**_basics(session), "s": row, "row_error": error, "waiting": waiting, "oob": True}
    return render(request, f"{SHEET}#row_answer", context)


def _sheet_rows(request: HttpRequest, session: Session, note: str) -> HttpResponse:
    """The whole list again, in place of whatever part asked (a row's form may have asked)."""
    response = render(request, f"{SHEET}#attendance_rows", sheet(session, note=note))
    response["HX-Retarget"] = "#attendance-rows"
    response["HX-Reswap"] = "outerHTML show:none"
    return response


@login_required
@require_POST
def session_all_present(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Credit the session's hours to everyone still to confirm; the exceptions are marked after."""
    session = sel.access_managed_session(request.user, pk)
    back = reverse("volunteering:session_attendance", args=[session.pk])
    done: list[SignUp] = []

    def run(data: dict[str, Any]) -> Outcome:
        done.extend(services.session_confirm_all_present(session=session, actor=request.user))
        return _all_present_note(len(done), rounded_hours(session_length(session))), None

    if not _htmx(request):
        return form_action(request, EmptyForm(request.POST), run, back=back)
    try:
        note, _target = run({})
    except ValidationError as exc:
        note = " ".join(exc.messages)
    return _sheet_rows(request, session, note)


def _all_present_note(count: int, hours: Decimal) -> str:
    return _("%(count)s volunteers confirmed present with %(hours)s hours each; mark the exceptions below.") % {
        "count": figure(count),
        "hours": figure(hours),
    }

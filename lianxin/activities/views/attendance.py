"""Recording attendance on an activity's page: "everyone expected was present" in one tap, then
the exceptions row by row. htmx requests get the attendance panel back in place (no reload, no
jump to the top); without JavaScript the page reloads at the panel."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest, Viewer
from lianxin.activities import permissions
from lianxin.activities.forms.planning import BulkRecordForm, RecordForm
from lianxin.activities.models import Activity
from lianxin.activities.selectors import planning as sel
from lianxin.activities.services import attendance as bulk_services
from lianxin.activities.services import planning as services
from lianxin.core.params import id_param

PANEL = "activities/attendance_panel.html"


def panel_context(user: Viewer, activity: Activity) -> dict[str, Any]:
    """What the attendance panel shows: the summary line, the quorum and, for managers, the rows."""
    manager = permissions.can_manage(user, activity)
    return {
        "activity": activity,
        "manager": manager,
        "rows": list(sel.attendance_of(activity)) if manager else [],
        "summary": sel.attendance_summary(activity),
        "recordable": activity.status != Activity.Status.CANCELLED,
    }


def _answer(request: HttpRequest, activity: Activity, *, ok: str = "", errors: list[str] | None = None) -> HttpResponse:
    """htmx: the panel with the outcome inside it; otherwise back to the page, at the panel.

    Refusals are answered 200 to htmx too: it swaps only successful answers, and the panel with
    the error in it is what the person must see."""
    if request.headers.get("HX-Request"):
        context = panel_context(request.user, activity)
        context.update({"ok": ok, "errors": errors or []})
        return render(request, PANEL, context)
    for message in errors or []:
        messages.error(request, message)
    if ok:
        messages.success(request, ok)
    return redirect(activity.get_absolute_url() + "#attendance")


def _form_errors(form: Any) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@login_required
@require_POST
def activity_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One person's attendance: present, absent with a reason, or excused."""
    activity = sel.access_managed_activity(request.user, pk)
    form = RecordForm(request.POST)
    if not form.is_valid():
        return _answer(request, activity, errors=_form_errors(form))
    data = form.cleaned_data
    member = sel.listed_member(activity, data["member"])
    if member is None:
        return _answer(request, activity, errors=[_("This person is not on this activity's list.")])
    try:
        services.attendance_record(
            activity=activity, actor=request.user, member=member, status=data["status"], reason=data["reason"]
        )
    except ValidationError as exc:
        return _answer(request, activity, errors=exc.messages)
    return _answer(request, activity, ok=_("Attendance recorded for %(name)s.") % {"name": member.name})


@login_required
@require_POST
def attendance_bulk(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Everyone expected and not yet recorded is present (`everyone`), or one status for the people ticked."""
    activity = sel.access_managed_activity(request.user, pk)
    member_ids = [i for i in (id_param(v, name="member") for v in request.POST.getlist("member")) if i]
    form = BulkRecordForm(request.POST)
    if not form.is_valid():
        return _answer(request, activity, errors=_form_errors(form))
    data = form.cleaned_data
    if not data["everyone"] and not member_ids:
        return _answer(request, activity, errors=[_("Choose the people to record.")])
    try:
        changed = bulk_services.attendance_record_bulk(
            activity=activity,
            actor=request.user,
            status=data["status"],
            member_ids=None if data["everyone"] else member_ids,
            reason=data["reason"],
        )
    except ValidationError as exc:
        return _answer(request, activity, errors=exc.messages)
    ok = ngettext("Recorded for %(n)s person.", "Recorded for %(n)s people.", changed) % {"n": changed}
    if not changed:
        ok = _("Everyone expected was already recorded; nothing changed.")
    return _answer(request, activity, ok=ok)

"""Pages of the roster workbook: upload and follow an import, download its errors, export a list."""

import os
import tempfile

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.accounts.permissions import can_manage_roster
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.audit import audited_download
from lianxin.core.replica import reads_on_replica
from lianxin.members.documents.roster import ERROR_HEADER, ROSTER_COLUMNS, SHEET_TITLE
from lianxin.members.models import RosterImport
from lianxin.members.selectors.filters import member_filters_from_params
from lianxin.members.selectors.imports import access_roster_import, recent_roster_imports
from lianxin.members.selectors.roster import member_list_filtered
from lianxin.members.services.import_upkeep import (
    roster_import_delete_at,
    roster_import_fail_if_stale,
    roster_import_retry,
    roster_import_retryable,
)
from lianxin.members.services.imports import roster_export, roster_import_create
from lianxin.members.tasks import roster_import_enqueue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTER_PARAMS = ("org", "category", "sector", "flag", "warning", "q")


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Roster workbook (.xlsx)"))


def _require_roster(request: HttpRequest) -> None:
    if not can_manage_roster(request.user):
        raise Http404


@login_required
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_roster(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster_import = roster_import_create(actor=request.user, uploaded_file=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            roster_import_enqueue(roster_import=roster_import, language=get_language() or "")
            return redirect("members:import_status", pk=roster_import.pk)
    recent = recent_roster_imports(user=request.user)
    return render(
        request,
        "members/import.html",
        {
            "form": form,
            "recent": recent,
            "required": [c.header for c in ROSTER_COLUMNS if c.required],
            "optional": [c.header for c in ROSTER_COLUMNS if not c.required],
        },
    )


@login_required
@require_GET
def import_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_roster(request)
    roster_import = access_roster_import(request.user, pk)
    # A run whose worker died would be polled for ever: the poll itself notices and fails it.
    roster_import = roster_import_fail_if_stale(roster_import=roster_import)
    return _status_page(request, roster_import)


def _status_page(request: HttpRequest, roster_import: RosterImport, error: str = "") -> HttpResponse:
    context = {
        "imp": roster_import,
        "polling": roster_import.status in (RosterImport.Status.PENDING, RosterImport.Status.RUNNING),
        "more_errors": max(0, roster_import.error_count - len(roster_import.errors)),
        "delete_at": roster_import_delete_at(roster_import),
        "retryable": roster_import_retryable(roster_import),
        "retry_error": error,
    }
    if request.headers.get("HX-Request"):
        return render(request, "members/import_status.html#status", context)
    return render(request, "members/import_status.html", context)


@login_required
@require_POST
def import_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start a failed import again from its kept upload."""
    _require_roster(request)
    roster_import = access_roster_import(request.user, pk)
    try:
        roster_import = roster_import_retry(actor=request.user, roster_import=roster_import)
    except ValidationError as exc:
        return _status_page(request, roster_import, error=" ".join(exc.messages))
    roster_import_enqueue(roster_import=roster_import, language=get_language() or "")
    return redirect("members:import_status", pk=roster_import.pk)


@login_required
@require_GET
@audited_download("members.import_errors")
def import_errors(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    _require_roster(request)
    roster_import = access_roster_import(request.user, pk)
    if not roster_import.error_file:
        raise Http404
    stem = os.path.splitext(roster_import.file_name)[0] or SHEET_TITLE
    return FileResponse(
        roster_import.error_file.open("rb"),
        as_attachment=True,
        filename=f"{stem}_{ERROR_HEADER}.xlsx",
        content_type=XLSX,
    )


@login_required
@require_GET
@reads_on_replica
def export(request: AuthenticatedHttpRequest) -> FileResponse:
    """The member list as a workbook, with the list's own filters; full values, audited."""
    _require_roster(request)
    filters, _form = member_filters_from_params(user=request.user, params=request.GET)
    today = timezone.localdate()
    members = member_list_filtered(user=request.user, filters=filters, today=today)
    # Written to disk first: a workbook is a zip, finished only when complete.
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        roster_export(
            actor=request.user,
            members=members,
            target=out,
            filters={key: request.GET.get(key, "") for key in FILTER_PARAMS},
            where=filters.organization.name if filters.organization else str(_("All my organizations")),
        )
    except BaseException:
        out.close()
        raise
    out.seek(0)
    parts = [SHEET_TITLE, filters.organization.code if filters.organization else "", today.strftime("%Y%m%d")]
    return FileResponse(out, as_attachment=True, filename="_".join(p for p in parts if p) + ".xlsx", content_type=XLSX)

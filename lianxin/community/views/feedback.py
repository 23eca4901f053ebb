"""The quarterly feedback page for an organization's admins, and its .xlsx and .docx downloads."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.community.documents.feedback import FORMATS, file_name, totals_line
from lianxin.community.forms.feedback import FeedbackForm
from lianxin.community.selectors.feedback import (
    access_feedback_organization,
    default_feedback_organization,
    feedback_build,
)
from lianxin.community.services.feedback import feedback_export
from lianxin.core.periods import Period, parse_quarter
from lianxin.core.replica import reads_on_replica


@login_required
def feedback(request: AuthenticatedHttpRequest) -> HttpResponse:
    if roster_scope(request.user).is_empty:
        raise Http404
    params = request.GET.copy()
    top = default_feedback_organization(request.user)
    params.setdefault("org", top.code if top else "")
    params.setdefault("quarter", Period.quarter_of(timezone.localdate()).quarter_code)
    form = FeedbackForm(params)
    report = error = None
    if form.is_valid():
        organization = access_feedback_organization(request.user, form.cleaned_data["org"].code)
        try:
            quarter = parse_quarter(form.cleaned_data["quarter"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            report = feedback_build(organization=organization, quarter=quarter)
    return render(
        request,
        "community/feedback.html",
        {"form": form, "feedback": report, "totals": totals_line(report) if report else "", "error": error},
    )


@login_required
@reads_on_replica
def feedback_download(request: AuthenticatedHttpRequest, fmt: str) -> FileResponse:
    """Exports name members, so each one is audited."""
    if fmt not in FORMATS:
        raise Http404
    organization = access_feedback_organization(request.user, request.GET.get("org", ""))
    try:
        quarter = parse_quarter(request.GET.get("quarter", ""))
    except ValidationError as exc:
        raise Http404 from exc
    report = feedback_build(organization=organization, quarter=quarter)
    out = io.BytesIO()
    feedback_export(actor=request.user, feedback=report, fmt=fmt, target=out, source="web")
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=file_name(report, fmt), content_type=FORMATS[fmt])

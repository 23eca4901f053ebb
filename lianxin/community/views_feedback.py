"""The quarterly feedback page for an organization's admins, and its .xlsx and .docx downloads."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lianxin.accounts.permissions import roster_scope
from lianxin.community.feedback import (
    FORMATS,
    access_feedback_organization,
    feedback_build,
    feedback_export,
    file_name,
    parse_quarter,
    quarter_of,
    totals_line,
)
from lianxin.community.forms import FeedbackForm
from lianxin.organizations.models import Organization


def _default_organization(request: HttpRequest) -> str:
    """The top organization of the viewer's scope: the first choice on an empty form."""
    scope = roster_scope(request.user)
    if scope.everything:
        top = Organization.objects.filter(depth=1).order_by("path").first()
    else:
        top = Organization.objects.filter(path__in=scope.paths).order_by("path").first()
    return top.code if top else ""


@login_required
def feedback(request: HttpRequest) -> HttpResponse:
    if roster_scope(request.user).is_empty:
        raise Http404
    params = request.GET.copy()
    params.setdefault("org", _default_organization(request))
    params.setdefault("quarter", quarter_of(timezone.localdate()).code)
    form = FeedbackForm(params)
    report = error = None
    if form.is_valid():
        organization = access_feedback_organization(request.user, form.cleaned_data["org"])
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
def feedback_download(request: HttpRequest, fmt: str) -> FileResponse:
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

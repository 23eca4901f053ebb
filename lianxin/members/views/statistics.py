"""The yearly Party statistics (党内统计) of a subtree: the tables and their checks on a page, and the
same as a workbook. For those who manage the roster; a subtree outside the viewer's scope is a 404."""

import tempfile
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from lianxin.accounts.permissions import can_manage_roster
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.audit import audited_download
from lianxin.core.params import ParamError
from lianxin.core.picker import picker_param
from lianxin.core.replica import reads_on_replica
from lianxin.members.documents.statistics import statistics_xlsx
from lianxin.members.rules.statistics import FIRST_YEAR
from lianxin.members.selectors.statistics import Statistics, party_statistics, statistics_year
from lianxin.organizations.selectors import access_subtree

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _statistics(request: AuthenticatedHttpRequest) -> tuple[dict[str, Any], Statistics | None]:
    """The page's context and the statistics asked for (`?org=CODE&year=YYYY`); None, with the error
    in the context, for a year that is not one, which computes nothing."""
    if not can_manage_roster(request.user):
        raise Http404
    code = picker_param(request.GET, "org", kind="roster_organization", user=request.user)
    org = access_subtree(request.user, code)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "org": org,
        "errors": [],
        "year_value": request.GET.get("year", ""),
        "first_year": FIRST_YEAR,
        "this_year": today.year,
    }
    try:
        year = statistics_year(request.GET.get("year"), today=today)
    except ParamError as error:
        context["errors"].append(error.message)
        return context, None
    stats = party_statistics(organization=org, year=year, today=today)
    context.update(stats=stats, year=year, year_value=year, query=urlencode({"org": org.code, "year": year}))
    return context, stats


@login_required
@reads_on_replica
def statistics_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    context, stats = _statistics(request)
    return render(request, "members/statistics.html", context, status=200 if stats else 400)


@login_required
@reads_on_replica
@audited_download("members.statistics")
def statistics_download(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The tables as a workbook, one sheet each, and the checks; a bad year answers the page with its error."""
    context, stats = _statistics(request)
    if stats is None:
        return render(request, "members/statistics.html", context, status=400)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        statistics_xlsx(stats, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    filename = f"statistics_{stats.organization.code}_{stats.year}_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)

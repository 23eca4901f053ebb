"""The branch's pages: the ledger and its export, the members to assess, arrears, collection."""

import io
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import form_action
from lianxin.core.params import int_param
from lianxin.core.selectors import page_of
from lianxin.dues.documents.ledger import ledger_export
from lianxin.dues.forms import HandoverForm
from lianxin.dues.rules.months import month_of
from lianxin.dues.rules.standard import ARREARS_WARNING_MONTHS, CENT, Basis, is_warned
from lianxin.dues.selectors.ledger import (
    arrears_of,
    behind_of,
    collection_of,
    ledger_of,
    not_assessed_of,
    six_month_arrears_of,
)
from lianxin.dues.services.assessments import assessments_carry_forward
from lianxin.dues.services.handovers import handover_record
from lianxin.dues.views.common import PAGE_SIZE, subtree_of, today, year_of
from lianxin.organizations.selectors import access_subtree


@login_required
def ledger(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A branch's (or a subtree's) dues ledger: members, monthly amount, 交至年月, months behind."""
    organization = subtree_of(request)
    on = today()
    year = year_of(request, on)
    page = page_of(ledger_of(organization=organization, year=year), request.GET.get("page"), PAGE_SIZE)
    for member in page.object_list:
        member.dues_behind = behind_of(member.dues_paid_through, on)
        member.dues_warned = is_warned(member.dues_behind)
        member.dues_basis_label = Basis(member.dues_basis).label if member.dues_basis else ""
        if member.dues_monthly is not None:
            member.dues_monthly = Decimal(member.dues_monthly).quantize(CENT)
    return render(
        request,
        "dues/ledger.html",
        {
            "organization": organization,
            "year": year,
            "page": page,
            "on": on,
            "query": urlencode({"org": organization.code, "year": year}),
            "not_assessed": not_assessed_of(organization=organization, year=year).count(),
            "in_arrears": arrears_of(organization=organization, on=on).count(),
        },
    )


@login_required
def ledger_download(request: AuthenticatedHttpRequest) -> FileResponse:
    organization = subtree_of(request)
    on = today()
    year = year_of(request, on)
    out = io.BytesIO()
    ledger_export(
        actor=request.user,
        organization=organization,
        members=ledger_of(organization=organization, year=year),
        year=year,
        on=on,
        target=out,
    )
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"dues-{organization.code}-{year}.xlsx")


@login_required
def unassessed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The yearly re-assessment: Party members of the subtree not yet assessed for the year."""
    organization = subtree_of(request)
    year = year_of(request, today())
    members = page_of(not_assessed_of(organization=organization, year=year), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "dues/unassessed.html",
        {
            "organization": organization,
            "year": year,
            "page": members,
            "query": urlencode({"org": organization.code, "year": year}),
        },
    )


@login_required
def arrears(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Members behind with their dues, longest first; six months and more marked (never public)."""
    organization = subtree_of(request)
    on = today()
    only_warned = request.GET.get("six") == "1"
    qs = (six_month_arrears_of if only_warned else arrears_of)(organization=organization, on=on)
    page = page_of(qs, request.GET.get("page"), PAGE_SIZE)
    for member in page.object_list:
        member.dues_behind = behind_of(member.dues_paid_through, on)
        member.dues_warned = is_warned(member.dues_behind)
    return render(
        request,
        "dues/arrears.html",
        {
            "organization": organization,
            "page": page,
            "on": on,
            "only_warned": only_warned,
            "warning_months": ARREARS_WARNING_MONTHS,
            "six_count": six_month_arrears_of(organization=organization, on=on).count(),
            "query": urlencode({"org": organization.code, **({"six": "1"} if only_warned else {})}),
        },
    )


@login_required
def collection(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per branch and month: what members paid against what the branch handed up, the difference shown."""
    organization = subtree_of(request)
    on = today()
    year = year_of(request, on)
    rows = collection_of(organization=organization, year=year)
    context: dict[str, Any] = {
        "organization": organization,
        "year": year,
        "rows": rows,
        "form": HandoverForm(initial={"month": f"{month_of(on):%Y-%m}", "handed_on": on}),
        "can_hand_over": organization.depth > 1,
    }
    return render(request, "dues/collection.html", context)


@login_required
@require_POST
def carry_forward(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Assess the year's waiting members at last year's band and amount, all at once."""
    organization = access_subtree(request.user, request.POST.get("org"))
    year = int_param(request.POST.get("year"), name="year", default=today().year, min_value=2009, max_value=2100)
    back = reverse("dues:unassessed") + "?" + urlencode({"org": organization.code, "year": year})

    def run(data: dict[str, Any]) -> tuple[str, str | None]:
        n = assessments_carry_forward(actor=request.user, organization=organization, year=year)
        return ngettext(
            "%(n)d member is assessed at last year's amount.", "%(n)d members are assessed at last year's amount.", n
        ) % {"n": n}, None

    return form_action(request, forms.Form(request.POST), run, back=back)


@login_required
@require_POST
def handover(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HandoverForm(request.POST)
    organization = access_subtree(request.user, request.POST.get("org"))
    back = reverse("dues:collection") + "?" + urlencode({"org": organization.code})

    def run(data: dict[str, Any]) -> tuple[str, str | None]:
        record = handover_record(
            actor=request.user,
            organization=organization,
            month=data["month"],
            amount=data["amount"],
            handed_on=data["handed_on"],
            note=data["note"],
        )
        return _("The hand-over of %(month)s is recorded.") % {"month": f"{record.month:%Y-%m}"}, None

    return form_action(request, form, run, back=back)

"""The 光荣在党50年 pages: a subtree's list for a year, confirming, recording issuance, the photo,
the export for the ceremony."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.audit import audited_download
from lianxin.core.forms import Outcome, form_submit, object_action
from lianxin.core.params import int_param
from lianxin.core.uploads import photo_response
from lianxin.honours.documents.medals import medals_xlsx
from lianxin.honours.forms.medals import ConfirmForm, IssueForm
from lianxin.honours.models import MedalAward
from lianxin.honours.selectors.medals import access_medal_member, medal_list
from lianxin.honours.services.medals import medal_confirm, medal_issue
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import access_subtree


def _year(request: AuthenticatedHttpRequest) -> int:
    this_year = timezone.localdate().year
    return int_param(request.GET.get("year"), name="year", default=this_year, min_value=2000, max_value=this_year + 1)


def _list_url(org: Organization, year: int) -> str:
    return reverse("honours:medals") + "?" + urlencode({"org": org.code, "year": year})


@login_required
def medals(request: AuthenticatedHttpRequest) -> HttpResponse:
    org = access_subtree(request.user, request.GET.get("org"))
    year = _year(request)
    context = {
        "org": org,
        "year": year,
        "found": medal_list(org, year),
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
        "confirm_form": ConfirmForm(),
    }
    return render(request, "honours/medals.html", context)


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm good standing; an htmx request gets the member's row back in place, with the outcome."""
    member = access_medal_member(request.user, pk)
    year = _year(request)
    form = ConfirmForm(request.POST)
    if not request.headers.get("HX-Request"):

        def run(obj: Member, data: dict[str, Any]) -> Outcome:
            medal_confirm(actor=request.user, member=obj, year=year, note=data["note"])
            return _("Good standing of %(name)s is confirmed.") % {"name": obj.name}, None

        back = request.POST.get("back", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = _list_url(member.organization, year)
        return object_action(request, member, form, run, back=back)
    done, errors = "", []
    try:
        if not form.is_valid():
            raise ValidationError([str(m) for field_errors in form.errors.values() for m in field_errors])
        medal_confirm(actor=request.user, member=member, year=year, note=form.cleaned_data["note"])
        done = _("Good standing of %(name)s is confirmed.") % {"name": member.name}
    except ValidationError as exc:
        errors = exc.messages
    member = access_medal_member(request.user, pk)
    context = {"m": member, "year": year, "row_done": done, "row_errors": errors}
    return render(request, "honours/medals.html#medal_row", context)


@login_required
def issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_medal_member(request.user, pk)
    award: MedalAward | None = getattr(member, "medal_award", None)
    if award is None:
        raise Http404
    form = IssueForm(request.POST or None, request.FILES or None, initial={"issued_on": timezone.localdate()})

    def run(data: dict[str, Any]) -> MedalAward:
        return medal_issue(
            actor=request.user,
            award=award,
            way=data["way"],
            issued_on=data["issued_on"],
            ceremony=data["ceremony"],
            place=data["place"],
            presented_by=data["presented_by"],
            delivered_by=data["delivered_by"],
            photo=data["photo"],
        )

    issued = form_submit(form, run) if request.method == "POST" else None
    if issued is not None:
        messages.success(request, _("The medal of %(name)s is recorded as issued.") % {"name": member.name})
        return redirect(_list_url(access_subtree(request.user, None), award.year))
    return render(request, "honours/issue.html", {"member": member, "award": award, "form": form})


@login_required
def photo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The photo of a medal delivered home: private, served with its real type."""
    award: MedalAward | None = getattr(access_medal_member(request.user, pk), "medal_award", None)
    if award is None or not award.photo:
        raise Http404
    return photo_response(award.photo, stem=f"medal-{award.pk}")


@login_required
@audited_download("honours.medals")
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    org = access_subtree(request.user, request.GET.get("org"))
    year = _year(request)
    title = _("%(org)s: 50 years in the Party medals, %(year)s") % {"org": org.name, "year": year}
    body = medals_xlsx(title, medal_list(org, year))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="medals-{org.code}-{year}.xlsx"'
    return response

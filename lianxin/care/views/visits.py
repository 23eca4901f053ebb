"""Recording a visit (quick on a phone: the recipient chosen on the round's page, the rest prefilled)
and a visit's photo, served privately with its real type."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.care import permissions
from lianxin.care.forms import VisitForm
from lianxin.care.models import CareVisit
from lianxin.care.selectors.rounds import access_recipient, access_round, access_visit
from lianxin.care.services.visits import VisitRecorded, visit_record
from lianxin.care.views.hardship import care_user
from lianxin.core.forms import form_submit
from lianxin.core.uploads import photo_response


@login_required
def visit_new(request: AuthenticatedHttpRequest, pk: int, recipient_pk: int) -> HttpResponse:
    care_user(request)
    round_ = access_round(request.user, pk)
    recipient = access_recipient(request.user, round_, recipient_pk)
    last = CareVisit.objects.filter(round=round_, recorded_by=request.user).order_by("-id").first()
    initial: dict[str, Any] = {"visitors": last.visitors if last else ""}
    if permissions.manages(request.user, recipient.organization.path):
        initial["organization"] = recipient.organization
    form = VisitForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)

    def run(data: dict[str, Any]) -> VisitRecorded:
        return visit_record(
            actor=request.user,
            round_=round_,
            recipient=recipient,
            organization=data["organization"],
            visitors=data["visitors"],
            visited_on=data["visited_on"],
            money=data["money"],
            goods=data["goods"],
            goods_value=data["goods_value"],
            note=data["note"],
            photo=data["photo"],
        )

    if done := form_submit(form, run):
        for warning in done.warnings:
            messages.warning(request, warning)
        messages.success(request, _("The visit to %(name)s is recorded.") % {"name": recipient.name})
        return redirect(round_)
    visits = recipient.visits.select_related("organization").order_by("visited_on", "id")
    return render(
        request, "care/visit_form.html", {"round": round_, "recipient": recipient, "form": form, "visits": visits}
    )


@login_required
def visit_photo(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    care_user(request)
    visit = access_visit(request.user, pk)
    if not visit.photo:
        raise Http404
    return photo_response(visit.photo, stem=f"care-visit-{visit.pk}")

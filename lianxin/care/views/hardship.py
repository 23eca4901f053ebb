"""Hardship pages: the list of a subtree (with those due for review), recording, a record's page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.care import permissions
from lianxin.care.forms import HardshipEndForm, HardshipFields, HardshipForm, HardshipReviewForm
from lianxin.care.models import HardshipRecord
from lianxin.care.selectors.hardship import access_hardship, due_for_review, hardship_list_visible_to
from lianxin.care.services import hardship as services
from lianxin.core.forms import Outcome, form_submit, object_action
from lianxin.core.params import flag_param
from lianxin.core.selectors import event_list_for, page_of
from lianxin.organizations.selectors import organization_by_code

PAGE_SIZE = 50


def care_user(request: AuthenticatedHttpRequest) -> None:
    """Care is organization admins' work: anyone else finds nothing here."""
    if not permissions.may_use_care(request.user):
        raise Http404


@login_required
def hardship_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    care_user(request)
    org = organization_by_code(user=request.user, code=request.GET.get("org"))
    status = request.GET.get("status", HardshipRecord.Status.ACTIVE)
    qs = hardship_list_visible_to(user=request.user, organization=org, status=status)
    year = timezone.localdate().year
    due = flag_param(request.GET.get("due"))
    due_count = due_for_review(qs, year).count()
    if due:
        qs = due_for_review(qs, year)
    return render(
        request,
        "care/hardship_list.html",
        {
            "page": page_of(qs, request.GET.get("page"), PAGE_SIZE),
            "org": org,
            "status": status,
            "due": due,
            "due_count": due_count,
            "year": year,
            "statuses": HardshipRecord.Status.choices,
        },
    )


@login_required
def hardship_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    care_user(request)
    form = HardshipForm(request.POST or None, user=request.user)

    def run(data: dict[str, Any]) -> HardshipRecord:
        return services.hardship_record(
            actor=request.user,
            member=data["member"],
            level=data["level"],
            reason=data["reason"],
            since=data["since"],
            note=data["note"],
        )

    if record := form_submit(form, run):
        messages.success(request, _("The hardship record is saved."))
        return redirect(record)
    return render(request, "care/hardship_form.html", {"form": form})


@login_required
def hardship_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care_user(request)
    record = access_hardship(request.user, pk)
    form = HardshipFields(
        request.POST or None,
        initial={"level": record.level, "reason": record.reason, "note": record.note, "since": record.since},
    )

    def run(data: dict[str, Any]) -> HardshipRecord:
        return services.hardship_update(
            actor=request.user,
            record=record,
            level=data["level"],
            reason=data["reason"],
            since=data["since"],
            note=data["note"],
        )

    saved = form_submit(form, run) if request.method == "POST" else None
    if saved is not None:
        messages.success(request, _("The hardship record is saved."))
        return redirect(record)
    return render(
        request,
        "care/hardship_detail.html",
        {
            "record": record,
            "form": form,
            "review_form": HardshipReviewForm(initial={"level": record.level}),
            "end_form": HardshipEndForm(),
            "due": record.due_for_review(timezone.localdate().year),
            "events": event_list_for(record)[:50],
        },
    )


@login_required
@require_POST
def hardship_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care_user(request)

    def run(record: HardshipRecord, data: dict[str, Any]) -> Outcome:
        services.hardship_review(
            actor=request.user, record=record, on=data["on"], level=data["level"], note=data["note"]
        )
        return _("The yearly review is recorded."), None

    return object_action(request, access_hardship(request.user, pk), HardshipReviewForm(request.POST), run)


@login_required
@require_POST
def hardship_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care_user(request)

    def run(record: HardshipRecord, data: dict[str, Any]) -> Outcome:
        services.hardship_end(actor=request.user, record=record, on=data["on"], reason=data["reason"])
        return _("The hardship record has ended."), None

    return object_action(request, access_hardship(request.user, pk), HardshipEndForm(request.POST), run)

"""A person's development page and the steps recorded on it: advancing along the pipeline
(previewed, then confirmed), political reviews, materials, the talk with the applicant,
activist reviews and extended probation. Every write calls a service."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import object_action, preview_fingerprint
from lianxin.core.selectors import event_list_for
from lianxin.members.forms.development import (
    ActivistReviewForm,
    AdvanceForm,
    ExtensionForm,
    ReviewForm,
    TalkForm,
    TickForm,
)
from lianxin.members.models import Member
from lianxin.members.rules.development import NEXT_STEP, blocking_reasons
from lianxin.members.rules.roster import probation_ends_on
from lianxin.members.selectors import development as sel
from lianxin.members.selectors.roster import access_managed_member
from lianxin.members.services import development as svc


@login_required
def person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)
    return _person_page(request, member)


def _person_page(
    request: AuthenticatedHttpRequest,
    member: Member,
    *,
    advance_form: AdvanceForm | None = None,
    preview: dict[str, Any] | None = None,
) -> HttpResponse:
    """The person's page; after an "advance" POST, with that form as entered and its preview."""
    today = timezone.localdate()
    to = NEXT_STEP.get(member.category, "")
    context: dict[str, Any] = {
        "member": member,
        "next_step": to,
        "next_label": Member.Category(to).label if to else "",
        "blocks": blocking_reasons(member, today),
        # No date filled in: an irreversible step is dated by the person recording it.
        "advance_form": advance_form or AdvanceForm(to=to),
        "preview": preview,
        "review_form": ReviewForm(initial={"reviewed_on": today}),
        "talk_form": TalkForm(prefix="talk", initial={"talked_on": today}),
        "activist_review_form": ActivistReviewForm(prefix="areview", initial={"reviewed_on": today}),
        "extension_form": ExtensionForm(prefix="ext", initial={"decided_on": today, "months": 6}),
        "events": event_list_for(member)[:50],
    }
    context.update(sel.person_context(member, today))
    return render(request, "members/development_person.html", context)


@login_required
@require_POST
def advance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A step along the pipeline cannot be undone, so it takes two POSTs: the first checks the
    form and shows what will happen with the rules' blocks and warnings; only a second one that
    confirms exactly what was shown writes it."""
    member = access_managed_member(request.user, pk)
    to = NEXT_STEP.get(member.category)
    if to is None or request.POST.get("to") != to:
        raise Http404
    form = AdvanceForm(request.POST, to=to)
    if not form.is_valid():
        return _person_page(request, member, advance_form=form)
    data = form.cleaned_data
    # What the preview shows; a confirmation of anything else (other values, new warnings) is previewed again.
    check = svc.development_advance_check(member=member, to=to, **data)
    fingerprint = preview_fingerprint(member.pk, member.category, to, check.blocks, check.warnings, data=data)
    if request.POST.get("confirm") == fingerprint:
        try:
            step = svc.development_advance(member=member, actor=request.user, to=to, **data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return _person_page(request, member, advance_form=form)
        message = _("%(name)s is now %(category)s.") % {"name": member.name, "category": member.get_category_display()}
        messages.success(request, _noted(message, step.warnings))
        return redirect("members:development_person", pk=member.pk)
    preview = {
        "to_label": Member.Category(to).label,
        "on": data["on"],
        "blocks": check.blocks,
        "warnings": check.warnings,
        "fingerprint": fingerprint,
    }
    return _person_page(request, member, advance_form=form, preview=preview)


def _noted(message: str, warnings: list[str]) -> str:
    """A recorded step's message with the local-practice warnings it came with."""
    if warnings:
        message += " " + _("Please note: %(warnings)s") % {"warnings": " ".join(warnings)}
    return message


def _record_step(
    request: AuthenticatedHttpRequest, pk: int, form: forms.Form, record: Callable[[Member, dict[str, Any]], str]
) -> HttpResponse:
    """A step recorded on a person's development page: `record` calls the service and says what was
    done; a refusal goes back to the page with the form's or the service's message."""
    member = access_managed_member(request.user, pk)
    back = reverse("members:development_person", args=[member.pk])
    return object_action(request, member, form, lambda m, data: (record(m, data), None), back=back)


@login_required
@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def record(member: Member, data: dict[str, Any]) -> str:
        svc.political_review_record(member=member, actor=request.user, **data)
        return _("The political review result is recorded.")

    return _record_step(request, pk, ReviewForm(request.POST), record)


@login_required
@require_POST
def tick(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def record(member: Member, data: dict[str, Any]) -> str:
        svc.material_tick(member=member, actor=request.user, **data)
        return _("Ticked.")

    return _record_step(request, pk, TickForm(request.POST), record)


@login_required
@require_POST
def talk(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def record(member: Member, data: dict[str, Any]) -> str:
        recorded = svc.application_talk_record(member=member, actor=request.user, **data)
        return _noted(_("The talk with the applicant is recorded."), recorded.warnings)

    return _record_step(request, pk, TalkForm(request.POST, prefix="talk"), record)


@login_required
@require_POST
def activist_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def record(member: Member, data: dict[str, Any]) -> str:
        svc.activist_review_record(member=member, actor=request.user, **data)
        return _("The review of the activist is recorded.")

    return _record_step(request, pk, ActivistReviewForm(request.POST, prefix="areview"), record)


@login_required
@require_POST
def extension(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def record(member: Member, data: dict[str, Any]) -> str:
        svc.probation_extend(member=member, actor=request.user, **data)
        return _("The probation is extended; it now ends on %(date)s.") % {"date": probation_ends_on(member)}

    return _record_step(request, pk, ExtensionForm(request.POST, prefix="ext"), record)

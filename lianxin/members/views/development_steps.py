"""A person's development page and the steps recorded on it: advancing along the pipeline
(previewed, then confirmed), political reviews, materials, the talk with the applicant,
activist reviews and extended probation. Every write calls a service."""

from typing import Any

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
from lianxin.core.forms import Outcome, form_action, preview_fingerprint
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
        if step.warnings:
            message += " " + _("Please note: %(warnings)s") % {"warnings": " ".join(step.warnings)}
        messages.success(request, message)
        return redirect("members:development_person", pk=member.pk)
    preview = {
        "to_label": Member.Category(to).label,
        "on": data["on"],
        "blocks": check.blocks,
        "warnings": check.warnings,
        "fingerprint": fingerprint,
    }
    return _person_page(request, member, advance_form=form, preview=preview)


@login_required
@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def act(data: dict[str, Any]) -> Outcome:
        svc.political_review_record(member=member, actor=request.user, **data)
        return _("The political review result is recorded."), None

    return form_action(
        request, ReviewForm(request.POST), act, back=reverse("members:development_person", args=[member.pk])
    )


@login_required
@require_POST
def tick(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def act(data: dict[str, Any]) -> Outcome:
        svc.material_tick(member=member, actor=request.user, **data)
        return _("Ticked."), None

    return form_action(
        request, TickForm(request.POST), act, back=reverse("members:development_person", args=[member.pk])
    )


@login_required
@require_POST
def talk(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def act(data: dict[str, Any]) -> Outcome:
        recorded = svc.application_talk_record(member=member, actor=request.user, **data)
        message = _("The talk with the applicant is recorded.")
        if recorded.warnings:
            message += " " + _("Please note: %(warnings)s") % {"warnings": " ".join(recorded.warnings)}
        return message, None

    return form_action(
        request,
        TalkForm(request.POST, prefix="talk"),
        act,
        back=reverse("members:development_person", args=[member.pk]),
    )


@login_required
@require_POST
def activist_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def act(data: dict[str, Any]) -> Outcome:
        svc.activist_review_record(member=member, actor=request.user, **data)
        return _("The review of the activist is recorded."), None

    return form_action(
        request,
        ActivistReviewForm(request.POST, prefix="areview"),
        act,
        back=reverse("members:development_person", args=[member.pk]),
    )


@login_required
@require_POST
def extension(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def act(data: dict[str, Any]) -> Outcome:
        svc.probation_extend(member=member, actor=request.user, **data)
        return _("The probation is extended; it now ends on %(date)s.") % {"date": probation_ends_on(member)}, None

    return form_action(
        request,
        ExtensionForm(request.POST, prefix="ext"),
        act,
        back=reverse("members:development_person", args=[member.pk]),
    )

"""The pages of 两优一先 rounds: the list, a round (quotas, nominations, review, publicity,
approval), nominating, and each step's small form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.audit import audited_download
from lianxin.core.forms import Outcome, form_submit, object_action
from lianxin.core.picker import scope_pickers
from lianxin.core.selectors import event_list_for
from lianxin.honours.documents.certificates import certificates_docx
from lianxin.honours.forms.rounds import (
    CeremonyForm,
    NominationForm,
    ObjectionDecisionForm,
    ObjectionForm,
    PublicityForm,
    QuotaForm,
    ReviewForm,
    RoundForm,
)
from lianxin.honours.models import AwardKind, HonourRound, Nomination
from lianxin.honours.permissions import is_admin, manages
from lianxin.honours.rules.eligibility import warning_labels
from lianxin.honours.selectors import rounds as selectors
from lianxin.honours.services import nominations as nominating
from lianxin.honours.services import rounds as services


def _admin_only(request: AuthenticatedHttpRequest) -> None:
    if not is_admin(request.user):
        raise Http404


@login_required
def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The rounds the viewer organizes or holds a quota in, and the form to open one."""
    _admin_only(request)
    form = RoundForm(request.POST or None)
    scope_pickers(form, request.user)

    def open_round(data: dict[str, Any]) -> HonourRound:
        quotas = {kind: data[kind] for kind in AwardKind.values}
        return services.round_open(
            actor=request.user, owner=data["owner"], year=data["year"], title=data["title"], quotas=quotas
        )

    if request.method == "POST" and (round_ := form_submit(form, open_round)):
        messages.success(request, _("The round is open: hand its quotas down."))
        return redirect(round_)
    rounds = selectors.round_list_visible_to(user=request.user)[:100]
    return render(request, "honours/rounds.html", {"rounds": rounds, "form": form})


def _round_context(request: AuthenticatedHttpRequest, round_: HonourRound) -> dict[str, Any]:
    user = request.user
    nominations = list(selectors.nominations_visible_to(user=user, round=round_)[:500])
    for nomination in nominations:
        nomination.warning_labels = warning_labels(nomination.warnings)  # type: ignore[attr-defined]
        nomination.can_review = (  # type: ignore[attr-defined]
            nomination.status == Nomination.Status.IN_REVIEW
            and round_.status == HonourRound.Status.NOMINATING
            and nomination.review_at is not None
            and manages(user, nomination.review_at)
        )
    organizer = manages(user, round_.owner)
    nominating_open = round_.status == HonourRound.Status.NOMINATING
    return {
        "round": round_,
        "organizer": organizer,
        "nominating_open": nominating_open,
        "quotas": selectors.quotas_visible_to(user=user, round=round_),
        "nominations": nominations,
        "quota_form": QuotaForm(children=selectors.quota_receivers(user=user, round=round_))
        if nominating_open
        else None,
        "review_form": ReviewForm(),
        "publicity_form": PublicityForm() if organizer and nominating_open else None,
        "objection_form": ObjectionForm(),
        "decision_form": ObjectionDecisionForm(),
        "ceremony_form": CeremonyForm(),
        "events": event_list_for(round_)[:30] if organizer else None,
    }


@login_required
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.access_round(request.user, pk)
    return render(request, "honours/round.html", _round_context(request, round_))


@login_required
@require_POST
def quota_set(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.access_round(request.user, pk)
    form = QuotaForm(request.POST, children=selectors.quota_receivers(user=request.user, round=round_))

    def run(obj: HonourRound, data: dict[str, Any]) -> Outcome:
        quota = services.quota_set(
            actor=request.user, round=obj, organization=data["organization"], kind=data["kind"], count=data["count"]
        )
        return _("%(org)s now holds %(n)s places.") % {"org": quota.organization.name, "n": quota.count}, None

    return object_action(request, round_, form, run)


@login_required
def nominate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.access_round(request.user, pk)
    holders = selectors.quota_holders(user=request.user, round=round_)
    if not holders.exists():
        raise Http404
    form = NominationForm(request.POST or None, holders=holders, initial={"nominated_by": holders.first()})
    scope_pickers(form, request.user)

    def run(data: dict[str, Any]) -> Nomination:
        return nominating.nomination_create(
            actor=request.user,
            round=round_,
            nominated_by=data["nominated_by"],
            kind=data["kind"],
            member=data["member"],
            nominee_organization=data["nominee_organization"],
            deeds=data["deeds"],
            no_discipline_confirmed=data["no_discipline_confirmed"],
        )

    if request.method == "POST" and (nomination := form_submit(form, run)):
        messages.success(request, _("%(name)s is nominated.") % {"name": nomination.name})
        for label in warning_labels(nomination.warnings):
            messages.warning(request, _("Check before review: %(reason)s.") % {"reason": label})
        return redirect(round_)
    quotas = selectors.quotas_visible_to(user=request.user, round=round_)
    return render(request, "honours/nominate.html", {"round": round_, "form": form, "quotas": quotas})


@login_required
@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.access_nomination(request.user, pk)

    def run(obj: Nomination, data: dict[str, Any]) -> Outcome:
        recommend = data["decision"] == "recommend"
        nominating.nomination_review(actor=request.user, nomination=obj, recommend=recommend, note=data["note"])
        return (_("Recommended.") if recommend else _("Not recommended.")), None

    return object_action(request, nomination, ReviewForm(request.POST), run, back=nomination.round.get_absolute_url())


@login_required
@require_POST
def publicity_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(obj: HonourRound, data: dict[str, Any]) -> Outcome:
        services.round_publicity_start(
            actor=request.user, round=obj, starts_on=data["starts_on"], working_days=data["working_days"]
        )
        return _("The publicity runs until %(date)s.") % {"date": obj.publicity_ends_on}, None

    return object_action(request, selectors.access_round(request.user, pk), PublicityForm(request.POST), run)


@login_required
@require_POST
def objection_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.access_nomination(request.user, pk)

    def run(obj: Nomination, data: dict[str, Any]) -> Outcome:
        services.objection_record(
            actor=request.user, nomination=obj, received_on=data["received_on"], content=data["content"]
        )
        return _("The objection is recorded."), None

    back = nomination.round.get_absolute_url()
    return object_action(request, nomination, ObjectionForm(request.POST), run, back=back)


@login_required
@require_POST
def objection_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    objection = selectors.access_objection(request.user, pk)

    def run(obj: Any, data: dict[str, Any]) -> Outcome:
        services.objection_decide(
            actor=request.user, objection=obj, upheld=data["outcome"] == "upheld", note=data["note"]
        )
        return _("The objection is decided."), None

    back = objection.nomination.round.get_absolute_url()
    return object_action(request, objection, ObjectionDecisionForm(request.POST), run, back=back)


@login_required
@require_POST
def round_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    """Approve or publish: a button, no input."""
    round_ = selectors.access_round(request.user, pk)
    try:
        if step == "approve":
            services.round_approve(actor=request.user, round=round_)
            messages.success(request, _("The round is approved."))
        else:
            services.round_publish(actor=request.user, round=round_)
            messages.success(request, _("The list is published."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(round_)


@login_required
@require_POST
def ceremony(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(obj: HonourRound, data: dict[str, Any]) -> Outcome:
        services.round_ceremony_record(
            actor=request.user, round=obj, held_on=data["held_on"], place=data["place"], note=data["note"]
        )
        return _("The ceremony is recorded."), None

    return object_action(request, selectors.access_round(request.user, pk), CeremonyForm(request.POST), run)


@login_required
@audited_download("honours.certificates")
def certificates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The certificates of the round's approved nominees (its organizer only)."""
    round_ = selectors.access_round(request.user, pk)
    if not manages(request.user, round_.owner) or round_.status not in (
        HonourRound.Status.APPROVED,
        HonourRound.Status.PUBLISHED,
    ):
        raise Http404
    body = certificates_docx(round_, list(selectors.approved_nominations(round_)))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="honours-{round_.year}-{round_.pk}.docx"'
    return response

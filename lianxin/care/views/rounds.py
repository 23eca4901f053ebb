"""Care round pages: the list, a new round, a round with its budgets and recipients, opening and
closing, handing a budget down, drawing recipients by rule (preview, then confirm), adding one by
hand, the totals and the ledger."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.care import permissions
from lianxin.care.forms import BudgetForm, DrawForm, RecipientForm, RoundForm
from lianxin.care.models import CareRound
from lianxin.care.rules.recipients import DrawRule
from lianxin.care.selectors.rounds import (
    access_round,
    budget_lines,
    draw_candidates,
    recipients_visible,
    round_totals,
    rounds_visible_to,
)
from lianxin.care.services import rounds as services
from lianxin.care.views.hardship import care_user
from lianxin.core.forms import EmptyForm, Outcome, form_action, form_submit, object_action
from lianxin.core.params import ids_of
from lianxin.core.selectors import event_list_for, page_of

PAGE_SIZE = 50


@login_required
def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    care_user(request)
    page = page_of(rounds_visible_to(user=request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "care/round_list.html", {"page": page})


@login_required
def round_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    care_user(request)
    form = RoundForm(request.POST or None, user=request.user)

    def run(data: dict[str, Any]) -> CareRound:
        return services.round_create(
            actor=request.user,
            organization=data["organization"],
            title=data["title"],
            occasion=data["occasion"],
            year=data["year"],
            on=data["on"],
            target_groups=data["target_groups"],
            note=data["note"],
        )

    if round_ := form_submit(form, run):
        messages.success(request, _("The care round is created. Hand its budget down next."))
        return redirect(round_)
    return render(request, "care/round_form.html", {"form": form})


@login_required
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care_user(request)
    round_ = access_round(request.user, pk)
    show = request.GET.get("show", "")
    visited = {"visited": True, "not_visited": False}.get(show)
    recipients = recipients_visible(user=request.user, round_=round_, visited=visited)
    return render(
        request,
        "care/round_detail.html",
        {
            "round": round_,
            "lines": budget_lines(round_),
            "totals": round_totals(user=request.user, round_=round_),
            "page": page_of(recipients, request.GET.get("page"), PAGE_SIZE),
            "show": show,
            "organizer": permissions.manages(request.user, round_.organization.path),
            "budget_form": BudgetForm(user=request.user),
            "recipient_form": RecipientForm(user=request.user),
            "events": event_list_for(round_)[:30],
        },
    )


@login_required
@require_POST
def round_move(request: AuthenticatedHttpRequest, pk: int, to: str) -> HttpResponse:
    care_user(request)
    if to not in (CareRound.Status.OPEN, CareRound.Status.CLOSED):
        raise Http404

    def run(round_: CareRound, data: dict[str, Any]) -> Outcome:
        services.round_move(actor=request.user, round_=round_, to=to)
        return (_("The round is open for visits.") if to == CareRound.Status.OPEN else _("The round is closed.")), None

    return object_action(request, access_round(request.user, pk), EmptyForm(request.POST), run)


@login_required
@require_POST
def budget_set(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care_user(request)

    def run(round_: CareRound, data: dict[str, Any]) -> Outcome:
        budget = services.budget_set(
            actor=request.user, round_=round_, organization=data["organization"], amount=data["amount"]
        )
        return _("%(name)s now holds %(amount)s yuan.") % {
            "name": budget.organization.name,
            "amount": budget.amount,
        }, None

    return object_action(request, access_round(request.user, pk), BudgetForm(request.POST, user=request.user), run)


def _rule(data: dict[str, Any]) -> DrawRule:
    kinds = tuple(data.get("honour_kinds") or ()) or ("outstanding_member",)
    return DrawRule(kind=data["rule"], years=data.get("years") or 0, honour_kinds=kinds)


@login_required
def draw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the rule and, once given, the members it draws (all ticked); POST: confirm the ticked ones."""
    care_user(request)
    round_ = access_round(request.user, pk)
    data = request.POST if request.method == "POST" else (request.GET if "rule" in request.GET else None)
    form = DrawForm(data, user=request.user)
    candidates = None
    if data is not None and form.is_valid():
        rule = _rule(form.cleaned_data)
        if request.method == "POST":
            ids = ids_of(request.POST.getlist("ids"))
            return form_action(
                request,
                form,
                lambda d: _confirm(request, round_, rule, d, ids),
                back=request.get_full_path(),
            )
        found = draw_candidates(round_=round_, rule=rule, organization=form.cleaned_data["organization"])
        candidates = list(found[: services.DRAW_MAX + 1])
    return render(
        request,
        "care/draw.html",
        {
            "round": round_,
            "form": form,
            "candidates": candidates[: services.DRAW_MAX] if candidates is not None else None,
            "more": candidates is not None and len(candidates) > services.DRAW_MAX,
            "draw_max": services.DRAW_MAX,
        },
    )


def _confirm(
    request: AuthenticatedHttpRequest, round_: CareRound, rule: DrawRule, data: dict[str, Any], ids: list[int]
) -> Outcome:
    added = services.recipients_draw(
        actor=request.user, round_=round_, rule=rule, organization=data["organization"], member_ids=ids
    )
    n = len(added)
    return ngettext("%(n)s recipient added.", "%(n)s recipients added.", n) % {"n": n}, round_.get_absolute_url()


@login_required
@require_POST
def recipient_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care_user(request)

    def run(round_: CareRound, data: dict[str, Any]) -> Outcome:
        recipient = services.recipient_add(
            actor=request.user,
            round_=round_,
            group=data["group"],
            member=data["member"],
            name=data["name"],
            note=data["note"],
            organization=data["organization"],
        )
        return _("%(name)s is added to the round.") % {"name": recipient.name}, None

    return object_action(request, access_round(request.user, pk), RecipientForm(request.POST, user=request.user), run)


@login_required
def totals(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care_user(request)
    round_ = access_round(request.user, pk)
    return render(
        request,
        "care/totals.html",
        {"round": round_, "totals": round_totals(user=request.user, round_=round_), "lines": budget_lines(round_)},
    )


@login_required
def ledger(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    care_user(request)
    round_ = access_round(request.user, pk)
    content = services.round_ledger_export(actor=request.user, round_=round_)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="care-ledger-{round_.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response

"""A signed-in resident's own demands: the list, each one's progress with the follow-up in place,
and adding a demand sent without an account (its lookup code and mobile digits)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import Outcome, form_submit, object_action
from lianxin.core.selectors import page_of
from lianxin.demands.forms.public import LookupForm, ResidentFollowUpForm
from lianxin.demands.models import Demand
from lianxin.demands.selectors.handling import demand_follow_ups
from lianxin.demands.selectors.mine import access_own_demand, demand_list_own
from lianxin.demands.services.followup import demand_follow_up
from lianxin.demands.services.mine import demand_claim
from lianxin.demands.views.public import public_timeline

PER_PAGE = 20


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My demands, newest first, each with where it stands."""
    page = page_of(demand_list_own(user=request.user), request.GET.get("page"), PER_PAGE)
    return render(request, "demands/mine.html", {"page": page, "demands": page.object_list})


@login_required
def mine_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One of my demands: its progress, and the follow-up once it is resolved."""
    demand = access_own_demand(request.user, pk)
    return render(
        request,
        "demands/mine_detail.html",
        {
            "demand": demand,
            "events": public_timeline(demand),
            "follow_ups": list(demand_follow_ups(demand)),
            "follow_up_form": ResidentFollowUpForm() if demand.status == Demand.Status.RESOLVED else None,
        },
    )


@login_required
@require_POST
def mine_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """My answer to the resolution of my demand (回访), without its lookup code."""

    def answer(demand: Demand, data: dict[str, Any]) -> Outcome:
        demand_follow_up(demand=demand, actor=request.user, result=data["result"], comment=data["comment"])
        if data["result"] == Demand.Satisfaction.UNSATISFIED:
            return _("Thank you. Your demand goes back to be handled again."), None
        return _("Thank you for your answer."), None

    demand = access_own_demand(request.user, pk)
    back = reverse("demands:mine_detail", args=[pk])
    return object_action(request, demand, ResidentFollowUpForm(request.POST), answer, back=back)


@login_required
def claim(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add a demand I sent without an account: its lookup code and my mobile's last four digits."""
    form = LookupForm(request.POST or None)

    def add(data: dict[str, Any]) -> Demand:
        return demand_claim(actor=request.user, code=data["code"], phone_last4=data["digits"])

    if demand := form_submit(form, add):
        return redirect("demands:mine_detail", pk=demand.pk)
    return render(request, "demands/claim.html", {"form": form})

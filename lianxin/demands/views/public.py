"""Public pages (submit a demand, follow it with the lookup code) and the staff pages for similar
demands, merging and hot spots.

A resident who found their demand is remembered in their session (the demand's id only), so
the follow-up form needs no code in the page or the address bar.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lianxin.accounts.models import User
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.clients import client_address
from lianxin.core.forms import EmptyForm, Outcome, form_action, form_submit, object_action
from lianxin.core.params import id_param
from lianxin.core.selectors import event_list_for
from lianxin.demands import permissions
from lianxin.demands.forms.public import (
    HotSpotAddForm,
    HotSpotForm,
    LookupForm,
    MergeForm,
    PublicDemandForm,
    ResidentFollowUpForm,
)
from lianxin.demands.models import Demand, DemandVerb, HotSpot
from lianxin.demands.selectors.duplicates import (
    access_hot_spot,
    common_area,
    demands_numbered,
    hot_spot_demands,
    hot_spot_list_visible_to,
    hot_spot_status_counts,
    hot_spot_suggestions,
    similar_demands_for,
    similar_to_demand,
)
from lianxin.demands.selectors.handling import (
    access_demand,
    area_of,
    category_by_code,
    category_of,
    demand_follow_ups,
    demand_of_resident,
)
from lianxin.demands.services.duplicates import demand_merge, hot_spot_add, hot_spot_create, hot_spot_remove
from lianxin.demands.services.followup import demand_follow_up
from lianxin.demands.services.public import demand_lookup, demand_submit_public
from lianxin.organizations.selectors import area_by_code

# Session keys: the demand just submitted (to show its code) and the demand looked up.
SUBMITTED_KEY = "demands_submitted"
LOOKUP_KEY = "demands_lookup"


def demand_url(demand: Demand) -> str:
    """The staff page of a demand (written by the handling part)."""
    try:
        return reverse("demands:detail", args=[demand.pk])
    except NoReverseMatch:
        return reverse("demands:merge", args=[demand.pk])


def _with_links(demands: Any) -> Any:
    """Give each demand its page address for the template (`page_url`); returns what it was given."""
    for item in demands:
        demand = getattr(item, "demand", item)
        demand.page_url = demand_url(demand)
    return demands


# ---------------------------------------------------------------- residents


def submit(request: HttpRequest) -> HttpResponse:
    """Anyone may submit a demand; a signed-in resident finds their name and mobile filled in."""
    user = request.user
    initial: dict[str, Any] = {}
    if isinstance(user, User) and user.is_authenticated:
        initial = {"submitter_name": user.display_name, "submitter_phone": user.mobile}
    area = area_by_code(request.GET.get("area", ""))
    if area is not None:
        initial["area"] = area
    form = PublicDemandForm(request.POST or None, initial=initial)

    def send(data: dict[str, Any]) -> Demand:
        return demand_submit_public(
            actor=user,
            category=data["category"],
            area=data["area"],
            address=data["address"],
            title=data["title"],
            description=data["description"],
            submitter_name=data["submitter_name"],
            submitter_phone=data["submitter_phone"],
            ip_address=client_address(request),
        )

    if demand := form_submit(form, send):
        request.session[SUBMITTED_KEY] = demand.pk
        request.session[LOOKUP_KEY] = demand.pk
        return redirect("demands:submitted")
    return render(request, "demands/public_submit.html", {"form": form})


def submitted(request: HttpRequest) -> HttpResponse:
    """The lookup code of the demand just submitted, to write down."""
    demand = demand_of_resident(request.session.get(SUBMITTED_KEY))
    if demand is None:
        return redirect("demands:submit")
    return render(request, "demands/public_submitted.html", {"demand": demand})


def _looked_up(request: HttpRequest) -> Demand | None:
    return demand_of_resident(request.session.get(LOOKUP_KEY))


# What a resident may read of the timeline: these steps only, each with its date, never who
# did it or the staff's notes. Other entries (escalations, hot spots) stay internal.
PUBLIC_STEPS: dict[str, str | Promise] = {
    DemandVerb.COLLECTED: gettext_lazy("received"),
    DemandVerb.ACCEPTED: gettext_lazy("accepted"),
    DemandVerb.ASSIGNED: gettext_lazy("passed to the responsible unit"),
    DemandVerb.REASSIGNED: gettext_lazy("passed to another responsible unit"),
    DemandVerb.STEP: gettext_lazy("being handled"),
    DemandVerb.RESOLVED: gettext_lazy("resolved"),
    DemandVerb.UNRESOLVABLE: gettext_lazy("closed, cannot be resolved"),
    DemandVerb.FOLLOWED_UP: gettext_lazy("followed up"),
    DemandVerb.SENT_BACK: gettext_lazy("sent back to be handled again"),
    DemandVerb.NOT_OURS: gettext_lazy("not for this organization"),
    DemandVerb.DUPLICATE: gettext_lazy("merged with the same problem raised earlier"),
}


def public_timeline(demand: Demand) -> list[dict[str, Any]]:
    """The demand's timeline as a resident may read it: what happened and when, never by whom or staff notes."""
    return [
        {"at": e.at, "label": PUBLIC_STEPS[e.verb]}
        for e in event_list_for(demand).filter(verb__in=PUBLIC_STEPS).select_related(None).only("at", "verb")[:50]
    ]


def lookup(request: HttpRequest) -> HttpResponse:
    """Code + last four digits of the mobile number → the demand's progress; one neutral message otherwise."""
    form = LookupForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("forget"):
            request.session.pop(LOOKUP_KEY, None)
            return redirect("demands:lookup")
        if form.is_valid():
            code, digits = form.cleaned_data["code"], form.cleaned_data["digits"]
            try:
                demand = demand_lookup(code=code, phone_last4=digits, ip_address=client_address(request))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if demand is not None:
                    request.session[LOOKUP_KEY] = demand.pk
                    return redirect("demands:lookup")
                form.add_error(None, _("No demand matches this code and these digits. Check both and try again."))
    demand = None if request.method == "POST" else _looked_up(request)
    context: dict[str, Any] = {"form": form, "demand": demand}
    if demand is not None:
        context["events"] = public_timeline(demand)
        context["follow_up_form"] = ResidentFollowUpForm() if demand.status == Demand.Status.RESOLVED else None
        context["follow_ups"] = list(demand_follow_ups(demand))
    return render(request, "demands/public_lookup.html", context)


@require_POST
def lookup_follow_up(request: HttpRequest) -> HttpResponse:
    """The resident's own follow-up (回访) of a resolved demand they looked up."""
    demand = _looked_up(request)
    if demand is None:
        messages.error(request, _("Look up your demand first."))
        return redirect("demands:lookup")

    def answer(data: dict[str, Any]) -> Outcome:
        demand_follow_up(
            demand=demand,
            actor=request.user,
            result=data["result"],
            comment=data["comment"],
            lookup_code=demand.lookup_code,
        )
        if data["result"] == Demand.Satisfaction.UNSATISFIED:
            return _("Thank you. Your demand goes back to be handled again."), None
        return _("Thank you for your answer."), None

    return form_action(request, ResidentFollowUpForm(request.POST), answer, back=reverse("demands:lookup"))


# ---------------------------------------------------------------- staff: similar demands and merging


def _staff(request: HttpRequest) -> None:
    if not permissions.can_collect_at_all(request.user):
        raise Http404


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """htmx: similar open demands for the title and description being typed on a new demand's page."""
    _staff(request)
    params = request.GET
    area = area_of(params.get("area", "")) or area_by_code(params.get("area", ""))
    exclude = id_param(params.get("exclude"), name="exclude")
    title, description = params.get("title", ""), params.get("description", "")
    found = []
    if area is not None and (title.strip() or description.strip()):
        found = similar_demands_for(
            user=request.user,
            title=title,
            description=description,
            area=area,
            category=category_of(params.get("category", "")) or category_by_code(params.get("category", "")),
            exclude=exclude,
        )
    return render(request, "demands/similar_list.html", {"similar": _with_links(found)})


@login_required
def merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Merge a demand into another open one: similar demands are offered, any number may be typed."""
    demand = access_demand(request.user, pk)
    if request.method == "POST":

        def run(data: dict[str, Any]) -> Outcome:
            into = access_demand(request.user, data["into"])
            demand_merge(demand=demand, into=into, actor=request.user, reason=data["reason"])
            return _("Merged into demand %(pk)s.") % {"pk": into.pk}, demand_url(into)

        return form_action(request, MergeForm(request.POST), run, back=reverse("demands:merge", args=[pk]))
    can_merge = permissions.can_reject_duplicate(request.user, demand)
    return render(
        request,
        "demands/similar_merge.html",
        {
            "demand": demand,
            "similar": _with_links(similar_to_demand(user=request.user, demand=demand) if can_merge else []),
            "can_merge": can_merge,
            "form": MergeForm(),
            "demand_link": demand_url(demand),
        },
    )


# ---------------------------------------------------------------- staff: hot spots


@login_required
def hot_spots(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    return render(request, "demands/hot_spot_list.html", {"rows": hot_spot_list_visible_to(user=request.user)})


def _ticked(request: HttpRequest) -> Any:
    """Ticked boxes and typed numbers arrive as one comma-separated field."""
    data = request.POST.copy()
    data["demands"] = ",".join(v for v in request.POST.getlist("demands") if v.strip())
    return data


@login_required
def hot_spot_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Group complaints into a hot spot; opened from a demand, its similar open demands are offered."""
    _staff(request)
    start = id_param(request.GET.get("demand"), name="demand")
    first = access_demand(request.user, start) if start else None
    initial = {"title": first.title, "category": first.category_id, "demands": str(first.pk)} if first else {}
    form = HotSpotForm(_ticked(request) if request.method == "POST" else None, initial=initial)

    def create(data: dict[str, Any]) -> HotSpot:
        chosen = demands_numbered(user=request.user, numbers=data["demands"])
        return hot_spot_create(
            actor=request.user,
            title=data["title"],
            area=common_area(chosen),
            category=data["category"],
            demands=chosen,
        )

    if hot_spot := form_submit(form, create):
        messages.success(request, _("The hot spot groups %(n)s demands.") % {"n": hot_spot.demands.count()})
        return redirect("demands:hot_spot", pk=hot_spot.pk)
    suggestions = similar_to_demand(user=request.user, demand=first, limit=20) if first else []
    return render(
        request,
        "demands/hot_spot_new.html",
        {
            "form": form,
            "first": first,
            "suggestions": _with_links([s for s in suggestions if s.demand.hot_spot_id is None]),
        },
    )


@login_required
def hot_spot(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    spot = access_hot_spot(request.user, pk)
    demands = hot_spot_demands(user=request.user, hot_spot=spot)
    return render(
        request,
        "demands/hot_spot_detail.html",
        {
            "hot_spot": spot,
            "demands": _with_links(list(demands[:500])),
            "total": demands.count(),
            "counts": hot_spot_status_counts(demands),
            "suggestions": _with_links(hot_spot_suggestions(user=request.user, hot_spot=spot)),
            "add_form": HotSpotAddForm(),
            "events": event_list_for(spot)[:30],
        },
    )


@login_required
@require_POST
def hot_spot_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(spot: HotSpot, data: dict[str, Any]) -> Outcome:
        chosen = demands_numbered(user=request.user, numbers=data["demands"])
        hot_spot_add(hot_spot=spot, demands=chosen, actor=request.user)
        return _("%(n)s demands added to the hot spot.") % {"n": len(chosen)}, None

    return object_action(request, access_hot_spot(request.user, pk), HotSpotAddForm(_ticked(request)), run)


@login_required
@require_POST
def hot_spot_remove_view(request: AuthenticatedHttpRequest, pk: int, demand_pk: int) -> HttpResponse:
    spot = access_hot_spot(request.user, pk)
    demand = access_demand(request.user, demand_pk)

    def run(spot: HotSpot, data: dict[str, Any]) -> Outcome:
        hot_spot_remove(hot_spot=spot, demand=demand, actor=request.user)
        left = hot_spot_demands(user=request.user, hot_spot=spot).exists()
        return _("Demand %(pk)s was taken out of the hot spot.") % {"pk": demand.pk}, (
            None if left else reverse("demands:hot_spots")
        )

    return object_action(request, spot, EmptyForm(request.POST), run)

"""Handling pages: the inbox by deadline, recording a demand, a demand's page and its actions."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import Outcome, form_submit, object_action
from lianxin.core.selectors import event_list_for, page_of
from lianxin.demands import permissions
from lianxin.demands.forms.handling import (
    AssignForm,
    DemandForm,
    FollowUpForm,
    NoteForm,
    ReassignForm,
    RejectForm,
    ResolveForm,
    UnresolvableForm,
)
from lianxin.demands.models import Demand
from lianxin.demands.rules.sources import link_for
from lianxin.demands.selectors.handling import (
    access_demand,
    area_of,
    demand_follow_ups,
    demand_to_accept,
    demand_to_follow_up,
    demand_to_handle,
)
from lianxin.demands.selectors.sources import SourceRecord, source_link_for, source_record_for
from lianxin.demands.services import followup as services_followup
from lianxin.demands.services import handling as services

PAGE_SIZE = 50
QUEUE_SIZE = 100


def _staff_only(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_collect_at_all(request.user):
        raise Http404


def _url_or_empty(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Demands to handle by deadline (overdue first); for admins also those to accept and to follow up."""
    _staff_only(request)
    user = request.user
    admin = not roster_scope(user).is_empty
    to_accept, to_follow_up = demand_to_accept(user=user), demand_to_follow_up(user=user)
    return render(
        request,
        "demands/inbox.html",
        {
            "page": page_of(demand_to_handle(user=user), request.GET.get("page"), PAGE_SIZE),
            # The badges count the whole queue (as the workbench does); the lists show its first rows.
            "to_accept": to_accept[:QUEUE_SIZE] if admin else [],
            "to_accept_count": to_accept.count() if admin else 0,
            "to_follow_up": to_follow_up[:QUEUE_SIZE] if admin else [],
            "to_follow_up_count": to_follow_up.count() if admin else 0,
            "queue_size": QUEUE_SIZE,
            "admin": admin,
            "today": timezone.localdate(),
        },
    )


def _source_from_query(request: AuthenticatedHttpRequest) -> tuple[str, SourceRecord | None]:
    """`?source=visit&source_id=7`: the source kind, and the record when one is named (404 if out of scope)."""
    source = request.GET.get("source", "")
    source_id = request.GET.get("source_id", "")
    if source not in Demand.Source.values:
        return "", None
    if source_id:
        return source, source_record_for(request.user, source, source_id)
    return source, None


def _initial_from(source: str, record: SourceRecord | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"source": source or Demand.Source.STAFF}
    if record is not None:
        initial["organization"] = record.organization
        area_id = getattr(record, "area_id", None) or record.organization.area_id
        initial["area"] = area_of(area_id)
    return initial


@login_required
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff record a demand; opened from a visit, topic or session it links back to that record."""
    _staff_only(request)
    source, record = _source_from_query(request)
    form = DemandForm(request.POST or None, user=request.user, initial=_initial_from(source, record))

    def record_demand(data: dict[str, Any]) -> Demand:
        return services.demand_create(
            actor=request.user,
            source=data["source"],
            title=data["title"],
            description=data["description"],
            category=data["category"],
            area=data["area"],
            organization=data["organization"],
            address=data["address"],
            submitter_name=data["submitter_name"],
            submitter_phone=data["submitter_phone"],
            source_object=record if record is not None and data["source"] == source else None,
            hotline_number=data["hotline_number"],
        )

    if demand := form_submit(form, record_demand):
        messages.success(request, _("The demand was recorded; it waits to be accepted."))
        return redirect("demands:detail", pk=demand.pk)
    return render(
        request,
        "demands/demand_new.html",
        {
            "form": form,
            "record": record,
            "record_link": link_for(record) if record is not None else None,
            "similar_url": _url_or_empty("demands:similar"),
        },
    )


def _where_from(request: AuthenticatedHttpRequest, demand: Demand) -> tuple[str, str]:
    link = source_link_for(user=request.user, demand=demand)
    if link is None:
        return str(demand.get_source_display()), ""
    return link


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    demand = access_demand(request.user, pk)
    user = request.user
    source_label, source_url = _where_from(request, demand)
    can = {
        "accept": permissions.can_accept(user, demand),
        "not_ours": permissions.can_reject_not_ours(user, demand),
        "duplicate": permissions.can_reject_duplicate(user, demand),
        "assign": permissions.can_assign(user, demand),
        "reassign": permissions.can_reassign(user, demand),
        "step": permissions.can_step(user, demand),
        "resolve": permissions.can_resolve(user, demand),
        "unresolvable": permissions.can_close_unresolvable(user, demand),
        "follow_up": permissions.can_follow_up(user, demand),
    }
    return render(
        request,
        "demands/demand_detail.html",
        {
            "demand": demand,
            "can": can,
            "can_reject": can["not_ours"] or can["duplicate"],
            "collector": permissions.is_collector(user, demand),
            "overdue": demand.status == Demand.Status.ASSIGNED
            and demand.deadline is not None
            and demand.deadline < timezone.localdate(),
            "source_label": source_label,
            "source_url": source_url,
            "follow_ups": demand_follow_ups(demand),
            "events": event_list_for(demand)[:100],
            "note_form": NoteForm(),
            "reject_form": RejectForm(),
            "assign_form": AssignForm(),
            "reassign_form": ReassignForm(),
            "resolve_form": ResolveForm(),
            "unresolvable_form": UnresolvableForm(),
            "follow_up_form": FollowUpForm(),
        },
    )


def _original(request: AuthenticatedHttpRequest, pk: int | None) -> Demand | None:
    """The demand a duplicate points to, when one is named; one the viewer cannot see is no demand."""
    if not pk:
        return None
    try:
        return access_demand(request.user, pk)
    except Http404:
        raise ValidationError(_("There is no demand number %(pk)s.") % {"pk": pk}, code="no_original") from None


def _demand_action(
    request: AuthenticatedHttpRequest,
    pk: int,
    form_class: type[forms.Form],
    run: Callable[[Demand, dict[str, Any]], str],
) -> HttpResponse:
    """object_action on the demand in the viewer's scope; back to its page with the message `run` returns."""

    def action(demand: Demand, data: dict[str, Any]) -> Outcome:
        return run(demand, data), None

    return object_action(request, access_demand(request.user, pk), form_class(request.POST), action)


@login_required
@require_POST
def accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(demand: Demand, data: dict[str, Any]) -> str:
        services.demand_accept(demand=demand, actor=request.user, note=data["note"])
        return _("Accepted; now assign it to a responsible unit.")

    return _demand_action(request, pk, NoteForm, run)


@login_required
@require_POST
def reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(demand: Demand, data: dict[str, Any]) -> str:
        original = _original(request, data["duplicate_of"])
        services.demand_reject(
            demand=demand, actor=request.user, kind=data["kind"], reason=data["reason"], duplicate_of=original
        )
        return _("The demand was turned away.")

    return _demand_action(request, pk, RejectForm, run)


@login_required
@require_POST
def assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(demand: Demand, data: dict[str, Any]) -> str:
        services.demand_assign(
            demand=demand,
            actor=request.user,
            unit=data["unit"],
            days=data["days"],
            deadline=data["deadline"],
            note=data["note"],
        )
        return _("Assigned to %(unit)s, due %(date)s.") % {"unit": demand.responsible_unit, "date": demand.deadline}

    return _demand_action(request, pk, AssignForm, run)


@login_required
@require_POST
def reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(demand: Demand, data: dict[str, Any]) -> str:
        services.demand_reassign(
            demand=demand,
            actor=request.user,
            unit=data["unit"],
            reason=data["reason"],
            days=data["days"],
            deadline=data["deadline"],
        )
        return _("Reassigned to %(unit)s, due %(date)s.") % {"unit": demand.responsible_unit, "date": demand.deadline}

    return _demand_action(request, pk, ReassignForm, run)


@login_required
@require_POST
def step(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(demand: Demand, data: dict[str, Any]) -> str:
        services.demand_step(demand=demand, actor=request.user, note=data["note"])
        return _("The step is on the timeline.")

    return _demand_action(request, pk, NoteForm, run)


@login_required
@require_POST
def resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(demand: Demand, data: dict[str, Any]) -> str:
        services.demand_resolve(demand=demand, actor=request.user, resolution=data["resolution"])
        return _("Resolved; the collector will follow up with the resident.")

    return _demand_action(request, pk, ResolveForm, run)


@login_required
@require_POST
def unresolvable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(demand: Demand, data: dict[str, Any]) -> str:
        services.demand_close_unresolvable(demand=demand, actor=request.user, explanation=data["explanation"])
        return _("Closed as cannot be resolved.")

    return _demand_action(request, pk, UnresolvableForm, run)


@login_required
@require_POST
def follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(demand: Demand, data: dict[str, Any]) -> str:
        services_followup.demand_follow_up(
            demand=demand, actor=request.user, result=data["result"], comment=data["comment"]
        )
        if data["result"] == Demand.Satisfaction.UNSATISFIED:
            return _("Sent back to %(unit)s for re-handling.") % {"unit": demand.responsible_unit}
        return _("Follow-up recorded; the demand is closed.")

    return _demand_action(request, pk, FollowUpForm, run)

"""Touring pages: the public schedule with its print, Word and Excel forms, and the organizer's pages."""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import Outcome, form_action, form_submit
from lianxin.core.selectors import event_list_for
from lianxin.volunteering.documents import touring as documents
from lianxin.volunteering.forms.touring import BeneficiariesForm, ConfirmForm, TourForm, TourStopForm
from lianxin.volunteering.models import Tour, TourStop
from lianxin.volunteering.selectors.touring import (
    access_public_tour,
    access_tour,
    access_tour_stop,
    can_organize,
    can_plan_tours,
    tour_figures,
    tour_list_managed_by,
    tour_list_public,
    tour_stops,
)
from lianxin.volunteering.services import touring as services


def tour_list(request: HttpRequest) -> HttpResponse:
    """Published schedules for everyone; organizers also see their drafts."""
    planner = can_plan_tours(request.user)
    return render(
        request,
        "volunteering/tour_list.html",
        {
            "tours": tour_list_public()[:100],
            "managed": tour_list_managed_by(user=request.user)[:100] if planner else None,
            "can_plan": planner,
        },
    )


def _save_tour(request: AuthenticatedHttpRequest, form: TourForm, tour: Tour | None) -> Tour | None:
    def save(data: dict[str, Any]) -> Tour:
        if tour is None:
            return services.tour_create(
                actor=request.user,
                organization=data["organization"],
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                description=data["description"],
            )
        return services.tour_update(
            tour=tour,
            actor=request.user,
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            description=data["description"],
        )

    return form_submit(form, save)


@login_required
def tour_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_plan_tours(request.user):
        raise Http404
    form = TourForm(request.POST or None, user=request.user)
    if tour := _save_tour(request, form, None):
        messages.success(request, _("The touring service is planned; now add its stops."))
        return redirect("volunteering:tour_detail", pk=tour.pk)
    return render(request, "volunteering/tour_form.html", {"form": form, "tour": None})


@login_required
def tour_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tour = access_tour(request.user, pk)
    form = TourForm(request.POST or None, user=request.user, tour=tour)
    if _save_tour(request, form, tour):
        messages.success(request, _("Saved."))
        return redirect("volunteering:tour_detail", pk=tour.pk)
    return render(request, "volunteering/tour_form.html", {"form": form, "tour": tour})


@login_required
def tour_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The organizer's page: stops with their actions, publishing, figures and the timeline."""
    tour = access_tour(request.user, pk)
    return render(
        request,
        "volunteering/tour_detail.html",
        {
            "tour": tour,
            "stops": tour_stops(tour),
            "figures": tour_figures(tour),
            "events": event_list_for(tour)[:100],
            "today": timezone.localdate(),
        },
    )


def _stop_form_page(request: AuthenticatedHttpRequest, tour: Tour, stop: TourStop | None) -> HttpResponse:
    initial: dict[str, Any] = {"date": tour.starts_on}
    if stop is not None:
        initial = {
            "area": stop.area,
            "date": stop.date,
            "place": stop.place,
            "starts_at": stop.starts_at,
            "ends_at": stop.ends_at,
            "teams": list(stop.teams.all()),
            "items": list(stop.items.all()),
        }
    form = TourStopForm(request.POST or None, tour=tour, initial=initial)

    def save(data: dict[str, Any]) -> TourStop:
        values = {
            "actor": request.user,
            "area": data["area"],
            "date": data["date"],
            "place": data["place"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "team_ids": [t.pk for t in data["teams"]],
            "item_ids": [i.pk for i in data["items"]],
        }
        if stop is None:
            return services.tour_stop_add(tour=tour, **values)
        return services.tour_stop_update(stop=stop, **values)

    if form_submit(form, save):
        messages.success(request, _("The stop is on the schedule.") if stop is None else _("Saved."))
        return redirect("volunteering:tour_detail", pk=tour.pk)
    return render(request, "volunteering/tour_stop_form.html", {"form": form, "tour": tour, "stop": stop})


@login_required
def tour_stop_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _stop_form_page(request, access_tour(request.user, pk), None)


@login_required
def tour_stop_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stop = access_tour_stop(request.user, pk)
    return _stop_form_page(request, stop.tour, stop)


def _back(tour: Tour) -> str:
    return reverse("volunteering:tour_detail", args=[tour.pk])


@login_required
@require_POST
def tour_stop_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stop = access_tour_stop(request.user, pk)

    def run(data: dict[str, Any]) -> Outcome:
        services.tour_stop_remove(stop=stop, actor=request.user)
        return _("The stop was removed from the schedule."), None

    return form_action(request, ConfirmForm(request.POST), run, back=_back(stop.tour))


@login_required
@require_POST
def tour_stop_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stop = access_tour_stop(request.user, pk)

    def run(data: dict[str, Any]) -> Outcome:
        services.tour_stop_record(stop=stop, actor=request.user, beneficiaries=data["beneficiaries"])
        return _("People served recorded."), None

    return form_action(request, BeneficiariesForm(request.POST), run, back=_back(stop.tour))


@login_required
@require_POST
def tour_publish(request: AuthenticatedHttpRequest, pk: int, publish: bool) -> HttpResponse:
    tour = access_tour(request.user, pk)

    def run(data: dict[str, Any]) -> Outcome:
        if publish:
            services.tour_publish(tour=tour, actor=request.user)
            return _("The schedule is on the public page."), None
        services.tour_unpublish(tour=tour, actor=request.user)
        return _("The schedule is no longer public."), None

    return form_action(request, ConfirmForm(request.POST), run, back=_back(tour))


def _schedule_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    tour = access_public_tour(request.user, pk)
    return {
        "tour": tour,
        "stops": tour_stops(tour),
        "figures": tour_figures(tour),
        "organizer": can_organize(request.user, tour.organization),
    }


def tour_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The public schedule: towns, dates, places, team names and items; never a person."""
    return render(request, "volunteering/tour_public.html", _schedule_context(request, pk))


def tour_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "volunteering/tour_print.html", _schedule_context(request, pk))


def tour_docx(request: HttpRequest, pk: int) -> FileResponse:
    tour = access_public_tour(request.user, pk)
    return FileResponse(
        io.BytesIO(documents.schedule_docx(tour)),
        as_attachment=True,
        filename=documents.schedule_filename(tour, "docx"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def tour_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    tour = access_public_tour(request.user, pk)
    return FileResponse(
        io.BytesIO(documents.schedule_xlsx(tour)),
        as_attachment=True,
        filename=documents.schedule_filename(tour, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

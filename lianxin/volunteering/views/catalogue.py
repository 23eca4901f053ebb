"""Pages of teams and the catalogue: the public menu, an item, teams and their volunteers."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import EmptyForm, Outcome, form_action, form_submit, object_action
from lianxin.core.public_cache import cached_for_anonymous
from lianxin.core.selectors import event_list_for, page_of
from lianxin.volunteering import permissions
from lianxin.volunteering.forms.catalogue import ItemForm, MemberAddForm, TeamForm
from lianxin.volunteering.models import Team
from lianxin.volunteering.selectors.catalogue import (
    MenuFilters,
    access_item,
    access_team,
    corps_teams,
    menu_areas,
    menu_categories,
    menu_filters,
    menu_items,
    served_areas,
    team_items,
    team_list_visible_to,
    team_volunteer,
    team_volunteers,
)
from lianxin.volunteering.selectors.orders import orders_of_team
from lianxin.volunteering.services import catalogue as services_catalogue

PAGE_SIZE = 30


def menu_filters_from(params: QueryDict) -> MenuFilters:
    return menu_filters(category=params.get("category", ""), area=params.get("area", ""), text=params.get("q", ""))


def menu(request: HttpRequest) -> HttpResponse:
    """The public menu (服务菜单): anyone may read it; it names teams, never people."""

    def body() -> str:
        filters = menu_filters_from(request.GET)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "page": page_of(menu_items(filters=filters), request.GET.get("page"), PAGE_SIZE),
            "filters": filters,
            "categories": menu_categories(),
            "areas": menu_areas(),
            "querystring": query.urlencode(),
            "can_order": permissions.can_place_order(request.user),
        }
        return render_to_string("volunteering/menu.html#menu_body", context, request)

    return render(request, "volunteering/menu.html", {"menu_body": cached_for_anonymous(request, "menu", body)})


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_item(request.user, pk)
    return render(
        request,
        "volunteering/item_detail.html",
        {
            "item": item,
            "areas": served_areas(item),
            "can_order": permissions.can_place_order(request.user) and item.is_active,
            "can_edit": permissions.can_lead_or_manage(request.user, item.team),
        },
    )


@login_required
def team_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:50]
    page = page_of(team_list_visible_to(user=request.user, text=text), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "volunteering/team_list.html",
        {
            "page": page,
            "text": text,
            "querystring": urlencode({"q": text}),
            "can_create": permissions.can_create_team(request.user),
        },
    )


def _team_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "kind": data["kind"],
        "leader": data["leader"],
        "corps": data["corps"],
        "description": data["description"],
        "areas": data["areas"],
        "categories": data["categories"],
    }


@login_required
def team_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_team(request.user):
        raise Http404
    form = TeamForm(request.POST or None, user=request.user)
    team = form_submit(
        form,
        lambda data: services_catalogue.team_create(
            actor=request.user, organization=data["organization"], **_team_values(data)
        ),
    )
    if team:
        messages.success(request, _("The team was set up."))
        return redirect("volunteering:team_detail", pk=team.pk)
    return render(request, "volunteering/team_form.html", {"form": form, "team": None})


@login_required
def team_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk)
    if not permissions.can_manage_team(request.user, team):
        raise Http404
    initial = {
        "name": team.name,
        "kind": team.kind,
        "corps": team.corps,
        "leader": team.leader.username if team.leader else "",
        "description": team.description,
        "areas": list(team.areas.all()),
        "categories": list(team.categories.all()),
        "is_active": team.is_active,
    }
    form = TeamForm(request.POST or None, user=request.user, editing=True, initial=initial)
    saved = form_submit(
        form,
        lambda data: services_catalogue.team_update(
            team=team, actor=request.user, is_active=data["is_active"], **_team_values(data)
        ),
    )
    if saved:
        messages.success(request, _("Saved."))
        return redirect("volunteering:team_detail", pk=team.pk)
    return render(request, "volunteering/team_form.html", {"form": form, "team": team})


@login_required
def team_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk)
    user = request.user
    manager = permissions.can_manage_team(user, team)
    lead_or_manage = manager or permissions.is_team_leader(user, team)
    return render(
        request,
        "volunteering/team_detail.html",
        {
            "team": team,
            "volunteers": team_volunteers(team),
            "items": team_items(team),
            "member_teams": corps_teams(team),
            "orders": orders_of_team(team.pk) if lead_or_manage else [],
            "events": event_list_for(team)[:30] if lead_or_manage else None,
            "can_manage": manager,
            "can_lead_or_manage": lead_or_manage,
            "member_form": MemberAddForm(),
        },
    )


def _team_back(team: Team) -> str:
    return reverse("volunteering:team_detail", args=[team.pk])


@login_required
@require_POST
def team_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk)

    def run(data: dict[str, Any]) -> Outcome:
        services_catalogue.team_member_add(team=team, actor=request.user, user=data["user"])
        return _("%(name)s joined the team.") % {"name": data["user"]}, None

    return form_action(request, MemberAddForm(request.POST), run, back=_team_back(team))


@login_required
@require_POST
def team_member_remove(request: AuthenticatedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    team = access_team(request.user, pk)
    volunteer = team_volunteer(team, user_pk)

    def run(team: Team, data: dict[str, Any]) -> Outcome:
        services_catalogue.team_member_remove(team=team, actor=request.user, user=volunteer)
        return _("%(name)s left the team.") % {"name": volunteer}, None

    return object_action(request, team, EmptyForm(request.POST), run, back=_team_back(team))


def _item_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "category": data["category"],
        "title": data["title"],
        "description": data["description"],
        "areas": data["areas"],
    }


@login_required
def item_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk)
    if not permissions.can_lead_or_manage(request.user, team):
        raise Http404
    form = ItemForm(request.POST or None)
    del form.fields["is_active"]
    if item := form_submit(
        form, lambda data: services_catalogue.item_create(actor=request.user, team=team, **_item_values(data))
    ):
        messages.success(request, _("The service is on the menu."))
        return redirect("volunteering:item_detail", pk=item.pk)
    return render(request, "volunteering/item_form.html", {"form": form, "team": team, "item": None})


@login_required
def item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access_item(request.user, pk)
    if not permissions.can_lead_or_manage(request.user, item.team):
        raise Http404
    initial = {
        "title": item.title,
        "category": item.category,
        "description": item.description,
        "areas": list(item.areas.all()),
        "is_active": item.is_active,
    }
    form = ItemForm(request.POST or None, initial=initial)
    saved = form_submit(
        form,
        lambda data: services_catalogue.item_update(
            item=item, actor=request.user, is_active=data["is_active"], **_item_values(data)
        ),
    )
    if saved:
        messages.success(request, _("Saved."))
        return redirect("volunteering:item_detail", pk=item.pk)
    return render(request, "volunteering/item_form.html", {"form": form, "team": item.team, "item": item})

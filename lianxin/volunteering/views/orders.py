"""Order pages: place an order, the dispatch inbox, a leader's inbox, one's own orders, each step."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import Outcome, form_submit, object_action
from lianxin.core.params import id_or_none
from lianxin.core.selectors import event_list_for, page_of
from lianxin.core.uploads import photo_response
from lianxin.volunteering import permissions
from lianxin.volunteering.forms.orders import (
    CancelForm,
    DeclineForm,
    DispatchForm,
    NoteForm,
    OrderForm,
    RateForm,
    ServeForm,
)
from lianxin.volunteering.models import Order
from lianxin.volunteering.selectors.catalogue import access_item, team_suggestions, teams_led_by
from lianxin.volunteering.selectors.orders import (
    INBOX_FILTERS,
    access_order,
    access_order_photo,
    order_inbox_for_leader,
    order_inbox_for_owner,
    orders_placed_by,
    orders_served_by_leader,
)
from lianxin.volunteering.services import orders as services_orders
from lianxin.volunteering.views import asks
from lianxin.volunteering.views.confirm import confirm_page, confirmed

PAGE_SIZE = 30


@login_required
def order_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Order a service from the menu: `?item=<pk>`."""
    if not permissions.can_place_order(request.user):
        raise Http404
    item_pk = id_or_none(request.GET.get("item"))
    if item_pk is None:
        raise Http404
    item = access_item(request.user, item_pk)
    form = OrderForm(request.POST or None, item=item, user=request.user)

    def place(data: dict[str, Any]) -> Order:
        return services_orders.order_place(
            actor=request.user,
            item=item,
            area=data["area"],
            place=data["place"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            expected_beneficiaries=data["expected_beneficiaries"],
            note=data["note"],
            ordering_organization=data.get("ordering_organization"),
        )

    if order := form_submit(form, place):
        messages.success(request, _("Your order was sent to %(name)s for dispatch.") % {"name": order.owner})
        return redirect("volunteering:order_detail", pk=order.pk)
    return render(request, "volunteering/order_form.html", {"form": form, "item": item})


@login_required
def order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dispatch inbox of the owning organizations' admins."""
    if roster_scope(request.user).is_empty:
        raise Http404
    status = request.GET.get("status", "")
    if status not in INBOX_FILTERS:
        status = ""
    page = page_of(order_inbox_for_owner(user=request.user, status=status), request.GET.get("page"), PAGE_SIZE)
    tabs = [
        ("", _("To dispatch")),
        ("open", _("In progress")),
        ("done", _("Served")),
        ("cancelled", _("Cancelled")),
        ("all", _("All")),
    ]
    return render(
        request,
        "volunteering/order_list.html",
        {"page": page, "status": status, "tabs": tabs, "querystring": urlencode({"status": status})},
    )


@login_required
def order_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(orders_placed_by(user=request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "volunteering/order_mine.html", {"page": page})


@login_required
def order_team_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A team leader's page: orders to accept or serve, recent services, the teams they lead."""
    teams = list(teams_led_by(user=request.user))
    if not teams:
        raise Http404
    return render(
        request,
        "volunteering/order_team_inbox.html",
        {
            "teams": teams,
            "orders": order_inbox_for_leader(user=request.user),
            "served": orders_served_by_leader(user=request.user),
        },
    )


@login_required
def order_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    user = request.user
    can_dispatch = permissions.can_dispatch(user, order)
    return render(
        request,
        "volunteering/order_detail.html",
        {
            "order": order,
            "photos": order.photos.all(),
            "sessions": order.sessions.order_by("starts_at", "id"),
            "events": event_list_for(order)[:50],
            "can_dispatch": can_dispatch,
            "owner_admin": permissions.is_owner_admin(user, order),
            "suggestions": team_suggestions(order) if can_dispatch else [],
            "dispatch_form": DispatchForm(user=user) if can_dispatch else None,
            "can_accept": permissions.can_accept(user, order),
            "can_serve": permissions.can_serve(user, order),
            "can_rate": permissions.can_rate(user, order),
            "can_cancel": permissions.can_cancel(user, order),
            "note_form": NoteForm(),
            "decline_form": DeclineForm(),
            "cancel_form": CancelForm(),
            "serve_form": ServeForm(),
            "rate_form": RateForm(),
            "session_link": f"/volunteering/sessions/new/?order={order.pk}",
        },
    )


@login_required
def order_photo(request: AuthenticatedHttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of the service, shown only to those who may see the order."""
    order = access_order(request.user, pk)
    photo = access_order_photo(order, photo_pk)
    return photo_response(photo.image, stem=f"order-{order.pk}-photo-{photo.pk}")


@login_required
@require_POST
def order_dispatch(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(order: Order, data: dict[str, Any]) -> Outcome:
        services_orders.order_dispatch(order=order, actor=request.user, team=data["team"], note=data["note"])
        return _("Dispatched to %(name)s.") % {"name": data["team"]}, None

    return object_action(request, access_order(request.user, pk), DispatchForm(request.POST, user=request.user), run)


@login_required
@require_POST
def order_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(order: Order, data: dict[str, Any]) -> Outcome:
        services_orders.order_accept(order=order, actor=request.user, note=data["note"])
        return _("Accepted. Schedule the service when you are ready."), None

    return object_action(request, access_order(request.user, pk), NoteForm(request.POST), run)


@login_required
@require_POST
def order_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    order, form = access_order(request.user, pk), DeclineForm(request.POST)
    if form.is_valid() and permissions.can_decline(request.user, order) and not confirmed(request):
        return confirm_page(request, asks.order_decline(order, form.cleaned_data["reason"]), form)

    def run(order: Order, data: dict[str, Any]) -> Outcome:
        services_orders.order_decline(order=order, actor=request.user, reason=data["reason"])
        return _("Declined; the order went back for another dispatch."), reverse("volunteering:order_team_inbox")

    return object_action(request, order, form, run)


@login_required
@require_POST
def order_serve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(order: Order, data: dict[str, Any]) -> Outcome:
        services_orders.order_serve(
            order=order,
            actor=request.user,
            beneficiaries=data["beneficiaries"],
            service_note=data["service_note"],
            photos=data["photos"],
        )
        return _("The service is recorded. Thank you!"), None

    return object_action(request, access_order(request.user, pk), ServeForm(request.POST, request.FILES), run)


@login_required
@require_POST
def order_rate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(order: Order, data: dict[str, Any]) -> Outcome:
        services_orders.order_rate(order=order, actor=request.user, rating=data["rating"], comment=data["comment"])
        return _("Thank you for rating the service."), None

    return object_action(request, access_order(request.user, pk), RateForm(request.POST), run)


@login_required
@require_POST
def order_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    order, form = access_order(request.user, pk), CancelForm(request.POST)
    if form.is_valid() and permissions.can_cancel(request.user, order) and not confirmed(request):
        return confirm_page(request, asks.order_cancel(order, form.cleaned_data["reason"]), form)

    def run(order: Order, data: dict[str, Any]) -> Outcome:
        services_orders.order_cancel(order=order, actor=request.user, reason=data["reason"])
        return _("The order was cancelled."), None

    return object_action(request, order, form, run)

"""The menu and orders through the API: the public menu (no login), one's orders, placing and rating."""

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import Count, Id, SaneDate
from lianxin.organizations.selectors import area_by_code, organization_by_code
from lianxin.volunteering.api.router import router
from lianxin.volunteering.models import Order, ServiceItem
from lianxin.volunteering.selectors.catalogue import menu_filters, menu_items, visible_item
from lianxin.volunteering.selectors.orders import (
    access_order,
    order_inbox_for_leader,
    order_inbox_for_owner,
    orders_placed_by,
)
from lianxin.volunteering.services.orders import order_place, order_rate


class MenuItemOut(Schema):
    id: int
    title: str
    description: str
    category_code: str = Field(..., alias="category.code")
    category: str = Field(..., alias="category.name")
    team: str = Field(..., alias="team.name")
    team_kind: str = Field(..., alias="team.kind")
    organization: str = Field(..., alias="team.organization.name")


class MenuQuery(Schema):
    category: str | None = Field(None, description="category code: it and its sub-kinds")
    area: str | None = Field(None, description="area code: that area or any area below it")
    q: str | None = Field(None, description="words in the title, description or team name")


class OrderOut(Schema):
    """An order as its orderer, owner admins and team leader see it; no personal data."""

    id: int
    item_id: int
    item: str = Field(..., alias="item.title")
    status: str
    owner: str = Field(..., alias="owner.name")
    team: str | None = Field(None, alias="team.name")
    area_code: str = Field(..., alias="area.code")
    place: str
    starts_on: date
    ends_on: date
    expected_beneficiaries: int
    note: str
    beneficiaries: int | None
    rating: int | None
    rating_comment: str
    created_at: datetime
    served_at: datetime | None


class OrderIn(Schema):
    item_id: Id
    area_code: str
    place: str
    starts_on: SaneDate
    ends_on: SaneDate
    expected_beneficiaries: Count
    note: str = ""
    ordering_organization_code: str | None = Field(None, description="order for an organization you administer")


class OrdersQuery(Schema):
    role: str = Field("mine", description="mine: placed by me; dispatch: to dispatch; team: my teams' inbox")


class RateIn(Schema):
    rating: Count = Field(..., description="1 to 5")
    comment: str = ""


@router.get("/menu", response=list[MenuItemOut], auth=None)
@paginate(PageNumberPagination, page_size=50)
def menu(request: HttpRequest, query: Query[MenuQuery]) -> QuerySet[ServiceItem]:
    filters = menu_filters(category=query.category or "", area=query.area or "", text=query.q or "")
    return menu_items(filters=filters).select_related("team__organization")


@router.get("/orders", response=list[OrderOut])
@paginate(PageNumberPagination, page_size=50)
def list_orders(request: AuthenticatedHttpRequest, query: Query[OrdersQuery]) -> QuerySet[Order]:
    if query.role == "dispatch":
        return order_inbox_for_owner(user=request.user, status="open")
    if query.role == "team":
        return order_inbox_for_leader(user=request.user)
    return orders_placed_by(user=request.user)


@router.get("/orders/{int:pk}", response=OrderOut)
def order_detail(request: AuthenticatedHttpRequest, pk: int) -> Order:
    return access_order(request.user, pk)


def _unknown(message: str, value: object) -> HttpError:
    """A code or id that names nothing the caller may see: 400, nothing written."""
    return HttpError(400, message % {"value": value})


@router.post("/orders", response={201: OrderOut})
def place_order(request: AuthenticatedHttpRequest, payload: OrderIn) -> Status[Order]:
    """Order a service from the menu; the service's refusals answer 422 with their message."""
    item = visible_item(request.user, payload.item_id)
    if item is None:
        raise _unknown(_("Unknown service %(value)s."), payload.item_id)
    area = area_by_code(payload.area_code)
    if area is None:
        raise _unknown(_("Unknown area code %(value)s."), payload.area_code)
    organization = None
    if payload.ordering_organization_code:
        organization = organization_by_code(user=request.user, code=payload.ordering_organization_code)
        if organization is None:
            raise _unknown(_("Unknown organization code %(value)s."), payload.ordering_organization_code)
    order = order_place(
        actor=request.user,
        item=item,
        area=area,
        place=payload.place,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        expected_beneficiaries=payload.expected_beneficiaries,
        note=payload.note,
        ordering_organization=organization,
    )
    return Status(201, access_order(request.user, order.pk))


@router.post("/orders/{int:pk}/rate", response=OrderOut)
def rate_order(request: AuthenticatedHttpRequest, pk: int, payload: RateIn) -> Order:
    """Rate a served order 1 to 5: 422 for a rating out of range, 409 when it was already rated."""
    order_rate(order=access_order(request.user, pk), actor=request.user, rating=payload.rating, comment=payload.comment)
    return access_order(request.user, pk)

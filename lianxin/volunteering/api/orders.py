"""The menu and orders through the API: the public menu (no login), one's orders, placing and rating."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from lianxin.core.api_errors import ErrorOut
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import Count, Id, SaneDate
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import Order, ServiceItem
from lianxin.volunteering.selectors.catalogue import menu_items
from lianxin.volunteering.selectors.orders import (
    access_order,
    order_inbox_for_leader,
    order_inbox_for_owner,
    orders_placed_by,
)
from lianxin.volunteering.services.orders import order_place, order_rate
from lianxin.volunteering.views.catalogue import menu_filters_from

router = Router(tags=["volunteering"])


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
def menu(request: HttpRequest, query: Query[MenuQuery]) -> object:
    params = QueryDict(mutable=True)
    params.update({k: v for k, v in query.dict().items() if v})
    return menu_items(filters=menu_filters_from(params)).select_related("team__organization")


@router.get("/orders", response=list[OrderOut])
@paginate(PageNumberPagination, page_size=50)
def list_orders(request: HttpRequest, query: Query[OrdersQuery]) -> object:
    if query.role == "dispatch":
        return order_inbox_for_owner(user=request.user, status="open")
    if query.role == "team":
        return order_inbox_for_leader(user=request.user)
    return orders_placed_by(user=request.user)


@router.get("/orders/{int:pk}", response=OrderOut)
def order_detail(request: HttpRequest, pk: int) -> Order:
    return access_order(request.user, pk)


def _bad(message: str) -> HttpError:
    return HttpError(400, message)


@router.post("/orders", response={201: OrderOut, 400: ErrorOut})
def place_order(request: HttpRequest, payload: OrderIn) -> Status:
    item = ServiceItem.objects.select_related("team", "category").filter(pk=payload.item_id).first()
    if item is None:
        raise _bad(_("Unknown service %(value)s.") % {"value": payload.item_id})
    area = Area.objects.filter(code=payload.area_code).first()
    if area is None:
        raise _bad(_("Unknown area code %(value)s.") % {"value": payload.area_code})
    organization = None
    if payload.ordering_organization_code:
        organization = Organization.objects.filter(code=payload.ordering_organization_code).first()
        if organization is None:
            raise _bad(_("Unknown organization code %(value)s.") % {"value": payload.ordering_organization_code})
    try:
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
    except ValidationError as exc:
        raise _bad(" ".join(exc.messages)) from exc
    return Status(201, access_order(request.user, order.pk))


@router.post("/orders/{int:pk}/rate", response={200: OrderOut, 400: ErrorOut})
def rate_order(request: HttpRequest, pk: int, payload: RateIn) -> Order:
    order = access_order(request.user, pk)
    try:
        order_rate(order=order, actor=request.user, rating=payload.rating, comment=payload.comment)
    except ValidationError as exc:
        raise _bad(" ".join(exc.messages)) from exc
    return access_order(request.user, pk)

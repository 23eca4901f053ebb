"""Wishes through the API: the public wall (masked, no login) and claiming (logged in)."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from lianxin.core.api_pagination import PageNumberPagination
from lianxin.wishes.selectors import access_wish, wish_wall
from lianxin.wishes.services import wish_claim
from lianxin.wishes.views import wall_filters_from

router = Router(tags=["wishes"])


class WishOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    category: str
    status: str
    beneficiary: str = Field(..., alias="beneficiary_masked", description="masked: 王**")
    amount: Decimal | None
    capacity: int
    participants: int = Field(..., alias="claimed_count")
    organization_code: str = Field(..., alias="organization.code")
    organization_name: str = Field(..., alias="organization.name")
    area: str = Field(..., alias="organization.area.name")
    published_at: datetime | None


class WallQuery(Schema):
    category: str | None = None
    kind: str | None = None
    area: str | None = Field(None, description="area code: it and everything under it")
    org: str | None = Field(None, description="organization code: it and its subtree")
    status: str | None = Field(None, description="empty: open wishes; posted, claimed or fulfilled")


class ClaimIn(Schema):
    note: str = ""


class ClaimOut(Schema):
    id: int
    wish_id: int
    status: str = Field(..., alias="wish.status")


@router.get("", response=list[WishOut], auth=None)
@paginate(PageNumberPagination, page_size=50)
def list_wishes(request: HttpRequest, query: Query[WallQuery]) -> object:
    params = QueryDict(mutable=True)
    params.update({k: v for k, v in query.dict().items() if v})
    return wish_wall(filters=wall_filters_from(params))


@router.post("/{int:pk}/claim", response={201: ClaimOut})
def claim_wish(request: HttpRequest, pk: int, payload: ClaimIn) -> Status:
    wish = access_wish(request.user, pk)
    try:
        claim = wish_claim(wish=wish, actor=request.user, note=payload.note)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(201, claim)

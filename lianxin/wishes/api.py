"""Wishes through the API: the public wall (masked, no login) and claiming (logged in).

A refused claim answers 422 with the service's message and code, or 409 when the wish was
taken first or the claimer already holds it (lianxin.core.api_errors).
"""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_errors import conflict_codes
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.wishes.models import WishClaim
from lianxin.wishes.selectors import access_wish, wall_filters_from, wish_wall
from lianxin.wishes.services import wish_claim

router = Router(tags=["wishes"])

conflict_codes("conflict", "already_claimed", "not_open")


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
    return wish_wall(filters=wall_filters_from({k: v for k, v in query.dict().items() if v}))


@router.post("/{int:pk}/claim", response={201: ClaimOut})
def claim_wish(request: AuthenticatedHttpRequest, pk: int, payload: ClaimIn) -> Status[WishClaim]:
    wish = access_wish(request.user, pk)
    return Status(201, wish_claim(wish=wish, actor=request.user, note=payload.note))

"""The roster through the API: masked personal numbers, scoped like the pages."""

from datetime import date

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from lianxin.accounts.permissions import can_manage_roster
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_pagination import KeysetPagination
from lianxin.members.api.router import router
from lianxin.members.models import Member
from lianxin.members.selectors.filters import member_filters_from_params
from lianxin.members.selectors.roster import LIST_KEY, access_member, member_list_filtered


class MemberOut(Schema):
    id: int
    name: str
    sex: str
    id_number: str = Field(..., alias="id_number_masked", description="masked: 3309**********123X")
    mobile: str = Field(..., alias="mobile_masked", description="masked: 139****5678")
    birth_date: date
    ethnicity: str
    education: str
    occupation: str = Field(..., description="职业/身份, a code of Member.Occupation; empty when not recorded")
    category: str
    leave_reason: str
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    joined_on: date | None
    full_on: date | None
    left_on: date | None
    organization_code: str = Field(..., alias="organization.code")
    organization_name: str = Field(..., alias="organization.name")
    work_unit: str
    post: str
    is_mobile: bool
    is_abroad: bool
    is_lost_contact: bool
    is_at_sea: bool
    party_age: int | None

    @staticmethod
    def resolve_party_age(obj: Member) -> int | None:
        return obj.party_age(timezone.localdate())


class MemberQuery(Schema):
    org: str | None = Field(None, description="organization code: it and its subtree")
    category: str | None = Field(None, description="a category, 'party' (probationary and full) or 'all'")
    sector: str | None = None
    flag: str | None = Field(None, description="is_mobile, is_abroad, is_lost_contact or is_at_sea")
    warning: str | None = Field(None, description="probation_overdue or lost_contact")
    q: str | None = Field(None, description="part of the name")


@router.get("", response=list[MemberOut])
@paginate(KeysetPagination, keys=LIST_KEY)
def list_members(request: AuthenticatedHttpRequest, query: Query[MemberQuery]) -> object:
    if not can_manage_roster(request.user):
        raise Http404
    params = {k: v for k, v in query.dict().items() if v is not None}
    filters, _form = member_filters_from_params(user=request.user, params=params)
    return member_list_filtered(user=request.user, filters=filters, today=timezone.localdate())


@router.get("/{int:pk}", response=MemberOut)
def get_member(request: AuthenticatedHttpRequest, pk: int) -> Member:
    return access_member(request.user, pk)

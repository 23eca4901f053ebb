"""Organizations, areas and service centres, scoped to the caller like the pages."""

from datetime import date
from typing import Annotated

from django.db.models import Q, QuerySet
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.organizations.models import Area, Organization, ServiceCenter
from lianxin.organizations.selectors import (
    access_organization,
    area_list,
    area_parent,
    member_counts,
    organization_by_code,
    organization_list_visible_to,
    service_center_list_visible_to,
)

router = Router(tags=["organizations"])


class AreaOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    depth: int
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj: Area) -> str | None:
        parent = area_parent(obj)
        return parent.code if parent else None


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    sector: str
    status: str
    depth: int
    path: str
    area: str = Field(..., alias="area.name")
    contact_phone: str
    founded_on: date | None
    term_ends_on: date | None
    child_count: int = Field(..., alias="numchild")


class OrganizationDetailOut(OrganizationOut):
    members_direct: int
    members_total: int


class OrganizationFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup(["name__icontains", "short_name__icontains", "code__iexact"])] = None
    kind: Organization.Kind | None = None
    sector: Organization.Sector | None = None
    include_closed: bool = False

    def filter_include_closed(self, value: bool) -> Q:
        return Q() if value else Q(status=Organization.Status.ACTIVE)


class ServiceCenterOut(Schema):
    id: int
    name: str
    kind: str
    area: str = Field(..., alias="area.name")
    address: str
    opening_hours: str
    organization_code: str = Field(..., alias="organization.code")


@router.get("/organizations", response=list[OrganizationOut])
@paginate(PageNumberPagination, page_size=50)
def list_organizations(
    request: AuthenticatedHttpRequest,
    filters: Query[OrganizationFilter],
    under: Annotated[str | None, Query(description="code of an organization: only it and its subtree")] = None,
) -> QuerySet[Organization]:
    qs = organization_list_visible_to(user=request.user, include_closed=True).order_by("path")
    if under:
        # The list is already the viewer's; the node named only bounds it, so any code may name it.
        node = organization_by_code(user=None, code=under)
        qs = qs.filter(path__startswith=node.path) if node else qs.none()
    return filters.filter(qs)


@router.get("/organizations/{int:pk}", response=OrganizationDetailOut)
def get_organization(request: AuthenticatedHttpRequest, pk: int) -> Organization:
    org = access_organization(request.user, pk)
    counts = member_counts(nodes=[org])[org.pk]
    org.members_direct = counts.direct
    org.members_total = counts.subtree
    return org


@router.get("/areas", response=list[AreaOut])
@paginate(PageNumberPagination, page_size=100)
def list_areas(request: AuthenticatedHttpRequest, kind: Area.Kind | None = None) -> QuerySet[Area]:
    qs = area_list()
    return qs.filter(kind=kind) if kind else qs


@router.get("/service-centers", response=list[ServiceCenterOut])
@paginate(PageNumberPagination, page_size=50)
def list_service_centers(request: AuthenticatedHttpRequest) -> QuerySet[ServiceCenter]:
    return service_center_list_visible_to(user=request.user).order_by("name")

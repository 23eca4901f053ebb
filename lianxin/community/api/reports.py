"""Reports, posts, claims and service records through the API: the same services and scopes as the pages.

Registered by importing this module in lianxin/community/api/__init__.py, which also names the
refusals that answer 409. Lists come a page at a time with the count of all, like the other API lists.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.community.api.router import router
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.community.selectors.reports import (
    access_claim,
    access_post,
    access_report,
    active_report_of,
    claim_list_of,
    open_posts_for,
    post_list_managed,
    record_list_managed,
    record_list_of,
    report_list_of,
    report_queue,
)
from lianxin.community.services import reports as services
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import Count, Id

PAGE_SIZE = 50


class ReportOut(Schema):
    id: int
    member: str = Field(..., alias="member.name")
    community_code: str = Field(..., alias="community.code")
    community_name: str = Field(..., alias="community.name")
    home_organization_code: str = Field(..., alias="home_organization.code")
    status: str
    reported_on: date
    decided_at: datetime | None
    reject_reason: str
    ended_on: date | None


class ReportIn(Schema):
    community_code: str
    note: str = ""


class DecisionIn(Schema):
    approve: bool
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


class PostOut(Schema):
    id: int
    community_code: str = Field(..., alias="community.code")
    title: str
    category: str
    description: str
    capacity: int
    taken: int = Field(0, description="active claims")
    is_open: bool


class PostIn(Schema):
    community_code: str
    title: str
    category: str
    capacity: Count = 1
    description: str = ""


class ClaimOut(Schema):
    id: int
    post_id: int
    post_title: str = Field(..., alias="post.title")
    claimed_at: datetime
    withdrawn_at: datetime | None


class RecordOut(Schema):
    id: int
    member: str = Field(..., alias="member.name")
    community_code: str = Field(..., alias="community.code")
    claim_id: int | None
    served_on: date
    hours: Decimal
    description: str
    has_photo: bool

    @staticmethod
    def resolve_has_photo(obj: ServiceRecord) -> bool:
        return bool(obj.photo)


class RecordIn(Schema):
    served_on: date
    hours: Decimal
    description: str
    claim_id: Id | None = None


class ListQuery(Schema):
    managed: bool = Field(False, description="true: the communities in the caller's scope; false: the caller's own")


# ------------------------------------------------------------------------- reports


@router.get("/reports", response=list[ReportOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_reports(request: AuthenticatedHttpRequest, query: Query[ListQuery]) -> object:
    if query.managed:
        return report_queue(user=request.user)
    return report_list_of(user=request.user)


@router.post("/reports", response={201: ReportOut})
def create_report(request: AuthenticatedHttpRequest, payload: ReportIn) -> Status[CommunityReport]:
    community = services.community_by_code(payload.community_code)
    report = services.report_create(actor=request.user, community=community, note=payload.note)
    return Status(201, report)


@router.post("/reports/{int:pk}/decision", response=ReportOut)
def decide_report(request: AuthenticatedHttpRequest, pk: int, payload: DecisionIn) -> CommunityReport:
    report = access_report(request.user, pk)
    return services.report_decide(report=report, actor=request.user, approve=payload.approve, reason=payload.reason)


@router.post("/reports/{int:pk}/end", response=ReportOut)
def end_report(request: AuthenticatedHttpRequest, pk: int, payload: NoteIn) -> CommunityReport:
    report = access_report(request.user, pk)
    return services.report_end(report=report, actor=request.user, note=payload.note)


# --------------------------------------------------------------------------- posts


@router.get("/posts", response=list[PostOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_posts(request: AuthenticatedHttpRequest, query: Query[ListQuery]) -> object:
    """Managed: the posts of the caller's communities; otherwise the open posts where the caller reported."""
    if query.managed:
        return post_list_managed(user=request.user)
    return open_posts_for(user=request.user)


@router.post("/posts", response={201: PostOut})
def create_post(request: AuthenticatedHttpRequest, payload: PostIn) -> Status[ServicePost]:
    if roster_scope(request.user).is_empty:
        raise Http404
    community = services.community_by_code(payload.community_code)
    post = services.post_create(
        actor=request.user,
        community=community,
        title=payload.title,
        category=payload.category,
        capacity=payload.capacity,
        description=payload.description,
    )
    return Status(201, post)


@router.post("/posts/{int:pk}/close", response=PostOut)
def close_post(request: AuthenticatedHttpRequest, pk: int, payload: NoteIn) -> ServicePost:
    post = access_post(request.user, pk)
    return services.post_close(post=post, actor=request.user, note=payload.note)


@router.post("/posts/{int:pk}/claim", response={201: ClaimOut})
def claim_post(request: AuthenticatedHttpRequest, pk: int) -> Status[PostClaim]:
    post = access_post(request.user, pk)
    claim = services.post_claim(post=post, actor=request.user)
    return Status(201, claim)


@router.get("/claims", response=list[ClaimOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_claims(request: AuthenticatedHttpRequest) -> object:
    return claim_list_of(user=request.user)


@router.post("/claims/{int:pk}/withdraw", response=ClaimOut)
def withdraw_claim(request: AuthenticatedHttpRequest, pk: int, payload: NoteIn) -> PostClaim:
    claim = access_claim(request.user, pk)
    return services.claim_withdraw(claim=claim, actor=request.user, note=payload.note)


# ------------------------------------------------------------------------- records


@router.get("/records", response=list[RecordOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_records(request: AuthenticatedHttpRequest, query: Query[ListQuery]) -> object:
    if query.managed:
        return record_list_managed(user=request.user)
    return record_list_of(user=request.user)


@router.post("/records", response={201: RecordOut})
def create_record(request: AuthenticatedHttpRequest, payload: RecordIn) -> Status[ServiceRecord]:
    """A record in the community the caller reported to (photos are uploaded on the page)."""
    report = active_report_of(user=request.user)
    if report is None:
        raise ValidationError(_("Record service only in a community that approved your report."), code="not_reported")
    claim = access_claim(request.user, payload.claim_id) if payload.claim_id else None
    record = services.record_create(
        actor=request.user,
        community=report.community,
        claim=claim,
        served_on=payload.served_on,
        hours=payload.hours,
        description=payload.description,
    )
    return Status(201, record)

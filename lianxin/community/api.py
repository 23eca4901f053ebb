"""Community reporting through the API: the same services and scopes as the pages.

A refused action answers 400 with the service's message, or 409 when someone else got
there first (a full post, a report changed meanwhile); the service's reason is the error's
code. Lists come a page at a time with the count of all, like the other API lists.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from lianxin.accounts.permissions import roster_scope
from lianxin.community import permissions, services
from lianxin.community.feedback import access_feedback_organization, feedback_build, parse_quarter
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.community.selectors import (
    access_claim,
    access_post,
    access_report,
    claim_list_of,
    open_posts_of,
    post_list_managed,
    record_list_managed,
    record_list_of,
    report_list_of,
    report_queue,
)
from lianxin.core.api_errors import ApiError
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import Count, Id

router = Router(tags=["community"])

PAGE_SIZE = 50

CONFLICTS = {"conflict", "full", "closed", "already_claimed", "already_reported", "withdrawn"}


def _refuse(exc: ValidationError) -> NoReturn:
    code = getattr(exc, "code", None)
    raise ApiError(409 if code in CONFLICTS else 400, " ".join(exc.messages), code=code) from exc


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


class FeedbackRowOut(Schema):
    member: str
    organization_code: str
    community_code: str
    community_name: str
    status: str
    reported_on: date
    ended_on: date | None
    posts: list[str]
    records: int
    hours: Decimal


class FeedbackOut(Schema):
    organization_code: str
    quarter: str
    members: int
    approved: int
    posts: int
    records: int
    hours: Decimal
    rows: list[FeedbackRowOut]


# ------------------------------------------------------------------------- reports


@router.get("/reports", response=list[ReportOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_reports(request: HttpRequest, query: Query[ListQuery]) -> object:
    if query.managed:
        return report_queue(user=request.user)
    return report_list_of(user=request.user)


@router.post("/reports", response={201: ReportOut})
def create_report(request: HttpRequest, payload: ReportIn) -> Status:
    try:
        community = services.community_by_code(payload.community_code)
        report = services.report_create(actor=request.user, community=community, note=payload.note)
    except ValidationError as exc:
        _refuse(exc)
    return Status(201, report)


@router.post("/reports/{int:pk}/decision", response=ReportOut)
def decide_report(request: HttpRequest, pk: int, payload: DecisionIn) -> CommunityReport:
    report = access_report(request.user, pk)
    try:
        return services.report_decide(report=report, actor=request.user, approve=payload.approve, reason=payload.reason)
    except ValidationError as exc:
        _refuse(exc)


@router.post("/reports/{int:pk}/end", response=ReportOut)
def end_report(request: HttpRequest, pk: int, payload: NoteIn) -> CommunityReport:
    report = access_report(request.user, pk)
    try:
        return services.report_end(report=report, actor=request.user, note=payload.note)
    except ValidationError as exc:
        _refuse(exc)


# --------------------------------------------------------------------------- posts


@router.get("/posts", response=list[PostOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_posts(request: HttpRequest, query: Query[ListQuery]) -> object:
    """Managed: the posts of the caller's communities; otherwise the open posts where the caller reported."""
    if query.managed:
        return post_list_managed(user=request.user)
    member = permissions.member_of(request.user)
    report = (
        CommunityReport.objects.filter(member=member, status=CommunityReport.Status.APPROVED).first()
        if member
        else None
    )
    return open_posts_of(report.community) if report else ServicePost.objects.none()


@router.post("/posts", response={201: PostOut})
def create_post(request: HttpRequest, payload: PostIn) -> Status:
    if roster_scope(request.user).is_empty:
        raise Http404
    try:
        community = services.community_by_code(payload.community_code)
        post = services.post_create(
            actor=request.user,
            community=community,
            title=payload.title,
            category=payload.category,
            capacity=payload.capacity,
            description=payload.description,
        )
    except ValidationError as exc:
        _refuse(exc)
    return Status(201, post)


@router.post("/posts/{int:pk}/close", response=PostOut)
def close_post(request: HttpRequest, pk: int, payload: NoteIn) -> ServicePost:
    post = access_post(request.user, pk)
    try:
        return services.post_close(post=post, actor=request.user, note=payload.note)
    except ValidationError as exc:
        _refuse(exc)


@router.post("/posts/{int:pk}/claim", response={201: ClaimOut})
def claim_post(request: HttpRequest, pk: int) -> Status:
    post = access_post(request.user, pk)
    try:
        claim = services.post_claim(post=post, actor=request.user)
    except ValidationError as exc:
        _refuse(exc)
    return Status(201, claim)


@router.get("/claims", response=list[ClaimOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_claims(request: HttpRequest) -> object:
    return claim_list_of(user=request.user)


@router.post("/claims/{int:pk}/withdraw", response=ClaimOut)
def withdraw_claim(request: HttpRequest, pk: int, payload: NoteIn) -> PostClaim:
    claim = access_claim(request.user, pk)
    try:
        return services.claim_withdraw(claim=claim, actor=request.user, note=payload.note)
    except ValidationError as exc:
        _refuse(exc)


# ------------------------------------------------------------------------- records


@router.get("/records", response=list[RecordOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_records(request: HttpRequest, query: Query[ListQuery]) -> object:
    if query.managed:
        return record_list_managed(user=request.user)
    return record_list_of(user=request.user)


@router.post("/records", response={201: RecordOut})
def create_record(request: HttpRequest, payload: RecordIn) -> Status:
    """A record in the community the caller reported to (photos are uploaded on the page)."""
    member = permissions.member_of(request.user)
    report = (
        CommunityReport.objects.filter(member=member, status__in=CommunityReport.ACTIVE_STATUSES)
        .select_related("community")
        .first()
        if member
        else None
    )
    try:
        if report is None:
            raise ValidationError(
                _("Record service only in a community that approved your report."), code="not_reported"
            )
        claim = access_claim(request.user, payload.claim_id) if payload.claim_id else None
        record = services.record_create(
            actor=request.user,
            community=report.community,
            claim=claim,
            served_on=payload.served_on,
            hours=payload.hours,
            description=payload.description,
        )
    except ValidationError as exc:
        _refuse(exc)
    return Status(201, record)


# ------------------------------------------------------------------------ feedback


@router.get("/feedback", response=FeedbackOut)
def feedback(request: HttpRequest, org: str, quarter: str) -> FeedbackOut:
    """The quarterly feedback on an organization's members (its subtree), for admins whose scope holds it."""
    organization = access_feedback_organization(request.user, org)
    try:
        period = parse_quarter(quarter)
    except ValidationError as exc:
        _refuse(exc)
    result = feedback_build(organization=organization, quarter=period)
    return FeedbackOut(
        organization_code=organization.code,
        quarter=period.code,
        members=result.members,
        approved=result.approved,
        posts=result.posts,
        records=result.records,
        hours=result.hours,
        rows=[
            FeedbackRowOut(
                member=row.report.member.name,
                organization_code=row.report.home_organization.code,
                community_code=row.report.community.code,
                community_name=row.report.community.name,
                status=row.report.status,
                reported_on=row.report.reported_on,
                ended_on=row.report.ended_on,
                posts=row.posts,
                records=row.records,
                hours=row.hours,
            )
            for row in result.rows
        ],
    )

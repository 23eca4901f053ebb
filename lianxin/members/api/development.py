"""Member development through the API: the pipeline with what blocks each person, a
person's steps, recording a step, a political review, the talk with an applicant, an
activist's review or an extended probation, and political birthdays.
Routes join the members router (/api/v1/members/development/...)."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from lianxin.accounts.permissions import can_manage_roster
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import Count, SaneDate
from lianxin.core.selectors import page_of
from lianxin.members.api.router import router
from lianxin.members.models import Member
from lianxin.members.models.development import (
    ActivistReview,
    ApplicationTalk,
    DevelopmentStep,
    PoliticalReview,
    ProbationExtension,
)
from lianxin.members.rules.development import (
    blocking_reasons,
    development_warnings,
    extension_of,
    talk_of,
    training_hours,
)
from lianxin.members.rules.roster import probation_ends_on
from lianxin.members.selectors import development as sel
from lianxin.members.selectors.roster import access_managed_member
from lianxin.members.services.development import (
    activist_review_record,
    application_talk_record,
    development_advance,
    political_review_record,
    probation_extend,
)


class PipelineQuery(Schema):
    org: str | None = Field(None, description="organization code: it and its subtree")
    page: int = 1


class PipelineRowOut(Schema):
    id: int
    name: str
    category: str
    organization_code: str
    since: date | None
    next_step: str
    blocks: list[str] = Field(..., description="hard rules that would block the next step today, with their article")
    warnings: list[str] = Field(..., description="local-practice reminders: talk overdue, half-yearly review due")


class PipelineOut(Schema):
    count: int
    items: list[PipelineRowOut]


class StepOut(Schema):
    id: int
    from_category: str
    to_category: str
    on: date
    talker: str
    contacts: str
    sponsors: str
    publicity_from: date | None
    publicity_to: date | None
    votes_for: int | None
    voters_entitled: int | None
    approved_by: str
    approved_on: date | None
    note: str
    warnings: list[str]


class ReviewOut(Schema):
    id: int
    result: str
    reviewed_on: date
    reviewer: str
    note: str


class TalkOut(Schema):
    talked_on: date
    talker: str
    note: str
    warnings: list[str]


class ActivistReviewOut(Schema):
    id: int
    reviewed_on: date
    reviewer: str
    note: str


class ExtensionOut(Schema):
    decided_on: date
    months: int
    reason: str
    approved_by: str
    approved_on: date


class PersonOut(Schema):
    id: int
    name: str
    category: str
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    joined_on: date | None
    full_on: date | None
    probation_ends_on: date | None = Field(..., description="expected full membership, moved by an extension")
    training_hours: Decimal
    blocks: list[str]
    warnings: list[str]
    steps: list[StepOut]
    reviews: list[ReviewOut]
    talk: TalkOut | None
    activist_reviews: list[ActivistReviewOut]
    probation_extension: ExtensionOut | None


class AdvanceIn(Schema):
    to: str = Field(..., description="the next category: activist, candidate, probationary or full")
    on: SaneDate
    talker: str = ""
    contacts: str = ""
    sponsors: str = ""
    publicity_from: SaneDate | None = None
    publicity_to: SaneDate | None = None
    votes_for: Count | None = Field(None, description="admission: votes in favour at the branch congress")
    voters_entitled: Count | None = Field(None, description="admission: full members entitled to vote")
    approved_by: str = Field("", description="admission and full membership: the approving Party committee")
    approved_on: SaneDate | None = None
    note: str = ""


class ReviewIn(Schema):
    result: str = Field(..., description="passed or failed, as the organization concluded")
    reviewed_on: SaneDate
    reviewer: str
    note: str = ""


class TalkIn(Schema):
    talked_on: SaneDate
    talker: str
    note: str = ""


class ActivistReviewIn(Schema):
    reviewed_on: SaneDate
    reviewer: str
    note: str = ""


class ExtensionIn(Schema):
    decided_on: SaneDate = Field(..., description="the branch congress decision")
    months: Count = Field(..., description="6 to 12 whole months; once only (党章 第7条)")
    reason: str
    approved_by: str = Field(..., description="the approving Party committee above")
    approved_on: SaneDate


class BirthdayOut(Schema):
    id: int
    name: str
    organization_code: str = Field(..., alias="organization.code")
    joined_on: date


def _require_roster(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_roster(request.user):
        raise Http404


@router.get("/development/pipeline", response=PipelineOut)
def development_pipeline(request: AuthenticatedHttpRequest, query: Query[PipelineQuery]) -> dict[str, object]:
    """A page of 50; `blocks` are computed for the rows on the page only."""
    _require_roster(request)
    organization = sel.organization_in_scope(user=request.user, code=(query.org or "").strip())
    page = page_of(sel.pipeline_members(user=request.user, organization=organization), query.page, 50)
    items = [
        {
            "id": row.member.pk,
            "name": row.member.name,
            "category": row.member.category,
            "organization_code": row.member.organization.code,
            "since": row.since,
            "next_step": row.next_step,
            "blocks": row.blocks,
            "warnings": row.warnings,
        }
        for row in sel.pipeline_rows(page, timezone.localdate())
    ]
    return {"count": page.paginator.count, "items": items}


def _person(member: Member) -> dict[str, object]:
    return {
        "id": member.pk,
        "name": member.name,
        "category": member.category,
        "applied_on": member.applied_on,
        "activist_on": member.activist_on,
        "candidate_on": member.candidate_on,
        "joined_on": member.joined_on,
        "full_on": member.full_on,
        "probation_ends_on": probation_ends_on(member),
        "training_hours": training_hours(member),
        "blocks": blocking_reasons(member, timezone.localdate()),
        "warnings": development_warnings(member, timezone.localdate()),
        "steps": list(sel.steps_of(member)),
        "reviews": list(sel.political_reviews_of(member)),
        "talk": talk_of(member),
        "activist_reviews": list(sel.activist_reviews_of(member)),
        "probation_extension": extension_of(member),
    }


@router.get("/development/{int:pk}", response=PersonOut)
def development_person(request: AuthenticatedHttpRequest, pk: int) -> dict[str, object]:
    return _person(access_managed_member(request.user, pk))


# Each write records on a member the caller manages: 201 with the record; a service's refusal
# answers through the API's one error handler (422 with the rule's message, 409 for a conflict).


@router.post("/development/{int:pk}/advance", response={201: StepOut})
def development_step(request: AuthenticatedHttpRequest, pk: int, payload: AdvanceIn) -> Status[DevelopmentStep]:
    member = access_managed_member(request.user, pk)
    return Status(201, development_advance(member=member, actor=request.user, **payload.dict()))


@router.post("/development/{int:pk}/reviews", response={201: ReviewOut})
def development_review(request: AuthenticatedHttpRequest, pk: int, payload: ReviewIn) -> Status[PoliticalReview]:
    member = access_managed_member(request.user, pk)
    return Status(201, political_review_record(member=member, actor=request.user, **payload.dict()))


@router.post("/development/{int:pk}/talk", response={201: TalkOut})
def development_talk(request: AuthenticatedHttpRequest, pk: int, payload: TalkIn) -> Status[ApplicationTalk]:
    member = access_managed_member(request.user, pk)
    return Status(201, application_talk_record(member=member, actor=request.user, **payload.dict()))


@router.post("/development/{int:pk}/activist-reviews", response={201: ActivistReviewOut})
def development_activist_review(
    request: AuthenticatedHttpRequest, pk: int, payload: ActivistReviewIn
) -> Status[ActivistReview]:
    member = access_managed_member(request.user, pk)
    return Status(201, activist_review_record(member=member, actor=request.user, **payload.dict()))


@router.post("/development/{int:pk}/extension", response={201: ExtensionOut})
def development_extension(
    request: AuthenticatedHttpRequest, pk: int, payload: ExtensionIn
) -> Status[ProbationExtension]:
    """Extend a probationary member's probation once, by 6 to 12 months; refused (422) with the article otherwise."""
    member = access_managed_member(request.user, pk)
    return Status(201, probation_extend(member=member, actor=request.user, **payload.dict()))


@router.get("/development/birthdays", response=list[BirthdayOut])
@paginate(PageNumberPagination, page_size=100)
def development_birthdays(request: AuthenticatedHttpRequest, month: int, org: str | None = None) -> object:
    _require_roster(request)
    if not 1 <= month <= 12:
        raise HttpError(422, "month is between 1 and 12")
    organization = sel.organization_in_scope(user=request.user, code=(org or "").strip())
    return sel.political_birthdays(user=request.user, organization=organization, month=month)

"""The quarterly feedback through the API, for admins whose roster scope holds the organization.

Registered by importing this module in lianxin/community/api/__init__.py.
"""

from datetime import date
from decimal import Decimal

from ninja import Schema

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.community.api.router import router
from lianxin.community.selectors.feedback import Feedback, access_feedback_organization, feedback_build
from lianxin.core.periods import parse_quarter


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


def _feedback_out(result: Feedback) -> FeedbackOut:
    return FeedbackOut(
        organization_code=result.organization.code,
        quarter=result.quarter.quarter_code,
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


@router.get("/feedback", response=FeedbackOut)
def feedback(request: AuthenticatedHttpRequest, org: str, quarter: str) -> FeedbackOut:
    """The quarterly feedback on an organization's members (its subtree), for admins whose scope holds it."""
    organization = access_feedback_organization(request.user, org)
    return _feedback_out(feedback_build(organization=organization, quarter=parse_quarter(quarter)))

"""Briefings through the API, scoped like the pages: the briefings of the caller's subtrees (roster
scope), and one briefing with its text and every number it used. A briefing outside the scope is a
404, as if there were none."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.briefings.models import Briefing
from lianxin.briefings.selectors import access_briefing, briefing_list_visible_to, briefing_sections
from lianxin.core.api_pagination import PageNumberPagination

router = Router(tags=["briefings"])


class BriefingOut(Schema):
    id: int
    title: str
    status: str = Field(..., description="draft or published")
    template: str
    template_name: str
    # Read from the briefing by `alias`, written under the field's own name or `serialization_alias`.
    organization_code: str = Field(..., alias="organization.code", serialization_alias="organization_code")
    organization_name: str = Field(..., alias="organization.name", serialization_alias="organization_name")
    date_from: date = Field(..., alias="starts_on", serialization_alias="from")
    date_to: date = Field(..., alias="ends_on", serialization_alias="to")
    drafted_at: datetime = Field(
        ..., alias="created_at", serialization_alias="drafted_at", description="when its numbers were counted"
    )
    published_at: datetime | None


class BriefingFigureOut(Schema):
    measure: str = Field(..., description="the registered figure's name (GET /api/v1/figures)")
    label: str
    organization_code: str
    date_from: date = Field(..., serialization_alias="from")
    date_to: date = Field(..., serialization_alias="to")
    value: int | Decimal | None = Field(..., description="as counted; null: a share of nothing")
    phrase: str = Field(..., description="as the text writes it: 7200余场, 96.52%")
    rows_url: str = Field(..., description="the page of the rows behind the number (as they stood, once published)")
    rows_kept: int | None = Field(..., description="how many rows publishing kept; null for a draft or none kept")


class BriefingSectionOut(Schema):
    heading: str = Field(..., description="empty for the lead")
    paragraphs: list[str]
    figures: list[BriefingFigureOut]


class BriefingDetailOut(BriefingOut):
    sections: list[BriefingSectionOut] = Field(..., alias="shown_sections", serialization_alias="sections")


class BriefingListQuery(Schema):
    status: str | None = Field(None, description="draft or published; empty: both")


@router.get("", response=list[BriefingOut], by_alias=True)
@paginate(PageNumberPagination, page_size=50)
def list_briefings(request: AuthenticatedHttpRequest, query: Query[BriefingListQuery]) -> object:
    """The briefings of the caller's subtrees, drafts and published, newest first."""
    return briefing_list_visible_to(user=request.user, status=query.status or "")


def _detail(briefing: Briefing) -> Briefing:
    briefing.shown_sections = [  # type: ignore[attr-defined]
        {
            "heading": shown.section.heading,
            "paragraphs": shown.section.paragraphs,
            "figures": [
                {
                    "measure": f.figure.measure,
                    "label": f.label,
                    "organization_code": f.figure.organization_code,
                    "date_from": f.figure.starts_on,
                    "date_to": f.figure.ends_on,
                    "value": f.figure.number,
                    "phrase": f.figure.phrase,
                    "rows_url": f.figure.rows_url,
                    "rows_kept": f.figure.kept_count,
                }
                for f in shown.figures
            ],
        }
        for shown in briefing_sections(briefing)
    ]
    return briefing


@router.get("/{int:pk}", response=BriefingDetailOut, by_alias=True)
def get_briefing(request: AuthenticatedHttpRequest, pk: int) -> Briefing:
    """One briefing: its text by section and every number it used, with the rows behind each."""
    return _detail(access_briefing(request.user, pk))

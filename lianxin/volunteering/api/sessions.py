"""Sessions through the API: list and detail, sign up, leave, check in with the code, check out.

Registered by importing this module in lianxin/volunteering/api/__init__.py; it adds its
endpoints to the one volunteering router. A refusal answers 409 with the service's message
and code (the codes are declared there).
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import Id
from lianxin.volunteering.api.router import router
from lianxin.volunteering.models import Session, SignUp
from lianxin.volunteering.selectors.sessions import (
    SessionFilters,
    access_session,
    session_list_visible_to,
    session_team_filter,
)
from lianxin.volunteering.services.attendance import signup_walk_in
from lianxin.volunteering.services.sessions import signup_check_in, signup_check_out, signup_create, signup_leave


class SessionOut(Schema):
    id: int
    title: str
    status: str
    team_id: int
    team_name: str = Field(..., alias="team.name")
    area: str = Field(..., alias="area.name")
    place: str
    starts_at: datetime
    ends_at: datetime
    slots: int
    signed_up: int = Field(..., alias="signed_up_count")
    beneficiaries: int | None


class SessionQuery(Schema):
    when: str = Field("upcoming", description="upcoming or past")
    team: Id | None = Field(None, description="a team id")
    mine: bool = Field(False, description="only the teams the caller manages")


class SignUpOut(Schema):
    id: int
    session_id: int
    signed_up_at: datetime
    left_at: datetime | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    hours: Decimal


class CheckinIn(Schema):
    code: str = Field(..., description="the six digits shown at the venue")


@router.get("/sessions", response=list[SessionOut])
@paginate(PageNumberPagination, page_size=50)
def list_sessions(request: AuthenticatedHttpRequest, query: Query[SessionQuery]) -> QuerySet[Session]:
    filters = SessionFilters(
        when="past" if query.when == "past" else "upcoming",
        team=session_team_filter(user=request.user, pk=query.team),
        mine=query.mine,
    )
    return session_list_visible_to(user=request.user, filters=filters)


@router.get("/sessions/{int:pk}", response=SessionOut)
def get_session(request: AuthenticatedHttpRequest, pk: int) -> Session:
    return access_session(request.user, pk)


@router.post("/sessions/{int:pk}/signup", response={201: SignUpOut})
def sign_up(request: AuthenticatedHttpRequest, pk: int) -> Status[SignUp]:
    session = access_session(request.user, pk)
    return Status(201, signup_create(session=session, actor=request.user))


@router.post("/sessions/{int:pk}/leave", response=SignUpOut)
def leave(request: AuthenticatedHttpRequest, pk: int) -> SignUp:
    return signup_leave(session=access_session(request.user, pk), actor=request.user)


@router.post("/sessions/{int:pk}/checkin", response=SignUpOut)
def check_in(request: AuthenticatedHttpRequest, pk: int, payload: CheckinIn) -> SignUp:
    return signup_check_in(session=access_session(request.user, pk), actor=request.user, code=payload.code)


@router.post("/sessions/{int:pk}/walk-in", response={201: SignUpOut})
def walk_in(request: AuthenticatedHttpRequest, pk: int, payload: CheckinIn) -> Status[SignUp]:
    """At the venue without a sign-up: take a place and check in with the venue's code, in one step."""
    session = access_session(request.user, pk)
    return Status(201, signup_walk_in(session=session, actor=request.user, code=payload.code))


@router.post("/sessions/{int:pk}/checkout", response=SignUpOut)
def check_out(request: AuthenticatedHttpRequest, pk: int, confirm: bool = False) -> SignUp:
    """Before the session ends the answer says what would be credited; repeat with ?confirm=true to check out."""
    return signup_check_out(session=access_session(request.user, pk), actor=request.user, confirmed=confirm)

"""Sessions through the API: list and detail, sign up, leave, check in with the code, check out.

Registered by importing this module in lianxin/volunteering/api.py; it adds its endpoints
to the one volunteering router.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import Id
from lianxin.volunteering.api import router
from lianxin.volunteering.models import Team
from lianxin.volunteering.selectors.sessions import SessionFilters, access_session, session_list_visible_to
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


def _refused(exc: ValidationError) -> HttpError:
    return HttpError(409, " ".join(exc.messages))


@router.get("/sessions", response=list[SessionOut])
@paginate(PageNumberPagination, page_size=50)
def list_sessions(request: HttpRequest, query: Query[SessionQuery]) -> object:
    filters = SessionFilters(
        when="past" if query.when == "past" else "upcoming",
        team=Team.objects.filter(pk=query.team).first() if query.team else None,
        mine=query.mine,
    )
    return session_list_visible_to(user=request.user, filters=filters)


@router.get("/sessions/{int:pk}", response=SessionOut)
def get_session(request: HttpRequest, pk: int) -> object:
    return access_session(request.user, pk)


@router.post("/sessions/{int:pk}/signup", response={201: SignUpOut})
def sign_up(request: HttpRequest, pk: int) -> Status:
    session = access_session(request.user, pk)
    try:
        return Status(201, signup_create(session=session, actor=request.user))
    except ValidationError as exc:
        raise _refused(exc) from exc


@router.post("/sessions/{int:pk}/leave", response=SignUpOut)
def leave(request: HttpRequest, pk: int) -> object:
    session = access_session(request.user, pk)
    try:
        return signup_leave(session=session, actor=request.user)
    except ValidationError as exc:
        raise _refused(exc) from exc


@router.post("/sessions/{int:pk}/checkin", response=SignUpOut)
def check_in(request: HttpRequest, pk: int, payload: CheckinIn) -> object:
    session = access_session(request.user, pk)
    try:
        return signup_check_in(session=session, actor=request.user, code=payload.code)
    except ValidationError as exc:
        raise _refused(exc) from exc


@router.post("/sessions/{int:pk}/checkout", response=SignUpOut)
def check_out(request: HttpRequest, pk: int) -> object:
    session = access_session(request.user, pk)
    try:
        return signup_check_out(session=session, actor=request.user)
    except ValidationError as exc:
        raise _refused(exc) from exc

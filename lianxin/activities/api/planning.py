"""Activities through the API: list, plan, read one, record and remove attendance, check in with the venue code.

Registered by importing this module in lianxin/activities/api/__init__.py; it adds its endpoints to
the one activities router. A service's refusal reaches the API's one error handler: 409 for the
conflict codes declared there, 422 otherwise, with its message and code.
"""

from datetime import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.activities.api.router import router
from lianxin.activities.models import Activity, Attendance, JointEvent
from lianxin.activities.selectors import planning as sel
from lianxin.activities.services import planning as services
from lianxin.core.api_errors import ApiError
from lianxin.core.api_pagination import PageNumberPagination
from lianxin.core.params import Id, SaneDateTime


class _ActivityFields(Schema):
    id: int
    organization_id: int
    kind: str
    title: str
    topic: str
    status: str
    starts_at: datetime
    ends_at: datetime
    place: str
    is_online: bool
    joint_event_id: int | None


class ActivityOut(_ActivityFields):
    organization: str = Field(..., alias="organization.name")


class QuorumOut(Schema):
    entitled: int
    present: int
    needed: int
    met: bool


class ActivityDetailOut(_ActivityFields):
    organization: str
    host: str
    recorder: str
    minutes: str
    cancel_reason: str
    attendance: dict[str, int]
    quorum: QuorumOut | None


class ActivityQuery(Schema):
    organization: Id | None = Field(None, description="an organization id in the caller's scope")
    kind: str = Field("", description="a kind of activity, e.g. branch_congress")
    status: str = Field("", description="planned, held or cancelled")


class ActivityIn(Schema):
    organization: Id
    kind: str
    title: str
    topic: str = ""
    starts_at: SaneDateTime
    ends_at: SaneDateTime
    place: str = ""
    is_online: bool = False


class AttendanceOut(Schema):
    member_id: int
    name: str = Field(..., alias="member.name")
    role: str
    status: str
    reason: str
    checked_in_at: datetime | None


class AttendanceIn(Schema):
    member: Id
    status: str = Field(..., description="present, absent (with a reason) or excused")
    reason: str = ""


class CheckinIn(Schema):
    code: str = Field(..., description="the six digits shown at the venue")


class JointEventIn(Schema):
    organizer: Id
    organizations: list[Id] = Field(..., description="ids of the organizations taking part, under the organizer")
    kind: str
    title: str
    starts_at: SaneDateTime
    ends_at: SaneDateTime
    place: str = ""
    is_online: bool = False
    description: str = ""


class JointEventOut(Schema):
    id: int
    title: str
    kind: str
    organizer_id: int
    starts_at: datetime
    parts: list[int] = Field(..., description="the activity id of each organization's part")
    listed: int = Field(..., description="distinct people on the parts' lists")
    present: int = Field(..., description="distinct people present: someone in two parts counts once")


def _joint(event: JointEvent) -> dict[str, object]:
    totals = sel.joint_event_totals(event)
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "organizer_id": event.organizer_id,
        "starts_at": event.starts_at,
        "parts": list(event.activities.order_by("pk").values_list("pk", flat=True)),
        "listed": totals["listed"],
        "present": totals["present"],
    }


def _detail(activity: Activity) -> dict[str, object]:
    quorum = sel.activity_quorum(activity)
    fields = ("id", "organization_id", "kind", "title", "topic", "status", "starts_at", "ends_at", "place")
    more = ("is_online", "joint_event_id", "host", "recorder", "minutes", "cancel_reason")
    return {
        **{f: getattr(activity, f) for f in (*fields, *more)},
        "organization": activity.organization.name,
        "attendance": sel.attendance_counts(activity),
        "quorum": None
        if quorum is None
        else {"entitled": quorum.entitled, "present": quorum.present, "needed": quorum.needed, "met": quorum.met},
    }


@router.get("", response=list[ActivityOut])
@paginate(PageNumberPagination, page_size=50)
def list_activities(request: AuthenticatedHttpRequest, query: Query[ActivityQuery]) -> object:
    organization = sel.access_plannable_organization(request.user, query.organization) if query.organization else None
    return sel.activity_list_visible_to(
        user=request.user, organization=organization, kind=query.kind, status=query.status
    )


@router.post("", response={201: ActivityDetailOut})
def plan_activity(request: AuthenticatedHttpRequest, payload: ActivityIn) -> Status[object]:
    organization = sel.access_plannable_organization(request.user, payload.organization)
    activity = services.activity_plan(actor=request.user, **{**payload.model_dump(), "organization": organization})
    return Status(201, _detail(activity))


@router.post("/joint", response={201: JointEventOut})
def plan_joint_event(request: AuthenticatedHttpRequest, payload: JointEventIn) -> Status[object]:
    organizer = sel.access_plannable_organization(request.user, payload.organizer)
    organizations = list(sel.organizations_plannable_by(request.user).filter(pk__in=payload.organizations))
    if len(organizations) != len(set(payload.organizations)):
        raise Http404
    values = payload.model_dump(exclude={"organizer", "organizations"})
    event = services.joint_event_create(actor=request.user, organizer=organizer, organizations=organizations, **values)
    return Status(201, _joint(event))


@router.get("/joint/{int:pk}", response=JointEventOut)
def get_joint_event(request: AuthenticatedHttpRequest, pk: int) -> object:
    return _joint(sel.access_joint_event(request.user, pk))


@router.get("/{int:pk}", response=ActivityDetailOut)
def get_activity(request: AuthenticatedHttpRequest, pk: int) -> object:
    return _detail(sel.access_activity(request.user, pk))


@router.get("/{int:pk}/attendance", response=list[AttendanceOut])
def list_attendance(request: AuthenticatedHttpRequest, pk: int) -> object:
    return sel.attendance_of(sel.access_managed_activity(request.user, pk))


@router.post("/{int:pk}/attendance", response=AttendanceOut)
def record_attendance(request: AuthenticatedHttpRequest, pk: int, payload: AttendanceIn) -> Attendance:
    activity = sel.access_managed_activity(request.user, pk)
    member = sel.listed_member(activity, payload.member)
    if member is None:
        raise ApiError(409, _("This person is not on this activity's list."), code="not_listed")
    return services.attendance_record(
        activity=activity, actor=request.user, member=member, status=payload.status, reason=payload.reason
    )


@router.delete("/{int:pk}/attendance/{int:member_id}", response={204: None})
def remove_attendance(request: AuthenticatedHttpRequest, pk: int, member_id: int) -> Status[object]:
    """Take someone wrongly listed off the list; a row checked in at the venue stays (409)."""
    activity = sel.access_managed_activity(request.user, pk)
    member = sel.listed_member(activity, member_id)
    if member is None:
        raise Http404
    services.attendance_remove(activity=activity, actor=request.user, member=member)
    return Status(204, None)


@router.post("/{int:pk}/checkin", response=AttendanceOut)
def check_in(request: AuthenticatedHttpRequest, pk: int, payload: CheckinIn) -> Attendance:
    activity = sel.access_activity(request.user, pk)
    return services.attendance_check_in(activity=activity, actor=request.user, code=payload.code)

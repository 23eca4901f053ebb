"""What waits for a person, counted by the very selectors of the lists the counts link to.

Each app knows what waits in its own selectors (`orders_to_dispatch`, `demand_to_handle`,
`wish_review_queue`, ...); this module only asks the ones that fit the viewer's roles, one
query per count, and gathers a member's own branch for "My branch".
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.permissions import roles_of, roster_scope
from lianxin.accounts.types import Viewer
from lianxin.activities.models import Activity
from lianxin.activities.selectors.planning import (
    YearAttendance,
    activities_ahead_managed,
    activities_ahead_of,
    activities_to_record,
    attendance_in_year,
)
from lianxin.community.models import CommunityReport, PostClaim
from lianxin.community.selectors.reports import active_claims_in, active_report_of, reports_to_approve
from lianxin.demands.permissions import handler_scope
from lianxin.demands.selectors.handling import (
    HandleCounts,
    demand_to_accept,
    demand_to_follow_up,
    demand_to_handle_counts,
)
from lianxin.members.models import Member
from lianxin.members.selectors.development import (
    PipelineRow,
    activists_due_for_review,
    applicants_waiting_for_talk,
    due_for_full_membership,
    pipeline_step_of,
)
from lianxin.organizations.models import CommitteeSeat, Organization
from lianxin.organizations.selectors import current_seats
from lianxin.volunteering.models import Session
from lianxin.volunteering.selectors.orders import order_inbox_for_leader, orders_to_dispatch
from lianxin.volunteering.selectors.sessions import (
    SessionFilters,
    service_record_of,
    session_list_visible_to,
    sessions_ahead_of,
)
from lianxin.wishes.selectors import wish_review_queue

Role = RoleAssignment.Role

# How many of the next activities and sessions a workbench or a branch page lists.
AHEAD = 5


@dataclass(frozen=True)
class StaffWaiting:
    """What waits for an organization admin (a city admin, a secretary) in their subtrees."""

    demands_to_accept: int
    demands_to_handle: HandleCounts
    follow_ups_due: int
    orders_to_dispatch: int
    wishes_to_review: int
    reports_to_approve: int
    activities_to_record: int
    talks_due: int
    reviews_due: int
    full_membership_due: int
    activities_ahead: list[Activity]


@dataclass(frozen=True)
class LeaderWaiting:
    """What waits for a volunteer team's leader: orders to accept or serve, the teams' next sessions."""

    orders: int
    sessions_ahead: int
    next_sessions: list[Session]


@dataclass(frozen=True)
class Workbench:
    staff: StaffWaiting | None = None
    handling: HandleCounts | None = None  # a handler who is not also an admin
    leader: LeaderWaiting | None = None
    member: Member | None = None
    branch_ahead: list[Activity] = field(default_factory=list)
    my_sessions: list[Session] = field(default_factory=list)


def staff_waiting(*, user: Viewer) -> StaffWaiting | None:
    """The admin's counts, or None for a viewer without a roster scope."""
    if roster_scope(user).is_empty:
        return None
    today = timezone.localdate()
    return StaffWaiting(
        demands_to_accept=demand_to_accept(user=user).count(),
        demands_to_handle=demand_to_handle_counts(user=user, today=today),
        follow_ups_due=demand_to_follow_up(user=user).count(),
        orders_to_dispatch=orders_to_dispatch(user=user).count(),
        wishes_to_review=wish_review_queue(user=user).count(),
        reports_to_approve=reports_to_approve(user=user).count(),
        activities_to_record=activities_to_record(user=user).count(),
        talks_due=applicants_waiting_for_talk(user=user, organization=None, today=today).count(),
        reviews_due=activists_due_for_review(user=user, organization=None, today=today).count(),
        full_membership_due=due_for_full_membership(user=user, organization=None, today=today).count(),
        activities_ahead=list(activities_ahead_managed(user=user)[:AHEAD]),
    )


def leader_waiting(*, user: Viewer) -> LeaderWaiting | None:
    if Role.TEAM_LEADER not in roles_of(user):
        return None
    sessions = session_list_visible_to(user=user, filters=SessionFilters(mine=True))
    return LeaderWaiting(
        orders=order_inbox_for_leader(user=user).count(),
        sessions_ahead=sessions.count(),
        next_sessions=list(sessions[:AHEAD]),
    )


def own_member(user: Viewer) -> Member | None:
    """The roster record of the signed-in person (Member.user), if any."""
    member: Member | None = getattr(user, "member", None) if user.is_authenticated else None
    return member


def workbench_for(*, user: Viewer) -> Workbench:
    """Everything the home page shows the viewer: only the parts their roles reach."""
    if not user.is_authenticated:
        return Workbench()
    staff = staff_waiting(user=user)
    handling = None
    if staff is None and not handler_scope(user).is_empty:
        handling = demand_to_handle_counts(user=user)
    member = own_member(user)
    return Workbench(
        staff=staff,
        handling=handling,
        leader=leader_waiting(user=user),
        member=member,
        branch_ahead=list(activities_ahead_of(member.organization)[:AHEAD]) if member is not None else [],
        my_sessions=list(sessions_ahead_of(user=user)[:AHEAD]) if member is not None else [],
    )


# ----------------------------------------------------------------- my branch


@dataclass(frozen=True)
class MyBranch:
    member: Member
    branch: Organization
    secretary: CommitteeSeat | None
    activities_ahead: list[Activity]
    year: int
    attendance: YearAttendance
    hours: Decimal
    sessions_served: int
    sessions_ahead: list[Session]
    report: CommunityReport | None
    posts: list[PostClaim]
    step: PipelineRow | None


def my_branch(*, member: Member) -> MyBranch:
    """A Party member's branch as they see it: its secretary, its next 三会一课, and their own part in it."""
    user = member.user
    assert user is not None, "my branch is the page of a member with an account"
    today = timezone.localdate()
    branch = member.organization
    seat = current_seats(branch).filter(role=CommitteeSeat.Role.SECRETARY).select_related("member").first()
    record = service_record_of(user=user)
    report = active_report_of(user=user)
    return MyBranch(
        member=member,
        branch=branch,
        secretary=seat,
        activities_ahead=list(activities_ahead_of(branch)[:AHEAD]),
        year=today.year,
        attendance=attendance_in_year(member, today.year),
        hours=record.total_hours,
        sessions_served=record.sessions_served,
        sessions_ahead=list(sessions_ahead_of(user=user)[:AHEAD]),
        report=report,
        posts=list(active_claims_in(user=user, report=report)),
        step=pipeline_step_of(member, today),
    )

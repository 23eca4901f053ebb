"""Reads of sessions and sign-ups, and who may do what with them.

Who manages a team's sessions: its leader (Team.leader), or an organization admin whose
roster scope holds the team's owner organization.

Who may sign up: a logged-in person with a Party member record (the main case: Party
members serve), or a volunteer in an active team membership. Party members may sign up
for any team's session; other volunteers for the sessions of the teams they belong to.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import TypeGuard

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.organizations.models import Area
from lianxin.volunteering.models import CalendarFeed, Order, ServiceItem, Session, SignUp, Team, TeamMembership
from lianxin.volunteering.permissions import authenticated, can_lead_or_manage, is_team_member

# Volunteers may check in from this long before the start until the end.
CHECKIN_OPENS_BEFORE = timedelta(hours=1)


def _authenticated(user: Viewer) -> TypeGuard[User]:
    return authenticated(user)


# ------------------------------------------------------------------ predicates


def can_schedule_for(user: Viewer, team: Team) -> bool:
    """Schedule, change, cancel and record a team's sessions: its leader or its managers."""
    return can_lead_or_manage(user, team)


def can_manage_session(user: Viewer, session: Session) -> bool:
    return can_lead_or_manage(user, session.team)


def has_member_record(user: Viewer) -> bool:
    return _authenticated(user) and getattr(user, "member", None) is not None


def team_ids_of(user: Viewer) -> set[int]:
    """The teams `user` is an active volunteer of."""
    if _authenticated(user):
        memberships = TeamMembership.objects.filter(user_id=user.pk, left_on__isnull=True)
        return set(memberships.values_list("team_id", flat=True))
    return set()


def may_sign_up_for(user: Viewer, team: Team) -> bool:
    return has_member_record(user) or is_team_member(user, team)


def may_volunteer_at_all(user: Viewer) -> bool:
    return has_member_record(user) or bool(team_ids_of(user))


def active_signup_of(user: Viewer, session: Session) -> SignUp | None:
    if _authenticated(user):
        return SignUp.objects.filter(session=session, user_id=user.pk, left_at__isnull=True).first()
    return None


def can_sign_up(user: Viewer, session: Session) -> bool:
    return (
        session.status == Session.Status.PLANNED
        and session.starts_at > timezone.now()
        and session.signed_up_count < session.slots
        and may_sign_up_for(user, session.team)
        and active_signup_of(user, session) is None
    )


def check_in_window_open(session: Session, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.starts_at - CHECKIN_OPENS_BEFORE <= now <= session.ends_at


def can_walk_in(user: Viewer, session: Session) -> bool:
    """At the venue without a sign-up: sign up and check in in one step while check-in is open."""
    return (
        session.status == Session.Status.PLANNED
        and check_in_window_open(session)
        and may_sign_up_for(user, session.team)
        and active_signup_of(user, session) is None
    )


def can_leave(signup: SignUp | None, session: Session) -> bool:
    return signup is not None and session.status == Session.Status.PLANNED and signup.checked_in_at is None


def can_check_out(signup: SignUp | None) -> bool:
    return signup is not None and signup.checked_in_at is not None and signup.checked_out_at is None


# ------------------------------------------------------------------ lookups


def teams_managed_by(*, user: Viewer) -> QuerySet[Team]:
    if not _authenticated(user):
        return Team.objects.none()
    return (
        Team.objects.filter(Q(leader_id=user.pk) | roster_scope(user).q("organization__path"))
        .filter(is_active=True)
        .select_related("organization")
        .order_by("name", "id")
    )


def access_session(user: Viewer, pk: int) -> Session:
    """Sessions are open to every logged-in person (they say when and where help is needed);
    a cancelled one only to its managers and the people who had signed up."""
    if not _authenticated(user):
        raise Http404
    return _visible_session(user, pk)


def _visible_session(user: User, pk: int) -> Session:
    session = (
        Session.objects.filter(pk=pk)
        .select_related("team", "team__organization", "team__leader", "area", "item", "order")
        .first()
    )
    if session is None:
        raise Http404
    if session.status == Session.Status.CANCELLED and not (
        can_manage_session(user, session) or session.signups.filter(user_id=user.pk).exists()
    ):
        raise Http404
    return session


def access_managed_session(user: Viewer, pk: int) -> Session:
    """A session whose team `user` manages, or 404."""
    session = access_session(user, pk)
    if not can_manage_session(user, session):
        raise Http404
    return session


def accepted_order_for(user: Viewer, pk: int) -> Order:
    """An accepted order of a team `user` manages, to schedule a session for; else 404."""
    order = (
        Order.objects.filter(pk=pk, status=Order.Status.ACCEPTED, team__isnull=False)
        .select_related("team", "team__organization", "item", "area")
        .first()
    )
    if order is None or order.team is None or not can_schedule_for(user, order.team):
        raise Http404
    return order


def session_team_filter(*, user: Viewer, pk: int | None) -> Team | None:
    """The team a session list is filtered by (sessions are open to every signed-in person)."""
    if pk is None or not _authenticated(user):
        return None
    return Team.objects.filter(pk=pk).first()


def teams_volunteered_in(*, user: Viewer, exclude: list[Team]) -> QuerySet[Team]:
    """The teams `user` volunteers in, but for those in `exclude` (e.g. the ones they manage)."""
    return Team.objects.filter(pk__in=team_ids_of(user)).exclude(pk__in=[t.pk for t in exclude])


def session_teams(team: Team) -> QuerySet[Team]:
    """One team as the only choice of a session form (the team an order was accepted by)."""
    return Team.objects.filter(pk=team.pk)


def session_items(teams: list[Team]) -> QuerySet[ServiceItem]:
    """The items on the menu a session of one of `teams` may serve."""
    return ServiceItem.objects.filter(team__in=[t.pk for t in teams], is_active=True).select_related("team")


def session_areas(teams: list[Team], extra: Area | None) -> QuerySet[Area]:
    """The areas under the teams' organizations and the areas they serve (and the order's area)."""
    paths = {t.organization.area.path for t in teams}
    for team in teams:
        paths.update(team.areas.values_list("path", flat=True))
    q = reduce(or_, (Q(path__startswith=p) for p in sorted(paths)), Q(pk__in=[]))
    if extra is not None:
        q |= Q(pk=extra.pk)
    areas: QuerySet[Area] = Area.objects.filter(q).order_by("path")
    return areas


# ------------------------------------------------------------------ lists


@dataclass
class SessionFilters:
    when: str = "upcoming"  # "upcoming" or "past"
    team: Team | None = None
    mine: bool = False  # only the teams the viewer manages


def session_list_visible_to(*, user: Viewer, filters: SessionFilters) -> QuerySet[Session]:
    qs = Session.objects.select_related("team", "area")
    managed = teams_managed_by(user=user).values("pk")
    if filters.mine:
        qs = qs.filter(team__in=managed)
    else:
        qs = qs.filter(~Q(status=Session.Status.CANCELLED) | Q(team__in=managed))
    if filters.team is not None:
        qs = qs.filter(team=filters.team)
    now = timezone.now()
    if filters.when == "past":
        return qs.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return qs.filter(ends_at__gt=now).order_by("starts_at", "id")


def session_signups(session: Session) -> QuerySet[SignUp]:
    """The people signed up now, in the order they signed up."""
    return session.signups.filter(left_at__isnull=True).select_related("user", "user__member").order_by("id")


def signups_to_confirm(session: Session) -> QuerySet[SignUp]:
    """The people whose hours nobody has settled yet: not checked out, not recorded by the leader."""
    return session_signups(session).filter(checked_out_at__isnull=True, hours_confirmed_at__isnull=True)


# ------------------------------------------------------------------ a person's record


@dataclass(frozen=True)
class ServiceRecord:
    signups: list[SignUp]
    total_hours: Decimal
    sessions_served: int


def service_record_of(*, user: User) -> ServiceRecord:
    """The sessions a person signed up for (not cancelled), their hours and the total.

    The total counts only hours credited (by check-out or by the leader); a session
    counts as served when it credited hours.
    """
    qs = (
        SignUp.objects.filter(user_id=user.pk, left_at__isnull=True)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session", "session__team", "session__team__organization", "session__area")
        .order_by("-starts_at", "-id")
    )
    total = qs.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    signups = list(qs[:500])
    return ServiceRecord(
        signups=signups,
        total_hours=total,
        sessions_served=qs.filter(hours__gt=0).count(),
    )


def member_feed_sessions(*, user: User) -> QuerySet[Session]:
    """The sessions a person is signed up for, cancelled ones included so calendars cross them out."""
    return (
        Session.objects.filter(signups__user_id=user.pk, signups__left_at__isnull=True)
        .select_related("team", "area")
        .distinct()
        .order_by("starts_at", "id")
    )


def team_feed_sessions(*, team: Team) -> QuerySet[Session]:
    return Session.objects.filter(team=team).select_related("team", "area").order_by("starts_at", "id")


# ------------------------------------------------------------------ iCal feeds: the token is the key


def calendar_feed_by_token(token: str) -> CalendarFeed:
    """An active person's feed by its private token, or 404."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    return feed


def team_by_feed_token(token: str) -> Team:
    team = Team.objects.filter(feed_token=token).first()
    if team is None:
        raise Http404
    return team


def sessions_ahead_of(*, user: Viewer) -> QuerySet[Session]:
    """The sessions a person is signed up for that have not ended yet, soonest first; cancelled ones left out."""
    if not _authenticated(user):
        return Session.objects.none()
    return (
        Session.objects.filter(signups__user_id=user.pk, signups__left_at__isnull=True, ends_at__gt=timezone.now())
        .exclude(status=Session.Status.CANCELLED)
        .select_related("team", "area")
        .order_by("starts_at", "id")
    )

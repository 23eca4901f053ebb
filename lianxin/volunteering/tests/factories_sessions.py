"""Builders for sessions and their volunteers, through the services."""

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.organizations.models import Organization
from lianxin.volunteering.models import Session, SignUp, Team
from lianxin.volunteering.services.sessions import session_create, signup_create
from lianxin.volunteering.tests.factories import leader_of, make_leader, make_team
from lianxin.wishes.tests.factories import make_member_user

_seq = itertools.count(1)


def make_led_team(organization: Organization, leader: User | None = None) -> Team:
    """A team of `organization` with a leader (created when not given)."""
    # No categories: the seeded ones are gone after a flush in transactional tests, and sessions need none.
    return make_team(organization, leader=leader or make_leader(), categories=[])


def make_session(
    team: Team,
    *,
    actor: User | None = None,
    starts_at: datetime | None = None,
    hours: float = 2,
    **overrides: Any,
) -> Session:
    """A planned session of `team`, tomorrow at 09:00 local time for two hours unless told otherwise."""
    if starts_at is None:
        tomorrow = timezone.localtime() + timedelta(days=1)
        starts_at = tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)
    values: dict[str, Any] = {
        "title": f"社区义诊{next(_seq)}",
        "area": team.organization.area,
        "place": "东社区文化礼堂",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "slots": 5,
    }
    values.update(overrides)
    return session_create(actor=actor or leader_of(team), team=team, **values)


def make_volunteer(organization: Organization, username: str = "") -> User:
    """A logged-in Party member who may sign up for any session."""
    return make_member_user(organization, username or f"volunteer_s{next(_seq)}")


def move_session(session: Session, starts_at: datetime) -> Session:
    """Put a session (and its sign-ups) at another time, as if the clock had moved on."""
    length = session.ends_at - session.starts_at
    Session.objects.filter(pk=session.pk).update(starts_at=starts_at, ends_at=starts_at + length)
    SignUp.objects.filter(session=session).update(starts_at=starts_at, ends_at=starts_at + length)
    session.refresh_from_db()
    return session


def signed_up(session: Session, user: User) -> SignUp:
    return signup_create(session=session, actor=user)

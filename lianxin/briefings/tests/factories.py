"""A small, hand-counted month of 城区 (D1) for briefings: two Party lectures and a theme day held by
东社区党支部 with its two members present, and one demand collected and resolved; nothing else.
Every number a test expects can be counted from this file."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.activities.services.planning import attendance_record
from lianxin.activities.tests.factories import make_activity
from lianxin.briefings.models import Briefing
from lianxin.briefings.services import briefing_draft
from lianxin.core.periods import Period
from lianxin.demands.models import Demand
from lianxin.demands.tests.factories import make_demand
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member


def recent_days() -> Period:
    """The last thirty days, today included: every row below falls in it, whatever today is."""
    today = timezone.localdate()
    return Period(today - timedelta(days=30), today)


@dataclass
class Month:
    period: Period
    members: list[Member]
    lectures: list[Activity]
    theme_day: Activity


def held(city: City, planner: User, kind: str, days_ago: int, members: list[Member]) -> Activity:
    starts = timezone.now() - timedelta(days=days_ago, hours=3)
    activity = make_activity(
        city.east, planner=planner, kind=kind, title=f"{Kind(kind).label}", starts_at=starts, held=True
    )
    for member in members:
        attendance_record(activity=activity, actor=planner, member=member, status=Attendance.Status.PRESENT)
    return activity


def make_month(city: City, planner: User) -> Month:
    """Two lectures and a theme day in 东社区 in the last thirty days, both of its members at each."""
    members = [make_member(city.east, name="李红"), make_member(city.east, name="王海")]
    lectures = [held(city, planner, Kind.PARTY_LECTURE, days, members) for days in (3, 10)]
    theme_day = held(city, planner, Kind.THEME_DAY, 5, members)
    make_demand(city.east, by=planner, until=Demand.Status.RESOLVED)
    return Month(recent_days(), members, lectures, theme_day)


def make_briefing(city: City, actor: User, *, template: str = "july_first", period: Period | None = None) -> Briefing:
    """A draft of 城区's briefing from the template (default: the 七一 series) for the last thirty days."""
    period = period or recent_days()
    return briefing_draft(
        actor=actor, organization=city.district, starts_on=period.start, ends_on=period.end, template=template
    )

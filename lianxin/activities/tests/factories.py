"""Builders for activities at any point of their life, going through the services."""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Kind
from lianxin.activities.services.planning import activity_hold, activity_plan
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization


def make_activity(
    organization: Organization,
    *,
    planner: User,
    starts_at: datetime | None = None,
    held: bool = False,
    **overrides: Any,
) -> Activity:
    """An activity planned by `planner` (an admin of the organization's subtree), starting in ten
    minutes unless told otherwise; when `held`, it started three hours ago and the same admin
    held it, with minutes."""
    if starts_at is None:
        starts_at = timezone.now() + (timedelta(hours=-3) if held else timedelta(minutes=10))
    starts = starts_at
    values: dict[str, Any] = {
        "kind": Kind.BRANCH_CONGRESS,
        "title": "第三季度支部党员大会",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "社区党群服务中心二楼",
    }
    values.update(overrides)
    activity = activity_plan(actor=planner, organization=organization, **values)
    if held:
        activity_hold(
            activity=activity,
            actor=planner,
            minutes="学习党章，讨论发展对象。",
            topic="学习党章",
            host="张书记",
            recorder="李委员",
        )
    return activity


def make_branch_congress(
    organization: Organization, *, planner: User, full: int, probationary: int = 0, **overrides: Any
) -> tuple[Activity, list[Member]]:
    """A branch congress that started half an hour ago, with `full` full and `probationary`
    probationary members of `organization` expected (full members first, by name)."""
    people = [make_member(organization, name=f"正式党员{i:02d}") for i in range(full)]
    people += [
        make_member(
            organization,
            name=f"预备党员{i:02d}",
            category=Member.Category.PROBATIONARY,
            joined_on=timezone.localdate() - timedelta(days=100),
            full_on=None,
        )
        for i in range(probationary)
    ]
    activity = make_activity(
        organization, planner=planner, starts_at=timezone.now() - timedelta(minutes=30), **overrides
    )
    return activity, people

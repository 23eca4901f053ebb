"""Builders for honours tests: a member due the medal, a round with quotas."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lianxin.accounts.models import User
from lianxin.honours.models import AwardKind, HonourRound
from lianxin.honours.services.rounds import round_open
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization

SHANGHAI = ZoneInfo("Asia/Shanghai")
OM = AwardKind.OUTSTANDING_MEMBER


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def old_member(org: Organization, *, full_on: date | None, **extra: Any) -> Member:
    """A full member who became one on `full_on` (None: the date is missing on the roster)."""
    member = make_member(
        org,
        birth=date(1938, 3, 1),
        applied_on=None,
        activist_on=None,
        candidate_on=None,
        joined_on=date(1964, 1, 1),
        full_on=date(1965, 1, 1),
        **extra,
    )
    joined_on = date(full_on.year - 1, 1, 1) if full_on else member.joined_on
    Member.objects.filter(pk=member.pk).update(joined_on=joined_on, full_on=full_on)
    member.full_on = full_on
    return member


def open_round(actor: User, owner: Organization, *, year: int = 2026, quota: int = 3) -> HonourRound:
    """A round of `owner` with `quota` places for outstanding members."""
    return round_open(actor=actor, owner=owner, year=year, title=f"{year}年两优一先", quotas={OM: quota})

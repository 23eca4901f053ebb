"""Resolved demands with a reviewed public summary, dated where a board or notice test needs them."""

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.demands.models import Demand
from lianxin.demands.services.board import demand_summary_review
from lianxin.demands.tests.factories import make_demand
from lianxin.organizations.models import Organization


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def dated(demand: Demand, *, collected: date, resolved: date | None = None) -> Demand:
    """Move a demand's collection (and resolution) to the given days, as if it happened then."""
    changes: dict[str, datetime] = {"created_at": at(collected)}
    if resolved is not None:
        changes["resolved_at"] = at(resolved, 15)
    Demand.objects.filter(pk=demand.pk).update(**changes)
    demand.refresh_from_db()
    return demand


def make_reviewed(
    organization: Organization,
    *,
    by: User,
    summary: str,
    collected: date,
    resolved: date,
    until: str = Demand.Status.RESOLVED,
    **overrides: Any,
) -> Demand:
    """A demand resolved on `resolved` whose public summary `by` has cleared."""
    demand = make_demand(organization, by=by, until=until, **overrides)
    demand_summary_review(demand=demand, actor=by, summary=summary)
    return dated(demand, collected=collected, resolved=resolved)

"""Overdue demands escalate to the responsible unit's parent organization and remind the handler."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.selectors import event_list_for
from lianxin.demands.models import Demand
from lianxin.demands.services.followup import demand_escalate_overdue
from lianxin.demands.services.handling import demand_reassign
from lianxin.demands.tasks import escalate_overdue_demands_task
from lianxin.demands.tests.factories import make_demand

Status = Demand.Status


def _overdue(demand: Demand, days: int = 1) -> None:
    Demand.objects.filter(pk=demand.pk).update(deadline=timezone.localdate() - timedelta(days=days))


def test_an_overdue_demand_escalates_to_the_units_parent_once(city: City, district_admin: User) -> None:
    late = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west)
    on_time = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west)
    _overdue(late, days=3)

    assert demand_escalate_overdue() == 1
    assert demand_escalate_overdue() == 0

    late.refresh_from_db()
    assert late.escalated_to == city.district and late.escalated_at is not None
    verbs = [e.verb for e in event_list_for(late).order_by("id")]
    assert verbs[-2:] == ["escalated", "reminded"] and verbs.count("escalated") == 1
    assert event_list_for(late).get(verb="escalated").data["days_late"] == 3
    assert Demand.objects.get(pk=on_time.pk).escalated_to is None


def test_a_demand_due_today_or_resolved_is_not_escalated(city: City, district_admin: User) -> None:
    due_today = make_demand(city.east, by=district_admin, until=Status.ASSIGNED)
    Demand.objects.filter(pk=due_today.pk).update(deadline=timezone.localdate())
    resolved = make_demand(city.east, by=district_admin, until=Status.RESOLVED)
    Demand.objects.filter(pk=resolved.pk).update(deadline=timezone.localdate() - timedelta(days=5))

    assert demand_escalate_overdue() == 0


def test_a_top_level_unit_escalates_to_itself(city: City, city_admin: User) -> None:
    demand = make_demand(city.root, by=city_admin, until=Status.ASSIGNED, unit=city.root)
    _overdue(demand)

    assert demand_escalate_overdue() == 1
    assert Demand.objects.get(pk=demand.pk).escalated_to == city.root


def test_reassigning_clears_the_escalation_so_the_new_deadline_counts_afresh(city: City, district_admin: User) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.ASSIGNED)
    _overdue(demand)
    demand_escalate_overdue()
    demand.refresh_from_db()

    demand_reassign(demand=demand, actor=district_admin, unit=city.west, reason="转西社区")

    assert Demand.objects.get(pk=demand.pk).escalated_at is None


def test_the_command_and_the_task_escalate_the_same_way(city: City, district_admin: User) -> None:
    first = make_demand(city.east, by=district_admin, until=Status.ASSIGNED)
    second = make_demand(city.east, by=district_admin, until=Status.ASSIGNED)
    _overdue(first)
    out = StringIO()

    call_command("escalate_overdue_demands", stdout=out)
    assert "1 overdue demand(s) escalated" in out.getvalue()

    _overdue(second)
    assert escalate_overdue_demands_task.call() == 1

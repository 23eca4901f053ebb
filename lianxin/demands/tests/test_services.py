"""Handling a demand: accept or turn away, assign with a deadline, handle, resolve or close."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.selectors import event_list_for
from lianxin.core.workdays import add_working_days
from lianxin.demands.models import Demand
from lianxin.demands.selectors.handling import access_demand, demand_list_visible_to, demand_to_accept, demand_to_handle
from lianxin.demands.services.handling import (
    demand_accept,
    demand_assign,
    demand_close_unresolvable,
    demand_reassign,
    demand_reject,
    demand_resolve,
    demand_step,
)
from lianxin.demands.tests.factories import make_demand

Status = Demand.Status


def _verbs(demand: Demand) -> list[str]:
    return [e.verb for e in event_list_for(demand).order_by("at", "id")]


def _unchanged(demand: Demand, status: str, events: list[str]) -> bool:
    """The demand is still in `status` with only the `events` it had before."""
    return Demand.objects.get(pk=demand.pk).status == status and _verbs(demand) == events


class TestAccepting:
    def test_the_collector_accepts_a_submitted_demand(self, city: City, branch_secretary: User) -> None:
        demand = make_demand(city.east, by=branch_secretary)

        demand_accept(demand=demand, actor=branch_secretary)

        demand.refresh_from_db()
        assert demand.status == Status.ACCEPTED and demand.accepted_at is not None
        assert _verbs(demand) == ["collected", "accepted"]

    def test_an_admin_of_another_organization_cannot_accept(
        self, city: City, branch_secretary: User, district_admin: User
    ) -> None:
        demand = make_demand(city.west, by=district_admin)

        with pytest.raises(ValidationError, match="not allowed"):
            demand_accept(demand=demand, actor=branch_secretary)
        assert Demand.objects.get(pk=demand.pk).status == Status.SUBMITTED

    def test_accepting_twice_is_refused_by_the_state_machine(self, city: City, branch_secretary: User) -> None:
        demand = make_demand(city.east, by=branch_secretary, until=Status.ACCEPTED)

        with pytest.raises(ValidationError, match="is accepted and cannot become accepted"):
            demand_accept(demand=demand, actor=branch_secretary)
        assert _verbs(demand) == ["collected", "accepted"]


class TestTurningAway:
    def test_not_ours_needs_a_reason_and_keeps_it(self, city: City, branch_secretary: User) -> None:
        demand = make_demand(city.east, by=branch_secretary)

        with pytest.raises(ValidationError, match="Say why the demand is turned away"):
            demand_reject(demand=demand, actor=branch_secretary, kind=Status.NOT_OURS, reason=" ")
        assert Demand.objects.get(pk=demand.pk).status == Status.SUBMITTED

        demand_reject(demand=demand, actor=branch_secretary, kind=Status.NOT_OURS, reason="属于市场监管部门")
        demand.refresh_from_db()
        assert demand.status == Status.NOT_OURS and demand.reason == "属于市场监管部门"

    def test_a_duplicate_points_to_another_open_demand(self, city: City, branch_secretary: User) -> None:
        original = make_demand(city.east, by=branch_secretary)
        demand = make_demand(city.east, by=branch_secretary)

        demand_reject(
            demand=demand, actor=branch_secretary, kind=Status.DUPLICATE, reason="同一件事", duplicate_of=original
        )

        demand.refresh_from_db()
        assert demand.status == Status.DUPLICATE and demand.duplicate_of == original

    @pytest.mark.parametrize("case", ["missing", "itself", "closed", "unknown_kind"])
    def test_a_bad_duplicate_is_refused_and_nothing_changes(self, city: City, district_admin: User, case: str) -> None:
        demand = make_demand(city.east, by=district_admin)
        closed = make_demand(city.east, by=district_admin, until=Status.NOT_OURS)
        original, kind, message = {
            "missing": (None, Status.DUPLICATE, "Say which demand this one duplicates."),
            "itself": (demand, Status.DUPLICATE, "A demand cannot duplicate itself."),
            "closed": (closed, Status.DUPLICATE, f"Demand {closed.pk} is no longer open"),
            "unknown_kind": (None, "spam", "Unknown way to turn a demand away: spam."),
        }[case]

        before = _verbs(demand)
        with pytest.raises(ValidationError, match=message):
            demand_reject(demand=demand, actor=district_admin, kind=kind, reason="重复", duplicate_of=original)
        assert _unchanged(demand, Status.SUBMITTED, before)

    def test_an_assigned_demand_cannot_become_not_ours(self, city: City, branch_secretary: User) -> None:
        demand = make_demand(city.east, by=branch_secretary, until=Status.ASSIGNED)

        with pytest.raises(ValidationError, match="cannot become not ours"):
            demand_reject(demand=demand, actor=branch_secretary, kind=Status.NOT_OURS, reason="不归我们管")
        assert Demand.objects.get(pk=demand.pk).status == Status.ASSIGNED


class TestAssigning:
    def test_the_deadline_defaults_to_the_categorys_working_days(self, city: City, district_admin: User) -> None:
        demand = make_demand(city.east, by=district_admin, until=Status.ACCEPTED, category="safety")

        demand_assign(demand=demand, actor=district_admin, unit=city.west)

        demand.refresh_from_db()
        assert demand.status == Status.ASSIGNED and demand.responsible_unit == city.west
        assert demand.deadline == add_working_days(timezone.localdate(), 2)
        event = event_list_for(demand).first()
        assert event is not None
        assert event.data["unit"] == city.west.name

    def test_a_deadline_can_be_given_as_a_date(self, city: City, branch_secretary: User) -> None:
        demand = make_demand(city.east, by=branch_secretary, until=Status.ACCEPTED)
        due = timezone.localdate() + timedelta(days=10)

        demand_assign(demand=demand, actor=branch_secretary, unit=city.east, deadline=due)

        assert Demand.objects.get(pk=demand.pk).deadline == due

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"deadline": timezone.localdate() - timedelta(days=1)}, "is in the past"),
            ({"days": 0}, "Give at least one working day"),
        ],
    )
    def test_a_bad_deadline_is_refused_and_nothing_is_written(
        self, city: City, branch_secretary: User, kwargs: dict[str, Any], message: str
    ) -> None:
        demand = make_demand(city.east, by=branch_secretary, until=Status.ACCEPTED)

        before = _verbs(demand)
        with pytest.raises(ValidationError, match=message):
            demand_assign(demand=demand, actor=branch_secretary, unit=city.east, **kwargs)
        assert _unchanged(demand, Status.ACCEPTED, before)
        assert Demand.objects.get(pk=demand.pk).responsible_unit is None

    def test_an_inactive_unit_is_refused(self, city: City, district_admin: User) -> None:
        demand = make_demand(city.east, by=district_admin, until=Status.ACCEPTED)
        city.west.status = city.west.Status.DISSOLVED
        city.west.save(update_fields=["status"])

        before = _verbs(demand)
        with pytest.raises(ValidationError, match="no longer active"):
            demand_assign(demand=demand, actor=district_admin, unit=city.west)
        assert _unchanged(demand, Status.ACCEPTED, before)

    def test_a_submitted_demand_must_be_accepted_first(self, city: City, branch_secretary: User) -> None:
        demand = make_demand(city.east, by=branch_secretary)

        before = _verbs(demand)
        with pytest.raises(ValidationError, match="cannot become being handled"):
            demand_assign(demand=demand, actor=branch_secretary, unit=city.east)
        assert _unchanged(demand, Status.SUBMITTED, before)

    def test_reassigning_keeps_the_demand_being_handled_with_a_new_unit_and_deadline(
        self, city: City, district_admin: User
    ) -> None:
        demand = make_demand(city.east, by=district_admin, until=Status.ASSIGNED)

        demand_reassign(demand=demand, actor=district_admin, unit=city.west, reason="属于西社区", days=3)

        demand.refresh_from_db()
        assert demand.status == Status.ASSIGNED and demand.responsible_unit == city.west
        assert demand.deadline == add_working_days(timezone.localdate(), 3)
        event = event_list_for(demand).first()
        assert event is not None
        assert event.verb == "reassigned" and event.data["from"] == city.east.name and event.note == "属于西社区"

    @pytest.mark.parametrize(
        ("unit", "reason", "message"), [("east", "换一个", "already with"), ("west", "", "Say why the demand goes")]
    )
    def test_a_bad_reassignment_is_refused(
        self, city: City, district_admin: User, unit: str, reason: str, message: str
    ) -> None:
        demand = make_demand(city.east, by=district_admin, until=Status.ASSIGNED)

        before = _verbs(demand)
        with pytest.raises(ValidationError, match=message):
            demand_reassign(demand=demand, actor=district_admin, unit=getattr(city, unit), reason=reason)
        assert Demand.objects.get(pk=demand.pk).responsible_unit == city.east
        assert _unchanged(demand, Status.ASSIGNED, before)


class TestHandling:
    def test_the_units_handler_records_steps_and_resolves(
        self, city: City, district_admin: User, handler: User
    ) -> None:
        demand = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west)

        demand_step(demand=demand, actor=handler, note="电话联系了居民，约好明天上门")
        demand_resolve(demand=demand, actor=handler, resolution="更换了路灯")

        demand.refresh_from_db()
        assert demand.status == Status.RESOLVED and demand.resolution == "更换了路灯" and demand.resolved_at
        assert _verbs(demand)[-2:] == ["step", "resolved"]

    def test_resolving_needs_what_was_done(self, city: City, district_admin: User, handler: User) -> None:
        demand = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west)

        before = _verbs(demand)
        with pytest.raises(ValidationError, match="Say what was done to resolve"):
            demand_resolve(demand=demand, actor=handler, resolution="")
        assert _unchanged(demand, Status.ASSIGNED, before)

    def test_the_collector_of_another_branch_cannot_resolve_for_the_unit(
        self, city: City, district_admin: User, branch_secretary: User
    ) -> None:
        demand = make_demand(city.west, by=district_admin, until=Status.ASSIGNED, unit=city.west)

        before = _verbs(demand)
        with pytest.raises(ValidationError, match="not allowed"):
            demand_resolve(demand=demand, actor=branch_secretary, resolution="已处理")
        assert _unchanged(demand, Status.ASSIGNED, before)

    def test_a_step_needs_a_note_and_an_open_demand(self, city: City, branch_secretary: User) -> None:
        demand = make_demand(city.east, by=branch_secretary, until=Status.RESOLVED)

        with pytest.raises(ValidationError, match=r"'Say what was done\.'"):
            demand_step(demand=demand, actor=branch_secretary, note=" ")
        with pytest.raises(ValidationError, match="while the demand is being handled"):
            demand_step(demand=demand, actor=branch_secretary, note="再去看看")
        assert "step" not in _verbs(demand)

    def test_closing_as_unresolvable_needs_an_explanation_and_is_not_resolved(
        self, city: City, branch_secretary: User
    ) -> None:
        demand = make_demand(city.east, by=branch_secretary, until=Status.ASSIGNED)

        with pytest.raises(ValidationError, match="Explain why"):
            demand_close_unresolvable(demand=demand, actor=branch_secretary, explanation="")
        demand_close_unresolvable(demand=demand, actor=branch_secretary, explanation="需要市级规划调整")

        demand.refresh_from_db()
        assert demand.status == Status.UNRESOLVABLE and demand.status not in Demand.RESOLVED_STATUSES
        assert demand.reason == "需要市级规划调整" and demand.closed_at is not None

    def test_of_two_resolutions_at_once_one_wins_and_the_other_is_told(
        self, city: City, branch_secretary: User
    ) -> None:
        demand = make_demand(city.east, by=branch_secretary, until=Status.ASSIGNED)
        stale = Demand.objects.get(pk=demand.pk)
        demand_resolve(demand=demand, actor=branch_secretary, resolution="第一次")

        with pytest.raises(ValidationError, match="just been changed by someone else"):
            demand_resolve(demand=stale, actor=branch_secretary, resolution="第二次")
        assert Demand.objects.get(pk=demand.pk).resolution == "第一次"


class TestScoping:
    def test_a_demand_outside_ones_scope_is_not_found(
        self, city: City, city_admin: User, district_admin: User, branch_secretary: User, handler: User
    ) -> None:
        demand = make_demand(city.other_branch, by=None)

        assert access_demand(city_admin, demand.pk) == demand
        with pytest.raises(Http404):
            access_demand(district_admin, demand.pk)
        with pytest.raises(Http404):
            access_demand(branch_secretary, demand.pk)
        with pytest.raises(Http404):
            access_demand(handler, demand.pk)

    def test_a_handler_sees_demands_assigned_to_units_in_their_scope(
        self, city: City, city_admin: User, handler: User
    ) -> None:
        demand = make_demand(city.other_branch, by=city_admin, until=Status.ASSIGNED, unit=city.east)

        assert access_demand(handler, demand.pk) == demand
        assert list(demand_to_handle(user=handler)) == [demand]
        assert list(demand_list_visible_to(user=handler)) == [demand]

    def test_the_acceptance_queue_holds_the_admins_collected_demands(
        self, city: City, branch_secretary: User, district_admin: User
    ) -> None:
        mine = make_demand(city.east, by=branch_secretary)
        make_demand(city.west, by=district_admin)

        assert list(demand_to_accept(user=branch_secretary)) == [mine]
        assert demand_to_accept(user=district_admin).count() == 2

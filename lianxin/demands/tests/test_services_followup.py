"""The follow-up with the resident (回访): once per round; unsatisfied sends it back."""

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.selectors import event_list_for
from lianxin.demands.models import Demand, FollowUp
from lianxin.demands.services.followup import demand_follow_up
from lianxin.demands.services.handling import demand_resolve
from lianxin.demands.tests.factories import make_demand

Status = Demand.Status
Satisfaction = Demand.Satisfaction


@pytest.mark.parametrize("result", [Satisfaction.SATISFIED, Satisfaction.BASIC])
def test_a_satisfied_answer_recorded_by_the_collector_closes_the_demand(
    city: City, branch_secretary: User, result: str
) -> None:
    demand = make_demand(city.east, by=branch_secretary, until=Status.RESOLVED)

    follow_up = demand_follow_up(demand=demand, actor=branch_secretary, result=result, comment="挺好")

    demand.refresh_from_db()
    assert demand.status == Status.CLOSED and demand.satisfaction == result and demand.closed_at
    assert follow_up.round == 1 and not follow_up.by_resident and follow_up.recorded_by == branch_secretary


def test_the_resident_answers_with_the_lookup_code_without_an_account(city: City, branch_secretary: User) -> None:
    demand = make_demand(city.east, by=branch_secretary, until=Status.RESOLVED)

    follow_up = demand_follow_up(
        demand=demand, actor=None, result=Satisfaction.SATISFIED, lookup_code=demand.lookup_code.lower()
    )

    assert follow_up.by_resident and follow_up.recorded_by is None
    event = event_list_for(demand).first()
    assert event is not None and event.verb == "followed_up"


def test_an_unsatisfied_answer_sends_the_demand_back_with_a_new_deadline_and_counts_it(
    city: City, branch_secretary: User
) -> None:
    demand = make_demand(city.east, by=branch_secretary, until=Status.RESOLVED)

    demand_follow_up(demand=demand, actor=branch_secretary, result=Satisfaction.UNSATISFIED, comment="灯又坏了")

    demand.refresh_from_db()
    assert demand.status == Status.ASSIGNED and demand.rework_count == 1
    assert demand.satisfaction == Satisfaction.UNSATISFIED and demand.deadline is not None
    event = event_list_for(demand).first()
    assert event is not None and event.verb == "sent_back"

    demand_resolve(demand=demand, actor=branch_secretary, resolution="换了新灯具")
    second = demand_follow_up(demand=demand, actor=branch_secretary, result=Satisfaction.SATISFIED)
    assert second.round == 2 and Demand.objects.get(pk=demand.pk).status == Status.CLOSED


def test_a_second_follow_up_for_the_same_round_is_refused_and_nothing_is_written(
    city: City, branch_secretary: User
) -> None:
    demand = make_demand(city.east, by=branch_secretary, until=Status.RESOLVED)
    stale = Demand.objects.get(pk=demand.pk)
    demand_follow_up(demand=demand, actor=branch_secretary, result=Satisfaction.SATISFIED)

    for copy in (demand, stale):
        with pytest.raises(ValidationError, match="already been followed up for this round"):
            demand_follow_up(demand=copy, actor=branch_secretary, result=Satisfaction.UNSATISFIED)
    assert FollowUp.objects.filter(demand=demand).count() == 1
    assert Demand.objects.get(pk=demand.pk).status == Status.CLOSED


@pytest.mark.parametrize(
    ("until", "result", "message"),
    [
        (Status.ASSIGNED, Satisfaction.SATISFIED, "Only a resolved demand can be followed up."),
        (Status.RESOLVED, "delighted", "Unknown follow-up result delighted."),
    ],
)
def test_a_follow_up_at_the_wrong_time_or_with_an_unknown_result_is_refused(
    city: City, branch_secretary: User, until: str, result: str, message: str
) -> None:
    demand = make_demand(city.east, by=branch_secretary, until=until)

    with pytest.raises(ValidationError, match=message):
        demand_follow_up(demand=demand, actor=branch_secretary, result=result)
    assert not FollowUp.objects.exists() and Demand.objects.get(pk=demand.pk).status == until


def test_a_wrong_lookup_code_or_a_stranger_is_refused(city: City, branch_secretary: User, district_admin: User) -> None:
    demand = make_demand(city.west, by=district_admin, until=Status.RESOLVED)

    with pytest.raises(ValidationError, match="not allowed"):
        demand_follow_up(demand=demand, actor=None, result=Satisfaction.SATISFIED, lookup_code="WRONG123")
    with pytest.raises(ValidationError, match="not allowed"):
        demand_follow_up(demand=demand, actor=branch_secretary, result=Satisfaction.SATISFIED)
    assert not FollowUp.objects.exists() and Demand.objects.get(pk=demand.pk).status == Status.RESOLVED

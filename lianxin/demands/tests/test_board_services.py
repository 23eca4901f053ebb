"""Public summaries: a reviewer of the collecting organization clears what the public board shows."""

import pytest
from django.core.exceptions import ValidationError

from conftest import City, Role, _user
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.core.selectors import event_list_for
from lianxin.demands.models import Demand
from lianxin.demands.selectors.board import can_review_summary, summary_review_queue
from lianxin.demands.services.board import demand_summary_review, looks_personal, summary_suggestion
from lianxin.demands.services.followup import demand_follow_up
from lianxin.demands.tests.factories import make_demand

pytestmark = pytest.mark.django_db

Status = Demand.Status


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("已联系张桂兰，路灯修好", "name"),
        ("回访电话13912345678", "mobile"),
        ("回访电话139 1234 5678", "mobile"),
        ("回访电话139-1234-5678", "mobile"),
        ("回访电话１３９１２３４５６７８", "mobile"),
        ("身份证号330902198001011234已核实", "id_number"),
        ("身份证号33090219800101123X已核实", "id_number"),
        ("更换了两盏路灯，12345工单已办结", ""),
        ("维修费用20240101元以内", ""),
        ("社区联系电话0580-2012345", ""),
    ],
)
def test_looks_personal_names_the_kind_of_personal_data_a_text_holds(text: str, kind: str) -> None:
    assert looks_personal(text, "张桂兰") == kind


def test_a_one_character_name_is_not_looked_for_since_it_would_match_ordinary_words() -> None:
    assert looks_personal("王家门口的路修好了", "王") == ""


def test_the_suggestion_masks_the_residents_name_and_numbers_in_what_was_done(city: City, district_admin: User) -> None:
    # given a resolution that names the resident and quotes her phone
    demand = make_demand(city.east, by=district_admin, until=Status.RESOLVED)
    demand.resolution = "已电话告知张桂兰（13912345678），路灯已更换"
    # then the suggested summary keeps what was done without her name or number
    suggestion = summary_suggestion(demand)
    assert "张桂兰" not in suggestion and "13912345678" not in suggestion
    assert "路灯已更换" in suggestion and "张**" in suggestion and "139****5678" in suggestion
    assert looks_personal(suggestion, demand.submitter_name) == ""


def test_a_reviewer_clears_the_summary_of_a_resolved_demand_and_it_is_on_the_timeline(
    city: City, district_admin: User, branch_secretary: User
) -> None:
    # given a demand collected by the east community and resolved
    demand = make_demand(city.east, by=district_admin, until=Status.RESOLVED)
    assert can_review_summary(branch_secretary, demand)
    assert list(summary_review_queue(user=branch_secretary)) == [demand]
    # when the community's admin writes the public summary
    demand_summary_review(demand=demand, actor=branch_secretary, summary="  南门两盏路灯已更换，夜间照明恢复。 ")
    # then it is stored, stamped with who cleared it, and on the timeline
    demand.refresh_from_db()
    assert demand.public_summary == "南门两盏路灯已更换，夜间照明恢复。"
    assert demand.summary_reviewed_by == branch_secretary and demand.summary_reviewed_at is not None
    event = event_list_for(demand).first()
    assert event is not None and event.verb == "summary_reviewed"
    assert list(summary_review_queue(user=branch_secretary)) == []
    assert list(summary_review_queue(user=branch_secretary, reviewed=True)) == [demand]


def test_a_closed_demand_that_was_followed_up_can_be_reviewed_too(city: City, district_admin: User) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.CLOSED)
    demand_summary_review(demand=demand, actor=district_admin, summary="路灯已更换。")
    demand.refresh_from_db()
    assert demand.public_summary == "路灯已更换。"


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("   ", "Write the summary the public will read."),
        ("已回访张桂兰，路灯修好", "The summary contains the resident's name; remove it before it is published."),
        ("回访电话13912345678", "The summary contains a mobile number; remove it before it is published."),
        ("核实身份证330902198001011234", "The summary contains an ID number; remove it before it is published."),
        ("长" * 501, "Keep the summary within 500 characters."),
    ],
)
def test_a_summary_that_is_empty_too_long_or_personal_is_refused_and_nothing_is_written(
    city: City, district_admin: User, summary: str, message: str
) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.RESOLVED)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        demand_summary_review(demand=demand, actor=district_admin, summary=summary)
    assert refused.value.messages == [message]
    demand.refresh_from_db()
    assert demand.public_summary == "" and demand.summary_reviewed_at is None
    assert Event.objects.count() == events


def test_an_open_demand_has_no_summary_to_review(city: City, district_admin: User) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.ASSIGNED)
    with pytest.raises(ValidationError) as refused:
        demand_summary_review(demand=demand, actor=district_admin, summary="路灯已更换。")
    assert refused.value.code == "forbidden"
    demand.refresh_from_db()
    assert demand.summary_reviewed_at is None


def test_only_admins_of_the_collecting_organization_review_its_summaries(
    city: City, district_admin: User, handler: User, resident: User
) -> None:
    # given a demand collected by the west community (outside the east secretary's subtree)
    demand = make_demand(city.west, by=district_admin, until=Status.RESOLVED)
    east_admin = _user("east_admin", Role.ORG_ADMIN, city.east)
    for outsider in (east_admin, handler, resident):
        assert not can_review_summary(outsider, demand)
        with pytest.raises(ValidationError):
            demand_summary_review(demand=demand, actor=outsider, summary="路灯已更换。")
    demand.refresh_from_db()
    assert demand.summary_reviewed_at is None


def test_a_demand_sent_back_meanwhile_is_not_cleared_by_a_review_of_the_stale_page(
    city: City, district_admin: User
) -> None:
    # given a resolved demand the reviewer opened
    demand = make_demand(city.east, by=district_admin, until=Status.RESOLVED)
    stale = Demand.objects.select_related("organization").get(pk=demand.pk)
    # when the resident answers "unsatisfied" before the review is saved
    demand_follow_up(demand=demand, actor=district_admin, result=Demand.Satisfaction.UNSATISFIED, comment="还是不亮")
    # then the review is refused: the demand is being handled again
    with pytest.raises(ValidationError) as refused:
        demand_summary_review(demand=stale, actor=district_admin, summary="路灯已更换。")
    assert refused.value.code == "conflict"
    demand.refresh_from_db()
    assert demand.status == Status.ASSIGNED and demand.summary_reviewed_at is None

"""The public board: a period's figures and the reviewed items, nobody's name or phone, and the
review pages behind it."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.core.periods import Period
from lianxin.demands.models import Demand
from lianxin.demands.tests.factories import make_demand
from lianxin.demands.tests.factories_board import dated, make_reviewed

pytestmark = pytest.mark.django_db

Status = Demand.Status


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    cache.clear()


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _in_last_month(offset: int = 3) -> date:
    return Period.last_month().start + timedelta(days=offset)


def test_the_board_shows_last_months_figures_and_only_reviewed_items_without_names_or_phones(
    client: Client, city: City, district_admin: User
) -> None:
    # given last month: one reviewed resolved demand, one resolved but not reviewed, one still open
    day = _in_last_month()
    make_reviewed(city.east, by=district_admin, summary="南门两盏路灯已更换。", collected=day, resolved=day)
    hidden = make_demand(city.east, by=district_admin, until=Status.RESOLVED, title="未审核的诉求")
    dated(hidden, collected=day, resolved=day)
    dated(make_demand(city.east, by=district_admin, until=Status.ASSIGNED), collected=day)
    # when anyone opens the board without choosing a period
    response = client.get(reverse("demands:board"))
    page = response.content.decode()
    # then it speaks for the whole city last month: three collected, two resolved, 66.67%
    assert response.status_code == 200
    stats = response.context["board_body"]
    assert "66.67%" in stats and "2 / 3 = 66.67%" in page
    # and it lists the reviewed summary only, never a title, a description, a name or a phone
    assert "南门两盏路灯已更换。" in page
    assert page.count('class="board-item"') == 1
    for private in ("未审核的诉求", "小区门口路灯不亮", "幸福小区南门", "张桂兰", "13912345678", "5678"):
        assert private not in page


def test_the_board_narrows_to_an_organization_or_an_area_and_a_period(
    client: Client, city: City, district_admin: User, city_admin: User
) -> None:
    day = _in_last_month()
    make_reviewed(city.east, by=district_admin, summary="东社区的路灯修好了。", collected=day, resolved=day)
    make_reviewed(city.other_branch, by=city_admin, summary="渔村码头护栏已加固。", collected=day, resolved=day)
    # an organization's subtree
    page = client.get(reverse("demands:board"), {"org": "D2"}).content.decode()
    assert "渔村码头护栏已加固。" in page and "东社区的路灯修好了。" not in page
    # an area's subtree
    page = client.get(reverse("demands:board"), {"area": city.east.area.code}).content.decode()
    assert "东社区的路灯修好了。" in page and "渔村码头护栏已加固。" not in page
    # a period that holds neither
    earlier = Period.month(2020, 1)
    response = client.get(reverse("demands:board"), {"from": earlier.start.isoformat(), "to": earlier.end.isoformat()})
    assert response.context["period"] == earlier
    assert 'class="board-item"' not in response.content.decode()


def test_an_item_sent_back_for_rehandling_leaves_the_board(client: Client, city: City, district_admin: User) -> None:
    from lianxin.demands.services.followup import demand_follow_up

    today = date.today()
    demand = make_reviewed(city.east, by=district_admin, summary="路灯已更换。", collected=today, resolved=today)
    params = {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}
    assert "路灯已更换。" in client.get(reverse("demands:board"), params).content.decode()
    demand_follow_up(demand=demand, actor=district_admin, result=Demand.Satisfaction.UNSATISFIED)
    assert "路灯已更换。" not in client.get(reverse("demands:board"), params).content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-13-01", "to": "2026-12-31"}, "Enter a valid date."),
        ({"from": "2026-10-31", "to": "2026-10-01"}, "The period ends before it begins."),
        ({"from": "2026-10-01"}, "Give both the first and the last day of the period."),
        ({"org": "NOPE"}, "NOPE is not one you can choose here."),
        ({"area": "NOPE"}, "NOPE is not one you can choose here."),
    ],
)
def test_a_bad_period_or_code_is_answered_clearly(
    client: Client, city: City, params: dict[str, str], message: str
) -> None:
    response = client.get(reverse("demands:board"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_board_costs_a_fixed_number_of_queries_and_one_when_cached(
    client: Client, city: City, district_admin: User
) -> None:
    day = _in_last_month()
    for n in range(3):
        make_reviewed(city.east, by=district_admin, summary=f"第{n}件已办结。", collected=day, resolved=day)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("demands:board"))
    for n in range(3, 12):
        make_reviewed(city.west, by=district_admin, summary=f"第{n}件已办结。", collected=day, resolved=day)
    with CaptureQueriesContext(connection) as many:
        fresh = client.get(reverse("demands:board"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert fresh.content.decode().count('class="board-item"') == 12
    with CaptureQueriesContext(connection) as cached:
        again = client.get(reverse("demands:board"))
    assert len(cached.captured_queries) == 1
    assert again.context["board_body"] == fresh.context["board_body"]


def test_a_new_review_shows_on_the_cached_board_at_once(client: Client, city: City, district_admin: User) -> None:
    day = _in_last_month()
    make_reviewed(city.east, by=district_admin, summary="第一件。", collected=day, resolved=day)
    assert "第二件。" not in client.get(reverse("demands:board")).content.decode()
    make_reviewed(city.east, by=district_admin, summary="第二件。", collected=day, resolved=day)
    assert "第二件。" in client.get(reverse("demands:board")).content.decode()


# ---------------------------------------------------------------------- the review pages


def test_the_review_queue_lists_resolved_demands_in_scope_waiting_for_a_summary(
    client: Client, city: City, district_admin: User, branch_secretary: User
) -> None:
    east = make_demand(city.east, by=district_admin, until=Status.RESOLVED, title="东边的诉求")
    make_demand(city.west, by=district_admin, until=Status.RESOLVED, title="西边的诉求")
    make_demand(city.east, by=district_admin, until=Status.ASSIGNED, title="还在办的诉求")
    page = _as(client, branch_secretary).get(reverse("demands:review_queue")).content.decode()
    assert "东边的诉求" in page and "西边的诉求" not in page and "还在办的诉求" not in page
    assert reverse("demands:summary_review", args=[east.pk]) in page


def test_the_review_pages_are_not_found_for_people_without_an_organization_in_their_care(
    client: Client, city: City, district_admin: User, resident: User, handler: User
) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.RESOLVED)
    for user in (resident, handler):
        _as(client, user)
        assert client.get(reverse("demands:review_queue")).status_code == 404
        assert client.get(reverse("demands:summary_review", args=[demand.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("demands:review_queue")).status_code == 302


def test_a_reviewer_clears_a_summary_from_its_page_starting_from_a_masked_suggestion(
    client: Client, city: City, district_admin: User, branch_secretary: User
) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.RESOLVED)
    Demand.objects.filter(pk=demand.pk).update(resolution="已告知张桂兰13912345678，路灯已更换")
    url = reverse("demands:summary_review", args=[demand.pk])
    form = _as(client, branch_secretary).get(url).context["form"]
    assert form.initial["summary"] == "已告知张**139****5678，路灯已更换"
    response = client.post(url, {"summary": "南门路灯已更换。"})
    assert response.status_code == 302 and response["Location"] == reverse("demands:review_queue")
    demand.refresh_from_db()
    assert demand.public_summary == "南门路灯已更换。" and demand.summary_reviewed_by == branch_secretary


def test_a_personal_summary_is_refused_on_the_page_and_nothing_is_written(
    client: Client, city: City, district_admin: User
) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.RESOLVED)
    events = Event.objects.count()
    response = _as(client, district_admin).post(
        reverse("demands:summary_review", args=[demand.pk]), {"summary": "张桂兰家门口路灯已更换"}
    )
    assert response.status_code == 200
    assert "The summary contains the resident&#x27;s name" in response.content.decode()
    demand.refresh_from_db()
    assert demand.summary_reviewed_at is None and Event.objects.count() == events


def test_a_summary_page_of_an_open_demand_is_not_found(client: Client, city: City, district_admin: User) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.ASSIGNED)
    response = _as(client, district_admin).get(reverse("demands:summary_review", args=[demand.pk]))
    assert response.status_code == 404

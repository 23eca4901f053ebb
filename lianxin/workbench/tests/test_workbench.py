"""The workbench: each role sees only its cards, and every count is the count of the list it links to."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.activities.selectors.planning import activities_to_record
from lianxin.activities.tests.factories import make_activity
from lianxin.community.selectors.reports import report_queue
from lianxin.community.tests.factories import make_report
from lianxin.demands.models import Demand
from lianxin.demands.selectors.handling import demand_to_accept, demand_to_follow_up, demand_to_handle
from lianxin.demands.tests.factories import make_demand
from lianxin.members.models import Member
from lianxin.members.selectors.development import applicants_waiting_for_talk
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization
from lianxin.volunteering.models import Order
from lianxin.volunteering.selectors.orders import order_inbox_for_leader, order_inbox_for_owner
from lianxin.volunteering.tests.factories import leader_of, make_item, make_leader, make_order, make_team
from lianxin.wishes.selectors import wish_review_queue
from lianxin.wishes.tests.factories import make_member_user, make_wish
from lianxin.workbench.selectors import staff_waiting

pytestmark = pytest.mark.django_db

S = Demand.Status


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> str:
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _tiles(html: str) -> dict[str, int]:
    """The counts the page shows, by the name of what they count."""
    found = re.findall(r'data-waiting="([\w-]+)"><strong class="tile-n">(\d+)</strong>', html)
    return {key: int(n) for key, n in found}


def _overdue(demand: Demand) -> None:
    Demand.objects.filter(pk=demand.pk).update(deadline=timezone.localdate() - timedelta(days=2))


def _applicant(branch: Organization, *, applied_days_ago: int) -> Member:
    return make_member(
        branch,
        category=Member.Category.APPLICANT,
        applied_on=timezone.localdate() - timedelta(days=applied_days_ago),
        activist_on=None,
        candidate_on=None,
        joined_on=None,
        full_on=None,
    )


def _arrange_waiting(city: City, admin: User, resident: User) -> None:
    """One of each thing that waits in 东社区, and the same again in 渔村 (another district)."""
    for branch in (city.east, city.other_branch):
        make_demand(branch, by=admin)  # to accept
        make_demand(branch, by=admin, until=S.ASSIGNED, days=5)  # to handle, in time
        _overdue(make_demand(branch, by=admin, until=S.ASSIGNED, days=5))  # to handle, overdue
        make_demand(branch, by=admin, until=S.RESOLVED)  # to follow up
        make_demand(branch, by=admin, until=S.CLOSED)  # done: waits for nobody
        make_order(make_item(make_team(branch)), ordered_by=resident)  # to dispatch
        make_wish(branch, posted_by=resident)  # to review
        make_activity(branch, planner=admin, starts_at=timezone.now() - timedelta(hours=1))  # to record
        make_activity(branch, planner=admin, held=True)  # recorded already
        _applicant(branch, applied_days_ago=90)  # waits for the talk a month after applying
    make_report(make_member_user(city.west, "walker"), city.east)  # to approve, in 东社区
    make_report(make_member_user(city.west, "rower"), city.other_branch)  # to approve, in 渔村


def test_the_city_admin_sees_every_count_of_the_city_each_the_size_of_its_list(
    client: Client, city: City, city_admin: User, resident: User
) -> None:
    _arrange_waiting(city, city_admin, resident)
    tiles = _tiles(_as(client, city_admin))
    today = timezone.localdate()
    lists = {
        "demands-to-accept": demand_to_accept(user=city_admin),
        "demands-to-handle": demand_to_handle(user=city_admin),
        "follow-ups": demand_to_follow_up(user=city_admin),
        "activities-to-record": activities_to_record(user=city_admin),
        "talks-due": applicants_waiting_for_talk(user=city_admin, organization=None, today=today),
        "orders-to-dispatch": order_inbox_for_owner(user=city_admin),
        "wishes-to-review": wish_review_queue(user=city_admin),
    }
    for key, rows in lists.items():
        assert tiles[key] == rows.count() == (4 if key == "demands-to-handle" else 2), key
    pending = [r for r in report_queue(user=city_admin) if r.status == "pending"]
    assert tiles["reports-to-approve"] == len(pending) == 2
    assert tiles["reviews-due"] == tiles["full-membership-due"] == 0
    assert len(tiles) == 10
    waiting = staff_waiting(user=city_admin)
    assert waiting is not None and waiting.demands_to_handle.overdue == 2


def test_the_branch_secretary_counts_only_their_branch_and_the_overdue_demand_is_marked(
    client: Client, city: City, city_admin: User, branch_secretary: User, resident: User
) -> None:
    _arrange_waiting(city, city_admin, resident)
    html = _as(client, branch_secretary)
    tiles = _tiles(html)
    assert tiles["demands-to-accept"] == demand_to_accept(user=branch_secretary).count() == 1
    assert tiles["demands-to-handle"] == demand_to_handle(user=branch_secretary).count() == 2
    assert tiles["follow-ups"] == 1
    assert tiles["orders-to-dispatch"] == order_inbox_for_owner(user=branch_secretary).count() == 1
    assert tiles["wishes-to-review"] == 1
    pending = [r for r in report_queue(user=branch_secretary) if r.status == "pending"]
    assert tiles["reports-to-approve"] == len(pending) == 1
    assert tiles["activities-to-record"] == 1
    assert tiles["talks-due"] == 1
    assert "overdue 1" in html
    assert f'href="{reverse("demands:inbox")}#to-handle"' in html


def test_a_handler_sees_the_demands_of_their_unit_by_deadline_and_nothing_of_an_admin(
    client: Client, city: City, city_admin: User, handler: User
) -> None:
    _overdue(make_demand(city.east, by=city_admin, until=S.ASSIGNED, unit=city.district, days=5))
    make_demand(city.east, by=city_admin, until=S.ASSIGNED, unit=city.district, days=5)
    make_demand(city.other_branch, by=city_admin, until=S.ASSIGNED, unit=city.other_district, days=5)
    html = _as(client, handler)
    assert _tiles(html) == {"demands-to-handle": 2}
    assert demand_to_handle(user=handler).count() == 2
    assert "overdue 1" in html
    assert "Organizational life" not in html and "My branch" not in html


def test_a_team_leader_counts_the_orders_of_their_teams_to_accept_or_serve(
    client: Client, city: City, resident: User
) -> None:
    item = make_item(make_team(city.east, leader=make_leader("captain")))
    make_order(item, ordered_by=resident, until=Order.Status.DISPATCHED)
    make_order(item, ordered_by=resident, until=Order.Status.ACCEPTED)
    make_order(item, ordered_by=resident, until=Order.Status.SERVED)
    make_order(make_item(make_team(city.other_branch)), ordered_by=resident, until=Order.Status.DISPATCHED)
    leader = leader_of(item.team)
    tiles = _tiles(_as(client, leader))
    assert tiles == {"team-orders": 2, "team-sessions": 0}
    assert order_inbox_for_leader(user=leader).count() == 2


def test_a_resident_gets_their_own_pages_and_the_public_ones_but_no_count(client: Client, resident: User) -> None:
    html = _as(client, resident)
    assert _tiles(html) == {}
    for name in (
        "demands:mine",
        "demands:claim",
        "residents:me",
        "wishes:mine",
        "volunteering:order_mine",
        "volunteering:my_bookings",
    ):
        assert f'href="{reverse(name)}"' in html
    assert "Residents' demands" not in html and "My branch" not in html


def test_a_visitor_gets_the_public_entry_points_and_a_way_to_log_in(client: Client, db: None) -> None:
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "volunteering:menu",
        "wishes:wall",
        "demands:board",
        "demands:submit",
        "volunteering:tour_list",
        "volunteering:appointment_list",
        "accounts:login",
    ):
        assert f'href="{reverse(name)}"' in html


def test_a_member_sees_their_branch_next_meeting_on_the_workbench_and_a_link_in_the_navigation(
    client: Client, city: City, member_user: User, branch_secretary: User
) -> None:
    in_three_days = timezone.now() + timedelta(days=3)
    make_activity(city.east, planner=branch_secretary, title="十二月主题党日", starts_at=in_three_days)
    make_activity(city.west, planner=_west_admin(city), title="西社区党课")
    html = _as(client, member_user)
    assert "十二月主题党日" in html and "西社区党课" not in html
    assert html.count(f'href="{reverse("workbench:my_branch")}"') == 2  # the navigation and the card
    assert _tiles(html) == {}


def _west_admin(city: City) -> User:
    user = user_create(username="west_admin", password=PASSWORD, display_name="west_admin")
    given_role(user=user, role=RoleAssignment.Role.ORG_ADMIN, organization=city.west)
    return user


def test_the_admins_workbench_costs_a_fixed_number_of_queries(
    client: Client,
    city: City,
    city_admin: User,
    resident: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    _arrange_waiting(city, city_admin, resident)
    assert client.login(username=city_admin.username, password=PASSWORD)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(reverse("home")).status_code == 200


# The session, the account, its roles; one count per tile (the demands to handle and their overdue part are one,
# the probation extensions' lengths one more); the next activities; the account's roster record; the bell's count.
QUERIES = 17


def test_activities_to_record_lists_what_the_count_counts_and_is_for_admins_only(
    client: Client, city: City, city_admin: User, branch_secretary: User, resident: User
) -> None:
    _arrange_waiting(city, city_admin, resident)
    assert client.login(username=branch_secretary.username, password=PASSWORD)
    html = client.get(reverse("workbench:activities_to_record")).content.decode()
    shown = re.findall(r'href="/activities/(\d+)/"', html)
    assert [int(pk) for pk in shown] == [a.pk for a in activities_to_record(user=branch_secretary)]
    assert len(shown) == 1
    client.logout()
    assert client.login(username=resident.username, password=PASSWORD)
    assert client.get(reverse("workbench:activities_to_record")).status_code == 404

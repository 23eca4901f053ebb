"""Teams, volunteers and service items; the public menu's filters; team suggestions for dispatch."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import browse_scope
from lianxin.organizations.models import Area
from lianxin.organizations.tests.factories import make_area
from lianxin.volunteering.models import Order, ServiceItem, Team, TeamMembership
from lianxin.volunteering.selectors.catalogue import MenuFilters, menu_items, team_suggestions
from lianxin.volunteering.services.catalogue import (
    item_create,
    item_update,
    team_create,
    team_member_add,
    team_member_remove,
    team_update,
)
from lianxin.volunteering.tests.factories import category, make_item, make_leader, make_order, make_team

pytestmark = pytest.mark.django_db


def test_an_admin_sets_up_a_team_and_its_leader_gets_the_team_leader_role(city: City, district_admin: User) -> None:
    leader = make_leader("captain")
    team = team_create(
        actor=district_admin,
        organization=city.east,
        name="东社区红马甲服务队",
        leader=leader,
        areas=[city.east.area],
        categories=[category("medical"), category("public_welfare")],
    )
    assert team.leader == leader and team.categories.count() == 2
    assert leader.roles.filter(role=RoleAssignment.Role.TEAM_LEADER, organization=city.east).exists()
    assert browse_scope(leader).contains(city.east.path)


def test_a_team_outside_ones_scope_cannot_be_set_up(city: City, branch_secretary: User) -> None:
    with pytest.raises(ValidationError, match="not allowed to manage this team"):
        team_create(actor=branch_secretary, organization=city.west, name="西社区服务队")
    assert not Team.objects.exists()


def test_a_team_needs_a_name(city: City, district_admin: User) -> None:
    with pytest.raises(ValidationError, match="Give the team a name"):
        team_create(actor=district_admin, organization=city.east, name="  ")
    assert not Team.objects.exists()


def test_a_corps_groups_teams_but_not_other_corps(city: City, district_admin: User) -> None:
    corps = make_team(city.district, actor=district_admin, kind=Team.Kind.CORPS, name="城区志愿服务总队")
    team = make_team(city.district, actor=district_admin, corps=corps)
    assert list(corps.teams.all()) == [team]
    with pytest.raises(ValidationError, match="cannot belong to another corps"):
        make_team(city.district, actor=district_admin, kind=Team.Kind.CORPS, corps=corps)
    with pytest.raises(ValidationError, match="is not a general service corps"):
        make_team(city.district, actor=district_admin, corps=team)
    assert Team.objects.count() == 2


def test_a_corps_still_grouping_teams_keeps_its_kind(city: City, district_admin: User) -> None:
    corps = make_team(city.district, actor=district_admin, kind=Team.Kind.CORPS)
    make_team(city.district, actor=district_admin, corps=corps)
    with pytest.raises(ValidationError, match="still groups teams"):
        team_update(team=corps, actor=district_admin, name=corps.name, kind=Team.Kind.TEAM, leader=None)
    corps.refresh_from_db()
    assert corps.kind == Team.Kind.CORPS


def test_volunteers_join_once_and_leave_with_the_record_kept(city: City, district_admin: User) -> None:
    team = make_team(city.district, actor=district_admin)
    volunteer = make_leader("volunteer")
    team_member_add(team=team, actor=district_admin, user=volunteer)
    with pytest.raises(ValidationError, match="already in this team"):
        team_member_add(team=team, actor=district_admin, user=volunteer)
    team_member_remove(team=team, actor=district_admin, user=volunteer)
    membership = TeamMembership.objects.get()
    assert membership.left_on == timezone.localdate()
    with pytest.raises(ValidationError, match="is not in this team"):
        team_member_remove(team=team, actor=district_admin, user=volunteer)


def test_a_stranger_cannot_add_volunteers(city: City, district_admin: User, resident: User) -> None:
    team = make_team(city.district, actor=district_admin)
    with pytest.raises(ValidationError, match="not allowed"):
        team_member_add(team=team, actor=resident, user=resident)
    assert not TeamMembership.objects.exists()


def test_the_leader_puts_a_service_on_the_menu(city: City, district_admin: User) -> None:
    leader = make_leader()
    team = make_team(city.district, actor=district_admin, leader=leader)
    item = item_create(actor=leader, team=team, category=category("free_clinic"), title="社区义诊")
    assert item.is_active and item.category.parent.code == "medical"  # type: ignore[union-attr]


def test_an_item_needs_a_title_and_a_category_in_use(city: City, district_admin: User) -> None:
    team = make_team(city.district, actor=district_admin)
    with pytest.raises(ValidationError, match="Say what the service is"):
        item_create(actor=district_admin, team=team, category=category(), title=" ")
    retired = category("massage")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError, match="no longer in use"):
        item_create(actor=district_admin, team=team, category=retired, title="按摩")
    assert not ServiceItem.objects.exists()


def _menu(**filters: Any) -> set[str]:
    return {i.title for i in menu_items(filters=MenuFilters(**filters))}


@pytest.fixture
def menu_city(city: City, district_admin: User) -> dict[str, Any]:
    """A district team serving 城区; an island team; a community-only item; a city-wide team."""
    town = make_area(name="东港街道", kind=Area.Kind.TOWN, parent=city.district.area)
    street = make_area(name="东港社区", kind=Area.Kind.COMMUNITY, parent=town)
    district_team = make_team(city.district, actor=district_admin, areas=[city.district.area])
    make_item(district_team, title="城区义诊")
    make_item(district_team, title="东港法律咨询", category_code="legal_advice", areas=[street])
    island_team = make_team(city.other_district, areas=[city.other_district.area])
    make_item(island_team, title="海岛义诊")
    city_team = make_team(city.root, areas=[city.city_area])
    make_item(city_team, title="全市防汛预警", category_code="flood_warning")
    return {"town": town, "street": street}


def test_the_public_menu_filters_by_category_and_its_sub_kinds(menu_city: dict[str, Any]) -> None:
    assert _menu(category=category("medical")) == {"城区义诊", "海岛义诊"}
    assert _menu(category=category("public_welfare")) == {"东港法律咨询"}


def test_an_area_filter_means_that_area_or_anything_below_it(city: City, menu_city: dict[str, Any]) -> None:
    # The district: its team's items, the item of a community below it, and the city-wide service.
    assert _menu(area=city.district.area) == {"城区义诊", "东港法律咨询", "全市防汛预警"}
    assert _menu(area=city.other_district.area) == {"海岛义诊", "全市防汛预警"}


def test_an_item_without_areas_serves_wherever_its_team_serves(menu_city: dict[str, Any]) -> None:
    # 东港街道 lies in 城区: the district team's item (no areas of its own) serves it.
    assert "城区义诊" in _menu(area=menu_city["town"])
    assert "海岛义诊" not in _menu(area=menu_city["town"])


def test_items_off_the_menu_or_of_inactive_teams_are_not_shown(city: City, district_admin: User) -> None:
    team = make_team(city.district, actor=district_admin)
    item = make_item(team, title="旧服务", actor=district_admin)
    item_update(item=item, actor=district_admin, category=item.category, title=item.title, is_active=False)
    other = make_team(city.district, actor=district_admin)
    make_item(other, title="停用队的服务", actor=district_admin)
    team_update(team=other, actor=district_admin, name=other.name, kind=other.kind, leader=None, is_active=False)
    assert _menu() == set()


def test_suggestions_rank_teams_by_category_area_and_load_and_say_why(
    city: City, district_admin: User, resident: User
) -> None:
    medical = make_team(city.district, actor=district_admin, name="医疗队", categories=[category("medical")])
    busy = make_team(city.district, actor=district_admin, name="忙碌医疗队", categories=[category("medical")])
    make_team(city.district, actor=district_admin, name="环保队", categories=[category("ecology")], areas=[])
    make_team(city.other_district, name="海岛医疗队", categories=[category("medical")])
    item = make_item(medical)
    busy_item = make_item(busy)
    for _ in range(2):
        make_order(busy_item, ordered_by=resident, until=Order.Status.ACCEPTED, dispatcher=district_admin)
    order = make_order(item, ordered_by=resident)
    suggestions = team_suggestions(order)
    assert [s.team.name for s in suggestions] == ["医疗队", "忙碌医疗队"]
    first, second = suggestions
    assert first.reasons == ["offers 医疗卫生", "serves 城区", "offers this service on the menu", "0 open orders"]
    assert second.open_orders == 2 and "2 open orders" in second.reasons

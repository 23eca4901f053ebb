"""The dashboard of an area (行政区域): the Party organizations seated in it and in the areas under it,
within the viewer's scope, counted as an organization's subtree is (ADR 20)."""

import pytest
from django.test import Client

from conftest import City
from lianxin.accounts.models import User
from lianxin.dashboards.tests.factories import YEAR_QUERY, logged_in_english, make_service_record
from lianxin.organizations.models import Area

pytestmark = pytest.mark.django_db

_as = logged_in_english


def _numbers(client: Client, query: str) -> dict[str, object]:
    page = client.get(f"/figures/dashboard/?{query}&{YEAR_QUERY}")
    assert page.status_code == 200, query
    return {m.name: n for found in page.context["board"].groups for m, n in found.items()}


def _district_area(city: City) -> Area:
    area: Area = city.district.area
    return area


def test_an_area_counts_the_organizations_seated_in_it(client: Client, city: City, city_admin: User) -> None:
    make_service_record(city)
    _as(client, city_admin)
    district = _numbers(client, "org=D1")
    assert district["volunteer-participations"] == 4, "the record is the district's"
    # 城区's organizations are D1 and its branches; the city's area holds every organization
    assert _numbers(client, f"area={_district_area(city).code}") == district
    assert _numbers(client, f"area={city.city_area.code}") == _numbers(client, "org=ROOT")


def test_an_areas_children_are_its_areas_each_opening_its_rows(client: Client, city: City, city_admin: User) -> None:
    make_service_record(city)
    page = _as(client, city_admin).get(f"/figures/dashboard/?area={city.city_area.code}&{YEAR_QUERY}")
    board = page.context["board"]
    assert [child.name for child, _numbers in board.comparison] == ["城区", "岛县"]
    by_child = {child.code: dict((m.name, n) for m, n in numbers) for child, numbers in board.comparison}
    district = _district_area(city).code
    assert by_child[district]["volunteer-participations"] == 4
    html = page.content.decode()
    assert f'href="?area={district}&amp;from=2025-01-01&amp;to=2025-12-31"' in html
    assert "/briefings/new/" not in html, "a briefing is written of an organization"
    rows = client.get(f"/figures/dashboard/volunteer-participations/?area={district}&{YEAR_QUERY}")
    assert rows.status_code == 200 and rows.context["page"].paginator.count == 4
    # the whole city's compliance board is an organization's: an area has none
    quarter = client.get(f"/figures/dashboard/?area={district}&from=2025-04-01&to=2025-06-30").context["board"]
    numbers = {m.name: n for found in quarter.groups for m, n in found.items()}
    assert numbers["compliance-rate"] is None


def test_an_area_counts_only_the_organizations_the_viewer_may_see(
    client: Client, city: City, district_admin: User, branch_secretary: User, member_user: User
) -> None:
    make_service_record(city)
    _as(client, district_admin)
    assert _numbers(client, f"area={city.city_area.code}") == _numbers(client, "org=D1")
    client.logout()
    _as(client, branch_secretary)
    assert _numbers(client, f"area={_district_area(city).code}") == _numbers(client, "org=D1E")
    client.logout()
    _as(client, member_user)
    assert client.get(f"/figures/dashboard/?area={city.city_area.code}&{YEAR_QUERY}").status_code == 404
    assert client.get(f"/api/v1/figures?area={city.city_area.code}").status_code == 404


def test_an_unknown_area_is_not_found(client: Client, city: City, city_admin: User) -> None:
    _as(client, city_admin)
    assert client.get(f"/figures/dashboard/?area=NOWHERE&{YEAR_QUERY}").status_code == 404
    assert client.get(f"/figures/dashboard/volunteers/?area=NOWHERE&{YEAR_QUERY}").status_code == 404
    assert client.get("/api/v1/figures?area=NOWHERE").status_code == 404


def test_the_api_counts_an_area_as_the_page_does(client: Client, city: City, city_admin: User) -> None:
    make_service_record(city)
    _as(client, city_admin)
    area = _district_area(city).code
    body = client.get(f"/api/v1/figures?area={area}&{YEAR_QUERY}").json()
    assert body["area"] is True and body["organization_code"] == area
    found = {f["name"]: f["value"] for f in body["figures"]}
    assert found["volunteer-participations"] == 4
    rows = client.get(f"/api/v1/figures/volunteer-participations/rows?area={area}&{YEAR_QUERY}").json()
    assert rows["count"] == 4 and len(rows["items"]) == 4

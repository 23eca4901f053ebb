"""The organizations API answers within the caller's scope, with session or token."""

import pytest
from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.services import api_token_create
from lianxin.core.tallies import tallies_refresh
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_a_token_lists_the_organizations_in_scope(client: Client, district_admin: User, city: City) -> None:
    _token, value = api_token_create(user=district_admin, name="台账同步")
    response = client.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {value}")
    assert response.status_code == 200
    codes = {o["code"] for o in response.json()["items"]}
    assert codes == {"D1", "D1E", "D1W"}


def test_without_credentials_the_api_answers_401(client: Client, city: City) -> None:
    assert client.get("/api/v1/organizations").status_code == 401


def test_a_revoked_or_unknown_token_is_refused(client: Client, city: City) -> None:
    assert client.get("/api/v1/organizations", HTTP_AUTHORIZATION="Bearer lx_nope").status_code == 401


def test_an_organization_out_of_scope_is_not_found(client: Client, branch_secretary: User, city: City) -> None:
    client.login(username="branch_secretary", password=PASSWORD)
    assert client.get(f"/api/v1/organizations/{city.west.pk}").status_code == 404
    assert client.get(f"/api/v1/organizations/{city.east.pk}").status_code == 200


def test_the_detail_carries_member_counts(client: Client, city_admin: User, city: City) -> None:
    make_member(city.east)
    tallies_refresh()
    client.login(username="city_admin", password=PASSWORD)
    body = client.get(f"/api/v1/organizations/{city.district.pk}").json()
    assert body["members_total"] == 1 and body["members_direct"] == 0


def test_organizations_filter_by_subtree_and_name(client: Client, city_admin: User, city: City) -> None:
    client.login(username="city_admin", password=PASSWORD)
    body = client.get("/api/v1/organizations", {"under": "D2"}).json()
    assert {o["code"] for o in body["items"]} == {"D2", "D2V"}
    body = client.get("/api/v1/organizations", {"q": "西社区"}).json()
    assert [o["code"] for o in body["items"]] == ["D1W"]


def test_the_openapi_schema_is_published(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/members" in schema["paths"]
    assert "/api/v1/organizations" in schema["paths"]

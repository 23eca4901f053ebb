"""The honours API: scoped like the pages; the public notice needs no login and shows nothing private."""

from datetime import date

import pytest
from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.honours.services.nominations import nomination_create
from lianxin.honours.tests.helpers import OM, old_member, open_round

pytestmark = pytest.mark.django_db


def _as(client: Client, user: User) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the warnings read as their msgids
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_rounds_and_nominations_are_scoped_to_the_subtree(
    client: Client, city: City, city_admin: User, district_admin: User
) -> None:
    mine = open_round(district_admin, city.district)
    other = open_round(city_admin, city.other_district)
    member = old_member(city.east, full_on=date(2000, 1, 1))
    nomination_create(actor=district_admin, round=mine, nominated_by=city.district, kind=OM, member=member, deeds="x")
    _as(client, district_admin)

    rounds = client.get("/api/v1/honours/rounds").json()
    nominations = client.get(f"/api/v1/honours/rounds/{mine.pk}/nominations").json()

    assert [r["id"] for r in rounds["items"]] == [mine.pk]
    assert nominations["items"][0]["warnings"] == ["no confirmation that no disciplinary action is in force"]
    assert client.get(f"/api/v1/honours/rounds/{other.pk}/nominations").status_code == 404


def test_the_medal_list_through_the_api_is_scoped(client: Client, city: City, branch_secretary: User) -> None:
    due = old_member(city.east, full_on=date(1976, 7, 1))
    missing = old_member(city.east, full_on=None)
    _as(client, branch_secretary)

    rows = client.get("/api/v1/honours/medals", {"year": 2026}).json()

    assert {(r["id"], r["state"]) for r in rows} == {(due.pk, "not_issued"), (missing.pk, "needs_checking")}
    assert client.get("/api/v1/honours/medals", {"org": "D2"}).status_code == 404
    assert client.get("/api/v1/honours/medals", {"year": 1900}).status_code == 422


def test_a_round_not_in_publicity_has_no_public_notice(client: Client, city: City, district_admin: User) -> None:
    round_ = open_round(district_admin, city.district)

    assert client.get(f"/api/v1/honours/public/{round_.pk}").status_code == 404
    assert client.get("/api/v1/honours/rounds").status_code == 401

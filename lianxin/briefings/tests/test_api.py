"""Briefings through the API: listed and returned as JSON in the caller's scope only."""

import re

import pytest
from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.briefings.models import Briefing
from lianxin.briefings.services import briefing_draft, briefing_publish
from lianxin.briefings.tests.factories import make_briefing, make_month, recent_days

pytestmark = pytest.mark.django_db


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def two(city: City, district_admin: User, branch_secretary: User) -> tuple[Briefing, Briefing]:
    """A published briefing of 城区 and a draft of 东社区党支部."""
    make_month(city, district_admin)
    district = briefing_publish(actor=district_admin, briefing=make_briefing(city, district_admin))
    period = recent_days()
    branch = briefing_draft(
        actor=branch_secretary,
        organization=city.east,
        starts_on=period.start,
        ends_on=period.end,
        template="july_first",
    )
    return district, branch


def test_the_list_holds_the_briefings_of_the_callers_subtrees(
    client: Client, district_admin: User, branch_secretary: User, two: tuple[Briefing, Briefing]
) -> None:
    district, branch = two
    listed = _as(client, district_admin).get("/api/v1/briefings").json()
    assert listed["count"] == 2 and {b["id"] for b in listed["items"]} == {district.pk, branch.pk}
    first = next(b for b in listed["items"] if b["id"] == district.pk)
    assert first["organization_code"] == "D1" and first["status"] == "published"
    assert (first["from"], first["to"]) == (str(district.starts_on), str(district.ends_on))
    drafts = client.get("/api/v1/briefings?status=draft").json()
    assert [b["id"] for b in drafts["items"]] == [branch.pk]
    client.logout()
    mine = _as(client, branch_secretary).get("/api/v1/briefings").json()
    assert [b["id"] for b in mine["items"]] == [branch.pk]


def test_a_briefing_comes_with_its_text_and_each_number_it_used(
    client: Client, district_admin: User, two: tuple[Briefing, Briefing]
) -> None:
    district, _branch = two
    found = _as(client, district_admin).get(f"/api/v1/briefings/{district.pk}")
    assert found.status_code == 200
    body = found.json()
    assert body["title"] == district.title and body["published_at"]
    lectures = next(s for s in body["sections"] if s["heading"] == "支部书记讲党课")
    assert any("累计举办党课2场次" in p for p in lectures["paragraphs"])
    figure = lectures["figures"][0]
    assert figure["measure"] == "activities-party_lecture" and figure["value"] == 2 and figure["phrase"] == "2场次"
    assert figure["organization_code"] == "D1" and figure["from"] == str(district.starts_on)
    # published: the number opens its rows as they stood then (two lectures kept)
    assert re.fullmatch(rf"/briefings/{district.pk}/figures/\d+/", figure["rows_url"]) and figure["rows_kept"] == 2


def test_a_briefing_outside_the_callers_scope_is_not_found(
    client: Client, branch_secretary: User, member_user: User, two: tuple[Briefing, Briefing]
) -> None:
    district, branch = two
    _as(client, branch_secretary)
    assert client.get(f"/api/v1/briefings/{district.pk}").status_code == 404
    assert client.get(f"/api/v1/briefings/{branch.pk}").status_code == 200
    client.logout()
    _as(client, member_user)
    assert client.get("/api/v1/briefings").json()["count"] == 0
    assert client.get(f"/api/v1/briefings/{branch.pk}").status_code == 404
    client.logout()
    assert client.get("/api/v1/briefings").status_code == 401

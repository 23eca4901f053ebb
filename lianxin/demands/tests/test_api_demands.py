"""The demands API: the list a caller may see, one demand, its timeline and the figures."""

from datetime import date

import pytest
from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.models import Demand
from lianxin.demands.tests.factories import make_demand
from lianxin.demands.tests.factories_stats import bulk, demand_row

pytestmark = pytest.mark.django_db

S = Demand.Status
IN_YEAR = date(2025, 6, 1)
YEAR = "from=2025-01-01&to=2025-12-31"


@pytest.fixture(autouse=True)
def english_messages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_list_holds_what_the_caller_may_see_with_the_phone_masked(
    client: Client, city: City, district_admin: User
) -> None:
    mine = make_demand(city.east, by=district_admin)
    make_demand(city.other_branch, by=None)

    body = _as(client, district_admin).get("/api/v1/demands").json()

    assert [d["id"] for d in body["items"]] == [mine.pk]
    item = body["items"][0]
    assert item["submitter_phone"] == "139****5678"
    assert "13912345678" not in str(body)
    assert item["organization_code"] == "D1E"
    assert item["category"] == "facilities"
    assert item["status"] == "submitted"


def test_the_list_filters_by_status_category_source_unit_and_words(
    client: Client, city: City, district_admin: User
) -> None:
    handled = make_demand(city.east, by=district_admin, until=S.ASSIGNED, unit=city.west)
    make_demand(city.east, by=district_admin, title="广场舞噪音扰民", category="noise")
    _as(client, district_admin)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/demands?{query}")
        assert response.status_code == 200, response.content
        return [d["id"] for d in response.json()["items"]]

    assert ids("status=assigned") == [handled.pk]
    assert len(ids("status=assigned,submitted")) == 2
    assert len(ids("category=noise")) == 1
    assert ids("unit=D1W") == [handled.pk]
    assert len(ids("q=广场舞")) == 1
    assert len(ids("source=staff")) == 2
    assert ids("org=D2") == []


def test_the_list_is_paginated(client: Client, city: City, district_admin: User) -> None:
    bulk([demand_row(city.east) for _ in range(55)])
    _as(client, district_admin)

    first = client.get("/api/v1/demands").json()
    second = client.get("/api/v1/demands?page=2").json()

    assert first["count"] == 55
    assert (len(first["items"]), len(second["items"])) == (50, 5)


def test_bad_list_filters_are_refused_clearly(client: Client, city: City, district_admin: User) -> None:
    _as(client, district_admin)

    for query, message in (
        ("status=lost", "Unknown status lost."),
        ("category=nope", "Unknown demand category nope."),
        ("source=fax", "There is no demand source “fax”."),
        ("unit=NOPE", "There is no organization or area with the code “NOPE”."),
        ("from=2025-02-30", "is not a date"),
        ("from=2025-06-01&to=2025-01-01", "The period ends before it starts."),
    ):
        response = client.get(f"/api/v1/demands?{query}")
        assert response.status_code == 422, query
        assert message in response.json()["detail"], query


def test_one_demand_and_its_timeline(client: Client, city: City, district_admin: User) -> None:
    demand = make_demand(city.east, by=district_admin, until=S.RESOLVED, unit=city.west)
    _as(client, district_admin)

    one = client.get(f"/api/v1/demands/{demand.pk}").json()
    timeline = client.get(f"/api/v1/demands/{demand.pk}/timeline").json()

    assert one["status"] == "resolved"
    assert one["responsible_unit_code"] == "D1W"
    assert one["submitter_phone"] == "139****5678"
    assert [e["to_state"] for e in timeline if e["to_state"]][:3] == ["resolved", "assigned", "accepted"]
    assert all(e["actor"] == "district_admin" for e in timeline)


def test_a_demand_out_of_scope_is_not_found(client: Client, city: City, branch_secretary: User) -> None:
    elsewhere = make_demand(city.other_branch, by=None)
    _as(client, branch_secretary)

    assert client.get(f"/api/v1/demands/{elsewhere.pk}").status_code == 404
    assert client.get(f"/api/v1/demands/{elsewhere.pk}/timeline").status_code == 404
    assert client.get("/api/v1/demands/999999").status_code == 404


def test_a_handler_sees_the_demands_of_units_in_reach(
    client: Client, city: City, district_admin: User, handler: User
) -> None:
    handled = make_demand(city.other_branch, by=None)
    assigned = make_demand(city.east, by=district_admin, until=S.ASSIGNED, unit=city.west)
    _as(client, handler)

    assert [d["id"] for d in client.get("/api/v1/demands").json()["items"]] == [assigned.pk]
    assert client.get(f"/api/v1/demands/{handled.pk}").status_code == 404


def test_the_stats_give_the_issues_fields_and_the_formula(client: Client, city: City, district_admin: User) -> None:
    # Given the seed 001 figures in small: 97 of 108 resolved (seed 002), plus a duplicate and a not-ours
    original = bulk([demand_row(city.east, status=S.RESOLVED) for _ in range(97)], IN_YEAR)[0]
    bulk(
        [
            demand_row(city.east, status=S.ASSIGNED, responsible_unit=city.east, deadline=date(2025, 6, 3))
            for _ in range(11)
        ],
        IN_YEAR,
    )
    bulk(
        [demand_row(city.east, status=S.DUPLICATE, duplicate_of=original), demand_row(city.east, status=S.NOT_OURS)],
        IN_YEAR,
    )

    response = _as(client, district_admin).get(f"/api/v1/demands/stats?org=D1&{YEAR}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "organization_code",
        "organization_name",
        "from",
        "to",
        "collected",
        "accepted",
        "resolved",
        "closed_unresolved",
        "duplicates",
        "not_ours",
        "overdue",
        "resolution_rate",
        "resolution_formula",
        "on_time_rate",
        "satisfaction_rate",
    }
    assert body["collected"] == 110
    assert (body["resolved"], body["duplicates"], body["not_ours"]) == (97, 1, 1)
    assert body["accepted"] == 108
    assert body["overdue"] == 11
    assert body["resolution_rate"] == 89.81
    assert body["resolution_formula"] == "97 / 108 = 89.81%"
    assert body["satisfaction_rate"] is None
    assert (body["from"], body["to"]) == ("2025-01-01", "2025-12-31")


def test_the_stats_refuse_a_bad_date_or_a_reversed_period(client: Client, city: City, district_admin: User) -> None:
    _as(client, district_admin)

    bad = client.get("/api/v1/demands/stats?org=D1&from=2025-13-01&to=2025-12-31")
    reversed_ = client.get("/api/v1/demands/stats?org=D1&from=2025-06-01&to=2025-01-01")
    narrowed = client.get(f"/api/v1/demands/stats?org=D1&{YEAR}&category=nope")

    assert bad.status_code == 422 and "is not a date" in bad.json()["detail"]
    assert reversed_.status_code == 422 and reversed_.json()["detail"] == "The period ends before it starts."
    assert narrowed.status_code == 422 and "nope" in narrowed.json()["detail"]


def test_the_stats_of_a_subtree_out_of_scope_are_not_found(
    client: Client, city: City, branch_secretary: User, handler: User
) -> None:
    _as(client, branch_secretary)
    for code in ("D1", "D1W", "D2", "NOPE"):
        assert client.get(f"/api/v1/demands/stats?org={code}&{YEAR}").status_code == 404, code
    assert client.get(f"/api/v1/demands/stats?org=D1E&{YEAR}").status_code == 200

    client.logout()
    _as(client, handler)
    assert client.get(f"/api/v1/demands/stats?org=D1&{YEAR}").status_code == 404


def test_the_api_asks_a_visitor_to_authenticate(client: Client, city: City) -> None:
    assert client.get("/api/v1/demands").status_code == 401
    assert client.get(f"/api/v1/demands/stats?org=D1&{YEAR}").status_code == 401

"""GET /api/v1/figures and /api/v1/figures/{name}/rows: every registered figure with its definition,
the same numbers as the service figures, the rows behind each, scoped like the pages."""

import pytest
from django.test import Client

from conftest import City
from lianxin.accounts.models import User
from lianxin.dashboards.tests.factories import YEAR_QUERY, logged_in_english, make_service_record

pytestmark = pytest.mark.django_db

YEAR = YEAR_QUERY
_as = logged_in_english


def test_every_registered_figure_comes_with_its_definition_and_the_service_figures_numbers(
    client: Client, city: City, district_admin: User
) -> None:
    make_service_record(city)
    data = _as(client, district_admin).get(f"/api/v1/figures?org=D1&{YEAR}").json()
    assert (data["organization_code"], data["from"], data["to"]) == ("D1", "2025-01-01", "2025-12-31")
    figures = {f["name"]: f for f in data["figures"]}
    assert {"party-members", "activities-held", "volunteer-participations", "demands-collected"} <= set(figures)
    service = client.get(f"/api/v1/service-figures?org=D1&{YEAR}").json()
    assert figures["volunteer-participations"]["value"] == service["participations"] == 4
    assert figures["volunteers"]["value"] == service["volunteers"] == 2
    assert figures["volunteer-hours"]["value"] == service["signup_hours"]
    assert figures["wishes-fulfilled"]["value"] == service["wishes_fulfilled"]
    assert figures["community-reports-made"]["value"] == service["reports_by_home"]
    assert figures["volunteers"]["definition"].startswith("Distinct people")
    assert figures["volunteers"]["unit"] == "people" and figures["volunteers"]["group"] == "volunteering"


def test_the_rows_of_a_figure_are_as_many_as_it_counts(client: Client, city: City, district_admin: User) -> None:
    make_service_record(city)
    _as(client, district_admin)
    figures = {f["name"]: f for f in client.get(f"/api/v1/figures?org=D1&{YEAR}").json()["figures"]}
    for name in ("volunteer-participations", "volunteers", "wishes-posted", "community-reports-received"):
        rows = client.get(f"/api/v1/figures/{name}/rows?org=D1&{YEAR}").json()
        assert rows["count"] == len(rows["items"]) == figures[name]["value"], name
        keys = [c["key"] for c in rows["columns"]]
        assert all(list(item) == keys for item in rows["items"]), name


def test_out_of_scope_unknown_and_bad_requests_are_refused_without_saying_more(
    client: Client, city: City, branch_secretary: User
) -> None:
    make_service_record(city)
    _as(client, branch_secretary)
    assert client.get(f"/api/v1/figures?org=D1E&{YEAR}").status_code == 200
    for code in ("D1", "D2", "ROOT", "NOPE"):
        assert client.get(f"/api/v1/figures?org={code}&{YEAR}").status_code == 404, code
        assert client.get(f"/api/v1/figures/volunteers/rows?org={code}&{YEAR}").status_code == 404, code
    assert client.get(f"/api/v1/figures/popularity/rows?org=D1E&{YEAR}").status_code == 404
    bad = client.get("/api/v1/figures?org=D1E&from=2025-06-01&to=2025-01-01")
    assert bad.status_code == 422 and bad.json()["detail"] == "The period ends before it starts."
    assert client.get(f"/api/v1/figures/volunteers/rows?org=D1E&{YEAR}&page=0").status_code == 422
    assert client.get(f"/api/v1/figures/volunteers/rows?org=D1E&{YEAR}&page=x").status_code == 422


def test_no_figures_without_a_roster_role_nor_without_logging_in(
    client: Client, city: City, member_user: User, resident: User
) -> None:
    assert client.get(f"/api/v1/figures?org=D1E&{YEAR}").status_code == 401
    for user in (member_user, resident):
        client.logout()
        assert _as(client, user).get(f"/api/v1/figures?org=D1E&{YEAR}").status_code == 404

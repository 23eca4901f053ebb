"""The figures page, its drill-downs and the API: same numbers, same scope, personal numbers masked."""

import dataclasses
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.dashboards import figures as f
from lianxin.dashboards.figures import ROWS
from lianxin.dashboards.tests.factories import make_service_record

pytestmark = pytest.mark.django_db

YEAR = "from=2025-01-01&to=2025-12-31"


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _figures_url(code: str) -> str:
    return f"{reverse('dashboards:service_figures')}?org={code}&{YEAR}"


def _rows_url(figure: str, code: str = "D1", extra: str = "") -> str:
    return f"{reverse('dashboards:service_figure_rows', args=[figure])}?org={code}&{YEAR}{extra}"


def test_a_district_admin_sees_the_districts_figures_each_linking_to_its_rows(
    client: Client, city: City, district_admin: User
) -> None:
    make_service_record(city)
    response = _as(client, district_admin).get(_figures_url("D1"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.sessions_held == 3 and figures.beneficiaries == 212
    html = response.content.decode()
    for key in ROWS:
        assert f"/figures/rows/{key}/?org=D1&amp;from=2025-01-01&amp;to=2025-12-31" in html, key
    assert "How these figures are counted" in html
    # the two branches below are offered, with the same period
    assert "?org=D1E&amp;from=2025-01-01&amp;to=2025-12-31" in html


def test_every_drilldown_page_lists_exactly_the_rows_its_figure_counts(
    client: Client, city: City, city_admin: User
) -> None:
    make_service_record(city)
    _as(client, city_admin)
    figures = client.get(_figures_url("D1")).context["figures"]
    expected = {
        "sessions": figures.sessions_held,
        "participations": figures.participations,
        "volunteers": figures.volunteers,
        "session-beneficiaries": 2,
        "served-orders": figures.orders_served,
        "tour-stops": figures.tour_stops,
        "service-records": figures.service_records,
        "orders": figures.orders_placed,
        "orders-rated": figures.orders_by_state["rated"],
        "orders-unrated": figures.orders_by_state["unrated"],
        "rated-orders": figures.rated_orders,
        "wishes-posted": figures.wishes_posted,
        "wishes-claimed": figures.wishes_claimed,
        "wishes-fulfilled": figures.wishes_fulfilled,
        "reports-by-community": figures.reports_by_community,
        "reports-by-home": figures.reports_by_home,
        "post-claims": figures.post_claims,
    }
    for key, count in expected.items():
        response = client.get(_rows_url(key))
        assert response.status_code == 200, key
        page = response.context["page"]
        assert page.paginator.count == count, key
        assert len(page.object_list) == count, key


def test_the_volunteers_drilldown_gives_each_persons_participations_and_hours(
    client: Client, city: City, city_admin: User
) -> None:
    record = make_service_record(city)
    page = _as(client, city_admin).get(_rows_url("volunteers")).context["page"]
    totals = {u.pk: (u.figure_totals["n"], u.figure_totals["hours"]) for u in page.object_list}
    assert totals == {record.volunteer_one.pk: (2, Decimal("3.5")), record.volunteer_two.pk: (2, Decimal("5"))}


def test_drilldowns_mask_phone_numbers_and_beneficiary_names(client: Client, city: City, city_admin: User) -> None:
    make_service_record(city)
    _as(client, city_admin)
    people = client.get(_rows_url("participations")).content.decode()
    assert "赵志愿" in people and "139****5678" in people
    assert "13912345678" not in people and "13987654321" not in people
    wishes = client.get(_rows_url("wishes-posted")).content.decode()
    assert "王**" in wishes and "王秀英" not in wishes and "13912345678" not in wishes


def test_a_drilldown_is_paginated(client: Client, city: City, city_admin: User) -> None:
    make_service_record(city)
    response = _as(client, city_admin).get(_rows_url("participations", extra="&page=9"))
    assert response.status_code == 200
    assert response.context["page"].number == 1  # only one page: a page past the end shows the last one


def test_a_branch_secretary_cannot_open_the_district_above_nor_a_sibling(
    client: Client, city: City, branch_secretary: User
) -> None:
    make_service_record(city)
    _as(client, branch_secretary)
    assert client.get(_figures_url("D1E")).status_code == 200
    for code in ("D1", "D1W", "D2", "ROOT"):
        assert client.get(_figures_url(code)).status_code == 404, code
        assert client.get(_rows_url("sessions", code)).status_code == 404, code
        assert client.get(f"/api/v1/service-figures?org={code}&{YEAR}").status_code == 404, code


def test_people_without_a_roster_role_find_no_figures(
    client: Client, city: City, member_user: User, handler: User, resident: User
) -> None:
    for user in (member_user, handler, resident):
        client.logout()
        _as(client, user)
        assert client.get(_figures_url("D1E")).status_code == 404
        assert client.get(reverse("dashboards:service_figures")).status_code == 404
        assert client.get(f"/api/v1/service-figures?org=D1E&{YEAR}").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, city: City) -> None:
    response = client.get(_figures_url("D1"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/service-figures?org=D1&{YEAR}").status_code == 401


def test_an_unknown_figure_is_not_found(client: Client, city: City, city_admin: User) -> None:
    assert _as(client, city_admin).get(_rows_url("popularity")).status_code == 404


def test_a_bad_date_says_what_is_wrong_and_shows_no_figures(client: Client, city: City, district_admin: User) -> None:
    _as(client, district_admin)
    response = client.get(f"{reverse('dashboards:service_figures')}?org=D1&from=2025-02-30&to=2025-12-31")
    assert response.status_code == 400
    assert "First day: “2025-02-30” is not a date; write it as YYYY-MM-DD." in response.content.decode()
    assert "figures" not in response.context
    rows = client.get(f"{_rows_url('sessions').split('?')[0]}?org=D1&from=2025-06-01&to=2025-01-01")
    assert rows.status_code == 400 and "The period ends before it starts." in rows.content.decode()
    assert "page" not in rows.context


def test_without_a_period_the_page_shows_this_year_so_far(client: Client, city: City, district_admin: User) -> None:
    response = _as(client, district_admin).get(reverse("dashboards:service_figures"))
    assert response.status_code == 200
    period = response.context["period"]
    assert response.context["org"] == city.district
    assert (period.start.month, period.start.day) == (1, 1)


def test_the_api_returns_the_same_numbers_as_the_page(client: Client, city: City, district_admin: User) -> None:
    make_service_record(city)
    _as(client, district_admin)
    data = client.get(f"/api/v1/service-figures?org=D1&{YEAR}").json()
    assert data["organization_code"] == "D1"
    assert (data["from"], data["to"]) == ("2025-01-01", "2025-12-31")
    assert data["sessions_held"] == 3 and data["participations"] == 4 and data["volunteers"] == 2
    assert data["hours"] == "13.0" and data["signup_hours"] == "8.5" and data["record_hours"] == "4.5"
    assert data["beneficiaries"] == 212
    assert (data["order_beneficiaries"], data["session_beneficiaries"], data["tour_beneficiaries"]) == (62, 50, 100)
    assert data["orders_by_state"]["rated"] == 2 and data["orders_placed"] == 5
    assert data["average_rating"] == "3.50" and data["rated_orders"] == 2
    assert (data["wishes_posted"], data["wishes_claimed"], data["wishes_fulfilled"]) == (4, 3, 2)
    assert (data["reports_by_community"], data["reports_by_home"], data["post_claims"]) == (3, 2, 1)


def test_the_api_refuses_a_bad_period_clearly(client: Client, city: City, district_admin: User) -> None:
    _as(client, district_admin)
    response = client.get("/api/v1/service-figures?org=D1&from=2025-06-01&to=2025-01-01")
    assert response.status_code == 422
    assert response.json()["detail"] == "The period ends before it starts."


def test_the_api_documents_the_figures_endpoint_with_its_from_and_to_parameters(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/service-figures"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"org", "from", "to"}


def _back_link(html: str) -> str:
    """The address of the crumb that leads back from a drill-down page."""
    match = re.search(r'<div class="crumbs"><a href="([^"]+)"', html)
    assert match is not None, "no back link"
    return match.group(1).replace("&amp;", "&")


def test_every_drilldown_links_back_to_the_figures_of_the_same_subtree_and_period(
    client: Client, city: City, district_admin: User
) -> None:
    _as(client, district_admin)
    for key in ROWS:
        back = _back_link(client.get(_rows_url(key)).content.decode())
        assert back == f"{reverse('dashboards:service_figures')}?org=D1&{YEAR}", key
        figures = client.get(back)
        assert figures.status_code == 200, key
        assert figures.context["org"] == city.district and figures.context["query"] == f"org=D1&{YEAR}"


def test_a_drilldown_with_a_bad_period_links_back_to_the_subtrees_figures_without_it(
    client: Client, city: City, district_admin: User
) -> None:
    rows = _as(client, district_admin).get(f"{_rows_url('sessions').split('?')[0]}?org=D1&from=2025-02-30")
    assert rows.status_code == 400
    back = _back_link(rows.content.decode())
    assert back == f"{reverse('dashboards:service_figures')}?org=D1"
    assert client.get(back).status_code == 200


def test_the_figures_page_writes_every_count_and_every_hour_one_way_in_chinese(
    client: Client, city: City, district_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A city's year: counts past a thousand, hours with a decimal.
    real = f.service_figures

    def a_big_year(**kwargs: Any) -> f.ServiceFigures:
        return dataclasses.replace(
            real(**kwargs),
            participations=23597,
            signup_hours=Decimal("3270.5"),
            record_hours=Decimal("2262"),
            order_beneficiaries=15170,
            orders_served=1234,
        )

    monkeypatch.setattr(f, "service_figures", a_big_year)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    main = _as(client, district_admin).get(_figures_url("D1")).content.decode().split("<main", 1)[1]
    assert ">23,597<" in main and ">15,170<" in main
    assert ">5,532.5<" in main and ">3,270.5<" in main and ">2,262<" in main
    assert "1,234" in main  # in the sentence "from 1,234 orders served"
    assert "23597" not in main and "15170" not in main and "1234" not in main

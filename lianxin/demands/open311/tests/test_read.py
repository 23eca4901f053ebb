"""Reading GeoReport v2: discovery, services, service definitions and requests, in JSON and XML."""

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import City
from lianxin.accounts.api import api_token_create
from lianxin.accounts.models import User
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.open311.tests.georeport import validate, xml_rows
from lianxin.demands.services.board import demand_summary_review
from lianxin.demands.tests.factories import make_demand

pytestmark = pytest.mark.django_db

Status = Demand.Status
BASE = "/open311/v2/"


@pytest.fixture(autouse=True)
def english(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _age(demand: Demand, days: int) -> Demand:
    """Move a demand's collection time back, as if it had been collected `days` ago."""
    Demand.objects.filter(pk=demand.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    demand.refresh_from_db()
    return demand


def _ids(rows: list[dict[str, Any]]) -> set[str]:
    return {str(r["service_request_id"]) for r in rows}


def test_discovery_names_the_endpoint_the_specification_and_both_formats(client: Client) -> None:
    data = client.get(f"{BASE}discovery.json").json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    assert client.get(BASE).json() == data

    xml = client.get(f"{BASE}discovery.xml")
    assert xml["Content-Type"].startswith("text/xml")
    document = ET.fromstring(xml.content)
    assert document.tag == "discovery"
    assert document.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2/"
    assert [f.text for f in document.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]


def test_services_are_the_active_demand_categories_in_json_and_xml(client: Client) -> None:
    DemandCategory.objects.filter(code="education").update(is_active=False)
    answer = client.get(f"{BASE}services.json")
    assert answer["Content-Type"].startswith("application/json")
    services = answer.json()
    validate(services, "services.json")
    codes = [s["service_code"] for s in services]
    assert "noise" in codes and "education" not in codes
    noise = next(s for s in services if s["service_code"] == "noise")
    assert noise["service_name"] == "噪音扰民"
    assert noise["metadata"] is False and noise["type"] == "realtime"

    rows = xml_rows(client.get(f"{BASE}services.xml").content, "services", "service")
    assert [r["service_code"] for r in rows] == codes
    assert next(r for r in rows if r["service_code"] == "noise")["metadata"] == "false"


def test_a_service_definition_has_no_extra_attributes(client: Client) -> None:
    definition = client.get(f"{BASE}services/noise.json").json()
    validate(definition, "service-definition.json")
    assert definition == {"service_code": "noise", "attributes": []}

    document = ET.fromstring(client.get(f"{BASE}services/noise.xml").content)
    assert document.tag == "service_definition"
    assert document.findtext("service_code") == "noise"
    assert document.find("attributes") is not None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_code_is_a_404_in_the_error_format(client: Client, fmt: str) -> None:
    answer = client.get(f"{BASE}services/parking.{fmt}")
    assert answer.status_code == 404
    if fmt == "json":
        assert answer.json() == [{"code": 404, "description": "No service has the service_code parking."}]
    else:
        assert xml_rows(answer.content, "errors", "error") == [
            {"code": "404", "description": "No service has the service_code parking."}
        ]


def test_an_unknown_format_is_refused_in_json(client: Client) -> None:
    answer = client.get(f"{BASE}services.csv")
    assert answer.status_code == 400
    assert answer.json()[0]["description"] == "Unknown format csv: use .json or .xml."


def test_a_request_shows_status_dates_and_unit_but_never_the_residents_name_or_phone(
    client: Client, city: City, district_admin: User
) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west, address="幸福小区南门")
    rows = client.get(f"{BASE}requests/{demand.pk}.json").json()
    validate(rows, "requests.json")
    [row] = rows
    assert row["service_request_id"] == str(demand.pk)
    assert row["status"] == "open"
    assert row["service_code"] == "facilities" and row["service_name"] == "公共设施"
    assert row["agency_responsible"] == "西社区党支部"
    assert demand.deadline is not None
    assert row["expected_datetime"] == f"{demand.deadline.isoformat()}T23:59:59+08:00"
    assert dt.datetime.fromisoformat(row["requested_datetime"]) == demand.created_at.replace(microsecond=0)
    assert dt.datetime.fromisoformat(row["updated_datetime"]) >= demand.created_at.replace(microsecond=0)
    assert row["media_url"] is None
    text = client.get(f"{BASE}requests/{demand.pk}.xml").content.decode()
    for body in (str(rows), text):
        assert "张桂兰" not in body and "13912345678" not in body and "139****5678" not in body


def test_without_a_key_a_request_shows_only_what_a_reviewer_cleared(
    client: Client, city: City, district_admin: User
) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.RESOLVED, address="幸福小区南门", lat="30.1")
    [row] = client.get(f"{BASE}requests/{demand.pk}.json").json()
    assert row["description"] is None
    assert row["address"] == city.east.area.name and row["lat"] is None
    assert row["status"] == "closed" and row["status_notes"] == "resolved"

    demand_summary_review(demand=demand, actor=district_admin, summary="更换了小区南门两盏路灯")
    [row] = client.get(f"{BASE}requests/{demand.pk}.json").json()
    assert row["description"] == "更换了小区南门两盏路灯"
    assert row["status_notes"] == "更换了小区南门两盏路灯"
    assert "幸福小区南门的两盏路灯坏了一周" not in str(row)


def test_a_key_that_reaches_the_demand_reads_its_description_address_and_coordinates(
    client: Client, city: City, district_admin: User, branch_secretary: User
) -> None:
    demand = make_demand(city.west, by=district_admin, address="幸福小区南门", lat="30.123456", long="122.1")
    _token, key = api_token_create(user=district_admin, name="dispatch")
    [row] = client.get(f"{BASE}requests/{demand.pk}.json", {"api_key": key}).json()
    validate([row], "requests.json")
    assert row["description"] == "幸福小区南门的两盏路灯坏了一周，晚上老人出门不方便。"
    assert row["address"] == "幸福小区南门"
    assert (row["lat"], row["long"]) == (30.123456, 122.1)

    _token, east_key = api_token_create(user=branch_secretary, name="east")
    [row] = client.get(f"{BASE}requests/{demand.pk}.json", {"api_key": east_key}).json()
    assert row["description"] is None and row["lat"] is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_wrong_key_on_a_read_is_refused_with_403(client: Client, city: City, fmt: str) -> None:
    answer = client.get(f"{BASE}requests.{fmt}", {"api_key": "lx_not-a-key"})
    assert answer.status_code == 403
    body = (
        answer.json()[0]["description"]
        if fmt == "json"
        else xml_rows(answer.content, "errors", "error")[0]["description"]
    )
    assert body == "The api_key is not valid or has been revoked."


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_an_unknown_request_id_is_a_404(client: Client, city: City, pk: str) -> None:
    answer = client.get(f"{BASE}requests/{pk}.xml")
    assert answer.status_code == 404
    assert xml_rows(answer.content, "errors", "error")[0]["description"] == f"No service request has the id {pk}."


def test_the_swagger_spelling_of_a_single_request_answers_too(client: Client, city: City, district_admin: User) -> None:
    demand = make_demand(city.east, by=district_admin)
    assert client.get(f"{BASE}request/{demand.pk}.json").json()[0]["service_request_id"] == str(demand.pk)


def test_requests_filter_by_status_service_code_and_ids(client: Client, city: City, district_admin: User) -> None:
    waiting = make_demand(city.east, by=district_admin)
    noisy = make_demand(city.east, by=district_admin, category="noise", until=Status.ASSIGNED)
    solved = make_demand(city.east, by=district_admin, until=Status.CLOSED)
    turned_away = make_demand(city.east, by=district_admin, until=Status.NOT_OURS)

    def get(**params: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = client.get(f"{BASE}requests.json", params).json()
        return rows

    everything = get()
    validate(everything, "requests.json")
    assert _ids(everything) == {str(d.pk) for d in (waiting, noisy, solved, turned_away)}
    assert _ids(get(status="open")) == {str(waiting.pk), str(noisy.pk)}
    assert _ids(get(status="closed")) == {str(solved.pk), str(turned_away.pk)}
    assert _ids(get(status="open,closed")) == _ids(everything)
    assert _ids(get(service_code="noise")) == {str(noisy.pk)}
    assert _ids(get(service_code="noise", status="closed")) == set()
    assert _ids(get(service_request_id=f"{waiting.pk},{solved.pk}", status="open")) == {str(waiting.pk), str(solved.pk)}
    assert [r["service_request_id"] for r in everything] == [str(d.pk) for d in (turned_away, solved, noisy, waiting)]

    xml = xml_rows(client.get(f"{BASE}requests.xml", {"status": "open"}).content, "service_requests", "request")
    assert {r["service_request_id"] for r in xml} == {str(waiting.pk), str(noisy.pk)}
    assert {r["status"] for r in xml} == {"open"}


def test_requests_default_to_the_last_90_days_and_filter_by_dates(
    client: Client, city: City, district_admin: User
) -> None:
    recent = make_demand(city.east, by=district_admin)
    older = _age(make_demand(city.east, by=district_admin), 40)
    ancient = _age(make_demand(city.east, by=district_admin), 120)

    def get(**params: str) -> set[str]:
        return _ids(client.get(f"{BASE}requests.json", params).json())

    def day(days: int) -> str:
        return (timezone.localdate() - dt.timedelta(days=days)).isoformat()

    assert get() == {str(recent.pk), str(older.pk)}
    assert get(start_date=f"{day(130)}T00:00:00+08:00", end_date=f"{day(45)}T00:00:00+08:00") == {str(ancient.pk)}
    assert get(start_date=day(50), end_date=day(1)) == {str(older.pk)}
    assert get(end_date=day(20)) == {str(older.pk)}
    assert get(start_date=day(10)) == {str(recent.pk)}
    assert get(service_request_id=str(ancient.pk)) == {str(ancient.pk)}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "pending"}, "status must be open, closed or both (comma-separated)."),
        ({"service_code": "parking"}, "Unknown service_code: parking."),
        ({"start_date": "yesterday"}, "start_date must be an ISO 8601 date-time."),
        ({"end_date": "2025-13-40"}, "end_date must be an ISO 8601 date-time."),
        ({"start_date": "2025-03-01", "end_date": "2025-02-01"}, "end_date must not be before start_date."),
        (
            {"start_date": "2025-01-01", "end_date": "2025-06-01"},
            "start_date and end_date may not span more than 90 days.",
        ),
        ({"service_request_id": "1,x"}, "service_request_id must be numbers: x."),
    ],
)
def test_bad_filters_are_answered_with_400_and_the_reason(
    client: Client, city: City, params: dict[str, str], message: str
) -> None:
    answer = client.get(f"{BASE}requests.json", params)
    assert answer.status_code == 400
    assert answer.json() == [{"code": 400, "description": message}]


def test_at_most_1000_requests_are_returned(client: Client, city: City, district_admin: User) -> None:
    first = make_demand(city.east, by=district_admin)
    fields = {
        f.attname: getattr(first, f.attname)
        for f in Demand._meta.concrete_fields
        if f.attname not in ("id", "lookup_code")
    }
    Demand.objects.bulk_create([Demand(**fields, lookup_code=f"T{i:07d}") for i in range(1000)])
    assert len(client.get(f"{BASE}requests.json").json()) == 1000


def test_a_requests_update_time_is_its_latest_timeline_event(client: Client, city: City, district_admin: User) -> None:
    demand = _age(make_demand(city.east, by=district_admin), 10)
    [row] = client.get(f"{BASE}requests/{demand.pk}.json").json()
    assert dt.datetime.fromisoformat(row["updated_datetime"]) > demand.created_at + dt.timedelta(days=9)


def test_listing_requests_costs_the_same_few_queries_for_any_number_of_rows(
    client: Client, city: City, district_admin: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(5):
        make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west)
    _token, key = api_token_create(user=district_admin, name="dispatch")
    with django_assert_max_num_queries(6):
        rows = client.get(f"{BASE}requests.json", {"api_key": key}).json()
    assert len(rows) == 5 and all(r["description"] for r in rows)

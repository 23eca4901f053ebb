"""Submitting through GeoReport v2: a key's user collects the demand; every refusal writes nothing."""

from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from conftest import City
from lianxin.accounts.api import api_token_create
from lianxin.accounts.models import ApiToken, User
from lianxin.core.models import Event
from lianxin.demands.models import Demand
from lianxin.demands.open311.tests.georeport import GeoReportClient, validate_swagger, xml_rows

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Answer

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def english(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def key(branch_secretary: User) -> str:
    return api_token_create(user=branch_secretary, name="FixMyStreet")[1]


def _post(client: Client, fmt: str = "json", **params: str) -> "Answer":
    return client.post(f"{BASE}requests.{fmt}", urlencode(params), content_type=FORM)


def _nothing_written() -> None:
    assert Demand.objects.count() == 0
    assert Event.objects.filter(verb="collected").count() == 0


REPORT = {
    "service_code": "noise",
    "lat": "29.985295",
    "long": "122.207215",
    "description": "广场舞音响每晚十点后还在放，楼上老人睡不着。",
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_client_that_speaks_only_the_spec_submits_and_reads_back_its_request(
    client: Client, city: City, key: str, fmt: str
) -> None:
    georeport = GeoReportClient(client, f"{BASE}discovery.json", fmt=fmt, api_key=key)
    assert "noise" in [s["service_code"] for s in georeport.services()]

    answer = georeport.submit(**REPORT, first_name="桂兰", last_name="张", phone="13912345678", email="a@example.com")
    if fmt == "json":
        [created] = answer.json()
        validate_swagger(created, "RequestResponse")
    service_request_id = georeport.created_id(answer)

    [row] = georeport.request(service_request_id)
    assert str(row["service_request_id"]) == service_request_id
    assert row["status"] == "open" and row["service_code"] == "noise"
    assert row["description"] == REPORT["description"]
    assert float(row["lat"]) == 29.985295 and float(row["long"]) == 122.207215
    assert service_request_id in {str(r["service_request_id"]) for r in georeport.requests(status="open")}
    assert "张" not in str(row) and "13912345678" not in str(row)


def test_a_submitted_request_becomes_a_demand_of_the_keys_organization(
    client: Client, city: City, key: str, branch_secretary: User
) -> None:
    answer = _post(client, api_key=key, **REPORT, first_name="桂兰", last_name="张", phone="139 1234 5678")
    assert answer.status_code == 200
    [created] = answer.json()
    demand = Demand.objects.get(pk=created["service_request_id"])
    assert created["service_notice"] == "Handled within 3 working days of assignment."
    assert demand.source == Demand.Source.OPEN311
    assert demand.status == Demand.Status.SUBMITTED
    assert demand.organization == city.east and demand.area == city.east.area
    assert demand.category.code == "noise"
    assert (demand.lat, demand.long) == (Decimal("29.985295"), Decimal("122.207215"))
    assert demand.title == "广场舞音响每晚十点后还在放，楼上老人睡不着。"
    assert demand.submitter_name == "桂兰 张" and demand.submitter_phone == "13912345678"
    assert demand.submitted_by == branch_secretary
    event = Event.objects.get(verb="collected", subject_id=demand.pk)
    assert event.actor == branch_secretary and event.data == {"source": "open311"}


def test_a_fixmystreet_style_sender_posts_a_form_with_its_own_title_and_an_address(
    client: Client, city: City, district_admin: User
) -> None:
    key = api_token_create(user=district_admin, name="FixMyStreet")[1]
    answer = _post(
        client,
        "xml",
        api_key=key,
        jurisdiction_id="haicheng",
        service_code="facilities",
        address_string="幸福小区南门",
        description="路灯不亮\n\n南门两盏路灯坏了一周。\n\nhttps://fms.example/report/42",
        **{"attribute[title]": "路灯不亮", "account_id": "", "media_url": "https://fms.example/photo/42.jpeg"},
    )
    [created] = xml_rows(answer.content, "service_requests", "request")
    assert created["service_request_id"] is not None
    demand = Demand.objects.get(pk=created["service_request_id"])
    assert demand.title == "路灯不亮" and demand.address == "幸福小区南门"
    assert demand.organization == city.district and demand.lat is None


def test_a_long_first_line_is_cut_into_a_title(client: Client, city: City, key: str) -> None:
    line = "小区" * 30
    _post(client, api_key=key, service_code="noise", address_string="东门", description=line)
    assert Demand.objects.get().title == "小区" * 19 + "小…"


def test_a_city_administrators_key_collects_for_the_city_root(client: Client, city: City, city_admin: User) -> None:
    key = api_token_create(user=city_admin, name="city")[1]
    answer = _post(client, api_key=key, **REPORT)
    assert Demand.objects.get(pk=answer.json()[0]["service_request_id"]).organization == city.root


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_without_a_key_is_refused_with_403_and_nothing_written(client: Client, city: City, fmt: str) -> None:
    answer = _post(client, fmt, **REPORT)
    assert answer.status_code == 403
    message = "api_key is required to submit a service request."
    if fmt == "json":
        assert answer.json() == [{"code": 403, "description": message}]
    else:
        assert xml_rows(answer.content, "errors", "error") == [{"code": "403", "description": message}]
    _nothing_written()


def test_a_post_with_a_wrong_or_revoked_key_is_refused_with_403(client: Client, city: City, key: str) -> None:
    assert _post(client, api_key="lx_guessed", **REPORT).status_code == 403
    ApiToken.objects.update(revoked_at=timezone.now())
    answer = _post(client, api_key=key, **REPORT)
    assert answer.status_code == 403
    assert answer.json()[0]["description"] == "The api_key is not valid or has been revoked."
    _nothing_written()


def test_a_key_whose_user_collects_for_no_organization_is_refused(client: Client, city: City, resident: User) -> None:
    key = api_token_create(user=resident, name="resident")[1]
    answer = _post(client, api_key=key, **REPORT)
    assert answer.status_code == 403
    assert answer.json()[0]["description"] == (
        "This api_key may not submit service requests: it collects for no organization."
    )
    _nothing_written()


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        ({"service_code": "parking"}, ["Unknown service_code: parking."]),
        ({"service_code": ""}, ["service_code is required."]),
        ({"lat": "", "long": ""}, ["A location is required: lat and long, address_string or address_id."]),
        ({"long": ""}, ["lat and long must be given together."]),
        ({"lat": "north"}, ["The latitude north is not a number."]),
        ({"lat": "95"}, ["The latitude 95 is out of range."]),
        ({"description": "  "}, ["description is required."]),
        ({"description": "吵" * 4001}, ["description may be at most 4000 characters."]),
        ({"phone": "12345"}, None),
        (
            {"service_code": "parking", "description": "", "lat": ""},
            [
                "Unknown service_code: parking.",
                "description is required.",
                "lat and long must be given together.",
            ],
        ),
    ],
)
def test_a_bad_post_is_answered_with_400_and_every_reason_and_nothing_written(
    client: Client, city: City, key: str, change: dict[str, str], messages: list[str] | None
) -> None:
    answer = _post(client, api_key=key, **{**REPORT, **change})
    assert answer.status_code == 400
    errors = answer.json()
    assert all(e["code"] == 400 for e in errors)
    if messages is None:
        assert len(errors) == 1 and "12345" in errors[0]["description"]
    else:
        assert [e["description"] for e in errors] == messages
    _nothing_written()


def test_a_bad_post_in_xml_lists_its_errors(client: Client, city: City, key: str) -> None:
    answer = _post(client, "xml", api_key=key, service_code="parking", address_string="东门", description="吵")
    assert answer.status_code == 400
    assert xml_rows(answer.content, "errors", "error") == [
        {"code": "400", "description": "Unknown service_code: parking."}
    ]
    _nothing_written()


def test_an_address_id_alone_is_a_location(client: Client, city: City, key: str) -> None:
    answer = _post(client, api_key=key, service_code="noise", address_id="A-1024", description="吵")
    assert answer.status_code == 200
    assert Demand.objects.get().address == "address id A-1024"


def test_a_post_needs_no_csrf_token(city: City, key: str) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, api_key=key, **REPORT).status_code == 200

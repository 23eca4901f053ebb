"""A web-based GeoReport sender in Chromium posts a report to /open311/v2/ and follows it as the
demand is accepted and assigned; the XML and JSON answers read in the browser."""

import pytest
from playwright.sync_api import Page, expect

from conftest import City
from lianxin.accounts.api import api_token_create
from lianxin.accounts.models import User
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.services.handling import demand_accept, demand_assign
from tests.e2e.conftest import phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)

POST_FROM_PAGE = """async ([url, form]) => {
    const answer = await fetch(url, {method: "POST", body: new URLSearchParams(form)});
    return {status: answer.status, body: await answer.json()};
}"""


def test_a_browser_sender_posts_a_report_and_follows_it_to_assignment(
    page: Page, live_server: object, city: City, district_admin: User
) -> None:
    # Given the demand categories and an API key of the district's admin
    default_demand_categories_seed(DemandCategory)
    key = api_token_create(user=district_admin, name="网格通")[1]
    base = f"{live_server.url}/open311/v2/"  # type: ignore[attr-defined]

    # When the sender reads the services and posts a report, form-encoded as the spec says
    page.goto(f"{base}services.xml")
    expect(page.locator("body")).to_contain_text("噪音扰民")
    shot(page, "open311-services-xml")
    report = {
        "api_key": key,
        "service_code": "noise",
        "lat": "29.985295",
        "long": "122.207215",
        "description": "广场舞音响每晚十点后还在放，楼上老人睡不着。",
        "first_name": "桂兰",
        "last_name": "张",
        "phone": "13912345678",
    }
    refused = page.evaluate(POST_FROM_PAGE, [f"{base}requests.json", {**report, "api_key": ""}])
    created = page.evaluate(POST_FROM_PAGE, [f"{base}requests.json", report])

    # Then a request without the key is refused, and the one with it is a demand waiting for acceptance
    assert refused["status"] == 403
    assert created["status"] == 200
    request_id = created["body"][0]["service_request_id"]
    demand = Demand.objects.get(pk=request_id)
    assert demand.source == Demand.Source.OPEN311 and demand.organization == city.district

    # And once the district accepts and assigns it, anyone reading the request sees it open at the unit
    demand_accept(demand=demand, actor=district_admin)
    demand_assign(demand=demand, actor=district_admin, unit=city.west, days=3)
    page.goto(f"{base}requests/{request_id}.xml")
    body = page.locator("body")
    expect(body).to_contain_text("西社区党支部")
    expect(body).to_contain_text("open")
    expect(body).not_to_contain_text("广场舞音响每晚十点后还在放")
    expect(body).not_to_contain_text("13912345678")
    shot(page, "open311-request-xml")

    page.goto(f"{base}requests.json?status=open")
    expect(page.locator("body")).to_contain_text(f'"service_request_id": "{request_id}"')
    expect(page.locator("body")).not_to_contain_text("桂兰")
    shot(page, "open311-requests-json")
    phone_shot(page, "open311-requests-json-phone")

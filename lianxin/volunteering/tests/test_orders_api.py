"""The menu and orders through the API: public menu, place, read, rate; bad input gets 400 or 422 and no row."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import Order, ServiceItem
from lianxin.volunteering.tests.factories import make_item, make_leader, make_order, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def item(city: City) -> ServiceItem:
    return make_item(make_team(city.district, leader=make_leader("captain"), name="城区服务队"), title="社区义诊")


def _payload(city: City, item: ServiceItem, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    values = {
        "item_id": item.pk,
        "area_code": city.district.area.code,
        "place": "文化礼堂",
        "starts_on": str(today + timedelta(days=1)),
        "ends_on": str(today + timedelta(days=2)),
        "expected_beneficiaries": 15,
    }
    values.update(overrides)
    return values


def test_the_menu_is_public_and_filterable(client: Client, city: City, item: ServiceItem) -> None:
    body = client.get("/api/v1/volunteering/menu").json()
    assert [i["title"] for i in body["items"]] == ["社区义诊"]
    assert body["items"][0]["team"] == "城区服务队" and body["items"][0]["category_code"] == "medical"
    assert client.get("/api/v1/volunteering/menu", {"category": "ecology"}).json()["items"] == []
    assert client.get("/api/v1/volunteering/menu", {"area": city.other_district.area.code}).json()["items"] == []


def test_a_resident_places_an_order_and_reads_it_back(
    client: Client, city: City, resident: User, item: ServiceItem
) -> None:
    client.login(username=resident.username, password=PASSWORD)
    response = client.post("/api/v1/volunteering/orders", _payload(city, item), content_type="application/json")
    assert response.status_code == 201, response.content
    order_id = response.json()["id"]
    assert response.json()["status"] == "ordered"
    assert client.get(f"/api/v1/volunteering/orders/{order_id}").json()["place"] == "文化礼堂"
    assert [o["id"] for o in client.get("/api/v1/volunteering/orders").json()["items"]] == [order_id]


# An unknown id or code is a 400; the service's refusal is a 422 (the API's one error handler).
@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"item_id": 999999}, 400, "Unknown service 999999."),
        ({"expected_beneficiaries": 0}, 422, "Expect at least one beneficiary."),
        ({"area_code": "NOPE"}, 400, "Unknown area code NOPE."),
    ],
)
def test_a_bad_order_gets_400_with_the_message_and_no_row(
    client: Client, city: City, resident: User, item: ServiceItem, overrides: Any, status: int, message: str
) -> None:
    client.login(username=resident.username, password=PASSWORD)
    response = client.post(
        "/api/v1/volunteering/orders", _payload(city, item, **overrides), content_type="application/json"
    )
    assert response.status_code == status and response.json()["detail"] == message
    assert not Order.objects.exists()


def test_placing_an_order_needs_a_login(client: Client, city: City, item: ServiceItem) -> None:
    response = client.post("/api/v1/volunteering/orders", _payload(city, item), content_type="application/json")
    assert response.status_code == 401
    assert not Order.objects.exists()


def test_rating_through_the_api_and_a_rating_out_of_range(client: Client, resident: User, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident, until=Order.Status.SERVED)
    client.login(username=resident.username, password=PASSWORD)
    url = f"/api/v1/volunteering/orders/{order.pk}/rate"
    bad = client.post(url, {"rating": 6}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"] == "A rating is a whole number from 1 to 5."
    good = client.post(url, {"rating": 3, "comment": "还行"}, content_type="application/json")
    assert good.status_code == 200 and good.json()["rating"] == 3
    again = client.post(url, {"rating": 5}, content_type="application/json")
    assert again.status_code == 409 and again.json()["detail"] == "This order has already been rated."


def test_someone_elses_order_is_not_found(client: Client, resident: User, member_user: User, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident)
    client.login(username=member_user.username, password=PASSWORD)
    assert client.get(f"/api/v1/volunteering/orders/{order.pk}").status_code == 404

"""The wish API: the wall is public and masked; claiming needs a login and says who lost."""

import pytest
from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.wishes.models import Wish, WishClaim
from lianxin.wishes.tests.factories import make_member_user, make_wish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    """Pages pick their language per request; these assertions read the English messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_wall_is_listed_without_credentials(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    make_wish(city.east, posted_by=resident, title="未审核")
    body = client.get("/api/v1/wishes").json()
    assert [w["title"] for w in body["items"]] == ["给独居老人买一台电饭煲"]
    assert "beneficiary_phone" not in body["items"][0]


def test_claiming_needs_a_login(client: Client, city: City, resident: User, branch_secretary: User) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    assert client.post(f"/api/v1/wishes/{wish.pk}/claim", {}, content_type="application/json").status_code == 401
    assert not WishClaim.objects.exists()


def test_a_member_claims_and_a_second_claimer_gets_409_with_the_message(
    client: Client, city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    client.login(username=member_user.username, password=PASSWORD)
    response = client.post(f"/api/v1/wishes/{wish.pk}/claim", {"note": "我来"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == Wish.Status.CLAIMED
    other = make_member_user(city.west, "late")
    second = Client(HTTP_ACCEPT_LANGUAGE="en")
    second.force_login(other)
    response = second.post(f"/api/v1/wishes/{wish.pk}/claim", {}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"] == "Someone else has just claimed this wish."
    assert WishClaim.objects.filter(wish=wish).count() == 1

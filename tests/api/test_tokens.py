"""Bearer tokens write without CSRF; the browser session keeps its CSRF check on writes."""

import json
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from conftest import City
from lianxin.accounts.api import api_token_create
from lianxin.accounts.models import User
from lianxin.community.models import ServicePost

JSON = "application/json"
POST = {"community_code": "D1E", "title": "政策宣讲岗", "category": "policy", "capacity": 1}


@pytest.fixture
def token(city_admin: User) -> str:
    _token, value = api_token_create(user=city_admin, name="台账同步")
    return value


def _csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_bearer_token_writes_without_a_csrf_token(city: City, token: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/community/posts", POST, content_type=JSON, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert ServicePost.objects.get().title == POST["title"]


@pytest.mark.django_db
def test_a_bearer_token_deletes_without_a_csrf_token(city: City, city_admin: User, token: str) -> None:
    from lianxin.activities.models import Attendance
    from lianxin.activities.services.planning import activity_plan
    from lianxin.members.tests.factories import make_member

    member = make_member(city.east, name="李明")
    starts = timezone.now() + timedelta(days=3)
    activity = activity_plan(
        actor=city_admin,
        organization=city.east,
        kind="party_lecture",
        title="党课",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    assert Attendance.objects.filter(activity=activity, member=member).exists()
    client = Client(enforce_csrf_checks=True)
    response = client.delete(
        f"/api/v1/activities/{activity.pk}/attendance/{member.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 204, response.content
    assert not Attendance.objects.filter(activity=activity, member=member).exists()


@pytest.mark.django_db
def test_a_session_write_without_the_csrf_token_is_refused_and_writes_nothing(city: City, city_admin: User) -> None:
    response = _csrf_client(city_admin).post("/api/v1/community/posts", POST, content_type=JSON)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed" and "CSRF" in response.json()["detail"]
    assert not ServicePost.objects.exists()


@pytest.mark.django_db
def test_a_wrong_bearer_token_does_not_skip_the_sessions_csrf_check(city: City, city_admin: User) -> None:
    client = _csrf_client(city_admin)
    response = client.post("/api/v1/community/posts", POST, content_type=JSON, HTTP_AUTHORIZATION="Bearer lx_nope")
    assert response.status_code == 403
    assert not ServicePost.objects.exists()


@pytest.mark.django_db
def test_a_session_write_with_the_csrf_token_goes_through(city: City, city_admin: User) -> None:
    client = _csrf_client(city_admin)
    csrf = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    response = client.post("/api/v1/community/posts", POST, content_type=JSON, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content
    assert ServicePost.objects.count() == 1


@pytest.mark.django_db
def test_an_anonymous_write_is_a_401_not_a_csrf_refusal(city: City) -> None:
    response = Client(enforce_csrf_checks=True).post("/api/v1/community/posts", POST, content_type=JSON)
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not ServicePost.objects.exists()


def _http(url: str, *, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": JSON, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_over_http_a_token_writes_and_a_session_without_csrf_cannot(live_server: Any, city: City, token: str) -> None:
    url = f"{live_server.url}/api/v1/community/posts"
    status, body = _http(url, headers={"Authorization": f"Bearer {token}"}, body=POST)
    assert status == 201, body
    assert body["title"] == POST["title"]

    browser = Client()
    browser.force_login(User.objects.get(username="city_admin"))
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    status, body = _http(url, headers={"Cookie": cookie, "Referer": live_server.url}, body={**POST, "title": "二"})
    assert status == 403 and body["code"] == "csrf_failed"
    assert list(ServicePost.objects.values_list("title", flat=True)) == [POST["title"]]

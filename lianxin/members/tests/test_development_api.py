"""The development API: the pipeline with blocks, recording steps and reviews, scoped."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.members.models import Member
from lianxin.members.models.development import DevelopmentStep, PoliticalReview
from lianxin.members.tests.factories import make_member
from lianxin.members.tests.test_development_services import make_activist, make_applicant

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_pipeline_lists_people_with_the_article_blocking_them(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    make_applicant(
        city.east,
        name="周新",
        category=Member.Category.ACTIVIST,
        applied_on=today - timedelta(days=400),
        activist_on=today - timedelta(days=100),
    )
    body = _login(client, branch_secretary).get("/api/v1/members/development/pipeline", {"org": "D1E"}).json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["name"] == "周新" and row["next_step"] == "candidate"
    assert "第13条" in row["blocks"][0]
    assert client.get("/api/v1/members/development/pipeline", {"org": "D1W"}).status_code == 404


def test_a_step_is_recorded_and_a_blocked_one_is_refused_with_its_article(
    client: Client, branch_secretary: User, city: City
) -> None:
    member = make_applicant(city.east)
    client = _login(client, branch_secretary)
    url = f"/api/v1/members/development/{member.pk}/advance"
    response = client.post(
        url, {"to": "activist", "on": "2024-10-01", "contacts": "王芳"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["contacts"] == "王芳"
    response = client.post(url, {"to": "candidate", "on": "2025-01-01"}, content_type="application/json")
    assert response.status_code == 422
    assert "第13条" in response.json()["detail"]
    member.refresh_from_db()
    assert member.category == Member.Category.ACTIVIST and DevelopmentStep.objects.count() == 1


def test_a_review_is_entered_and_shown_on_the_person(client: Client, branch_secretary: User, city: City) -> None:
    member = make_activist(city.east)
    client = _login(client, branch_secretary)
    response = client.post(
        f"/api/v1/members/development/{member.pk}/reviews",
        {"result": "passed", "reviewed_on": "2025-11-01", "reviewer": "党委"},
        content_type="application/json",
    )
    assert response.status_code == 201
    bad = client.post(
        f"/api/v1/members/development/{member.pk}/reviews",
        {"result": "maybe", "reviewed_on": "2025-11-01", "reviewer": "党委"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and PoliticalReview.objects.count() == 1
    person = client.get(f"/api/v1/members/development/{member.pk}").json()
    assert person["reviews"][0]["reviewer"] == "党委"
    assert person["category"] == "activist"


def test_development_of_another_branch_is_not_found(client: Client, branch_secretary: User, city: City) -> None:
    member = make_applicant(city.west)
    client = _login(client, branch_secretary)
    assert client.get(f"/api/v1/members/development/{member.pk}").status_code == 404
    response = client.post(
        f"/api/v1/members/development/{member.pk}/advance",
        {"to": "activist", "on": "2024-10-01"},
        content_type="application/json",
    )
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.category == Member.Category.APPLICANT


def test_political_birthdays_by_month(client: Client, branch_secretary: User, city: City) -> None:
    make_member(city.east, name="七月人", joined_on=date(2005, 7, 1), full_on=date(2006, 7, 1))
    client = _login(client, branch_secretary)
    july: dict[str, str | int] = {"month": 7, "org": "D1E"}
    body = client.get("/api/v1/members/development/birthdays", july).json()
    assert [m["name"] for m in body["items"]] == ["七月人"]
    assert client.get("/api/v1/members/development/birthdays", {"month": 13}).status_code == 422

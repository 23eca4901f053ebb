"""The community API: the same services and scopes as the pages; refusals carry the message."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import City
from lianxin.accounts.models import User
from lianxin.community.api.reports import PAGE_SIZE
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.community.services.reports import record_create
from lianxin.community.tests.factories import Bureau, make_bureau, make_claim, make_member_user, make_post, make_report

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def bureau(city: City) -> Bureau:
    return make_bureau(city)


def _as(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_api_needs_a_login(client: Client) -> None:
    assert client.get("/api/v1/community/reports").status_code == 401
    assert client.post("/api/v1/community/reports", {"community_code": "D1E"}, content_type=JSON).status_code == 401
    assert not CommunityReport.objects.exists()


def test_a_member_reports_the_community_approves_and_both_list_it(
    city: City, bureau: Bureau, branch_secretary: User
) -> None:
    member = _as(bureau.worker)
    response = member.post("/api/v1/community/reports", {"community_code": "D1E", "note": "3幢"}, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["home_organization_code"] == "D2J"
    admin = _as(branch_secretary)
    assert [r["member"] for r in admin.get("/api/v1/community/reports?managed=true").json()["items"]] == ["张工"]
    response = admin.post(f"/api/v1/community/reports/{body['id']}/decision", {"approve": True}, content_type=JSON)
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert [r["status"] for r in member.get("/api/v1/community/reports").json()["items"]] == ["approved"]


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [("NOPE", 422, "No organization has the code NOPE."), ("D2J", 422, "is not a community or village organization")],
)
def test_a_report_to_an_unknown_or_wrong_organization_is_a_422_with_the_message(
    bureau: Bureau, code: str, status: int, message: str
) -> None:
    response = _as(bureau.worker).post("/api/v1/community/reports", {"community_code": code}, content_type=JSON)
    assert response.status_code == status and message in response.json()["detail"]
    assert not CommunityReport.objects.exists()


def test_a_second_active_report_is_a_409(city: City, bureau: Bureau) -> None:
    make_report(bureau.worker, city.east)
    response = _as(bureau.worker).post("/api/v1/community/reports", {"community_code": "D1W"}, content_type=JSON)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("You have already reported to 东社区党支部")
    assert CommunityReport.objects.count() == 1


def test_an_outsider_deciding_gets_a_404(city: City, bureau: Bureau, member_user: User) -> None:
    report = make_report(bureau.worker, city.east)
    response = _as(member_user).post(
        f"/api/v1/community/reports/{report.pk}/decision", {"approve": True}, content_type=JSON
    )
    assert response.status_code == 404
    assert CommunityReport.objects.get().status == CommunityReport.Status.PENDING


def test_posts_are_published_listed_and_claimed_and_the_last_place_is_a_409(
    city: City, bureau: Bureau, branch_secretary: User
) -> None:
    admin = _as(branch_secretary)
    payload = {"community_code": "D1E", "title": "政策宣讲岗", "category": "policy", "capacity": 1}
    response = admin.post("/api/v1/community/posts", payload, content_type=JSON)
    assert response.status_code == 201
    post_id = response.json()["id"]
    make_report(bureau.worker, city.east, approver=branch_secretary)
    member = _as(bureau.worker)
    assert [p["title"] for p in member.get("/api/v1/community/posts").json()["items"]] == ["政策宣讲岗"]
    response = member.post(f"/api/v1/community/posts/{post_id}/claim")
    assert response.status_code == 201 and response.json()["post_title"] == "政策宣讲岗"
    late = make_member_user(city.west, "late")
    make_report(late, city.east, approver=branch_secretary)
    response = _as(late).post(f"/api/v1/community/posts/{post_id}/claim")
    assert response.status_code == 409
    assert response.json()["detail"] == "This post is full: every place has been taken."
    assert PostClaim.objects.count() == 1
    listed = admin.get("/api/v1/community/posts?managed=true").json()["items"]
    assert listed[0]["taken"] == 1


def test_a_post_with_bad_input_is_a_422_and_nothing_is_written(branch_secretary: User) -> None:
    payload = {"community_code": "D1E", "title": "x", "category": "cooking", "capacity": 1}
    response = _as(branch_secretary).post("/api/v1/community/posts", payload, content_type=JSON)
    assert response.status_code == 422 and response.json()["detail"] == "Unknown category cooking."
    assert not ServicePost.objects.exists()


def test_a_member_without_an_approved_report_cannot_claim(city: City, bureau: Bureau, branch_secretary: User) -> None:
    post = make_post(city.east, branch_secretary)
    make_report(bureau.worker, city.east)
    response = _as(bureau.worker).post(f"/api/v1/community/posts/{post.pk}/claim")
    assert response.status_code == 422
    assert "wait for its approval" in response.json()["detail"]
    assert not PostClaim.objects.exists()


def test_records_are_created_listed_and_refused_when_dated_in_the_future(
    city: City, bureau: Bureau, branch_secretary: User
) -> None:
    make_report(bureau.worker, city.east, approver=branch_secretary)
    claim = make_claim(make_post(city.east, branch_secretary), bureau.worker)
    member = _as(bureau.worker)
    payload = {"served_on": "2026-11-01", "hours": "1.5", "description": "文明劝导", "claim_id": claim.pk}
    response = member.post("/api/v1/community/records", payload, content_type=JSON)
    assert response.status_code == 201 and response.json()["claim_id"] == claim.pk
    payload = {"served_on": "2999-01-01", "hours": "1", "description": "未来"}
    response = member.post("/api/v1/community/records", payload, content_type=JSON)
    assert response.status_code == 422 and response.json()["detail"] == "The date of service cannot be in the future."
    payload = {"served_on": "2026-11-01", "hours": "-1", "description": "负数"}
    response = member.post("/api/v1/community/records", payload, content_type=JSON)
    assert response.status_code == 422 and response.json()["detail"] == "Hours cannot be negative."
    assert ServiceRecord.objects.count() == 1
    assert [
        r["description"] for r in _as(branch_secretary).get("/api/v1/community/records?managed=true").json()["items"]
    ] == ["文明劝导"]


def test_withdrawing_a_claim_frees_the_place(city: City, bureau: Bureau, branch_secretary: User) -> None:
    make_report(bureau.worker, city.east, approver=branch_secretary)
    claim = make_claim(make_post(city.east, branch_secretary), bureau.worker)
    response = _as(bureau.worker).post(f"/api/v1/community/claims/{claim.pk}/withdraw", {}, content_type=JSON)
    assert response.status_code == 200 and response.json()["withdrawn_at"] is not None
    response = _as(bureau.worker).post(f"/api/v1/community/claims/{claim.pk}/withdraw", {}, content_type=JSON)
    assert response.status_code == 409


def test_the_feedback_is_served_to_the_home_organization_and_hidden_from_others(
    city: City, bureau: Bureau, branch_secretary: User
) -> None:
    make_report(bureau.worker, city.east, approver=branch_secretary, today=date(2026, 7, 2))
    response = _as(bureau.secretary).get("/api/v1/community/feedback?org=D2J&quarter=2026Q3")
    assert response.status_code == 200
    body = response.json()
    assert body["members"] == 1 and body["rows"][0]["community_code"] == "D1E"
    assert _as(branch_secretary).get("/api/v1/community/feedback?org=D2J&quarter=2026Q3").status_code == 404
    response = _as(bureau.secretary).get("/api/v1/community/feedback?org=D2J&quarter=2026-3")
    assert response.status_code == 422 and "e.g. 2026Q3" in response.json()["detail"]


def _record(member: User, community: Any, description: str) -> None:
    record_create(
        actor=member, community=community, served_on=date(2026, 11, 1), hours=Decimal("1"), description=description
    )


@pytest.mark.parametrize("managed", [False, True])
def test_records_are_listed_a_page_at_a_time_with_the_count_of_all(
    city: City, bureau: Bureau, branch_secretary: User, managed: bool
) -> None:
    make_report(bureau.worker, city.east, approver=branch_secretary)
    for n in range(PAGE_SIZE + 1):
        _record(bureau.worker, city.east, f"第{n}次")
    client = _as(branch_secretary if managed else bureau.worker)
    first = client.get("/api/v1/community/records", {"managed": managed}).json()
    assert first["count"] == PAGE_SIZE + 1 and len(first["items"]) == PAGE_SIZE
    second = client.get("/api/v1/community/records", {"managed": managed, "page": 2}).json()
    assert len(second["items"]) == 1
    listed = {r["id"] for r in first["items"]} | {r["id"] for r in second["items"]}
    assert listed == set(ServiceRecord.objects.values_list("id", flat=True))


def test_every_community_list_answers_items_and_count(city: City, bureau: Bureau, branch_secretary: User) -> None:
    make_report(bureau.worker, city.east, approver=branch_secretary)
    make_claim(make_post(city.east, branch_secretary), bureau.worker)
    _record(bureau.worker, city.east, "文明劝导")
    expected = {
        "reports": CommunityReport.objects.count(),
        "posts": ServicePost.objects.count(),
        "claims": PostClaim.objects.count(),
        "records": ServiceRecord.objects.count(),
    }
    for user, params in ((bureau.worker, {}), (branch_secretary, {"managed": "true"})):
        for name, count in expected.items():
            if name == "claims" and params:
                continue  # claims are the caller's own only
            body = _as(user).get(f"/api/v1/community/{name}", params).json()
            assert body["count"] == count == len(body["items"]), (name, params)

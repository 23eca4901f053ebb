"""One error body for every refusal, documented on every operation; a JSON 404 under /api/."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.testing import TestClient

from conftest import City
from lianxin.accounts.models import User
from lianxin.community.models import ServicePost
from lianxin.core import api_errors
from lianxin.core.api_errors import ApiError, install_error_handlers

JSON = "application/json"
ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from config.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]


def _error_ref(op: dict[str, Any], status: int) -> str | None:
    response = op["responses"].get(status) or op["responses"].get(str(status))
    reference: str | None = response and response["content"]["application/json"]["schema"]["$ref"]
    return reference


def test_every_operation_documents_its_errors_with_the_one_error_schema(schema: dict[str, Any]) -> None:
    operations = _operations(schema)
    assert len(operations) > 50
    for path, method, op in operations:
        expected = {404}
        if op.get("parameters") or op.get("requestBody"):
            expected |= {400, 422}
        if op.get("security"):
            expected |= {401, 403}
        if method != "get":
            expected |= {409}
        for status in expected:
            assert _error_ref(op, status) == ERROR_REF, (method, path, status)


def test_every_writing_operation_documents_409_and_422_and_the_conflict_codes(schema: dict[str, Any]) -> None:
    writes = [(path, method, op) for path, method, op in _operations(schema) if method != "get"]
    assert writes
    for path, method, op in writes:
        for status in (409, 422):
            assert _error_ref(op, status) == ERROR_REF, (method, path, status)
        conflict = op["responses"].get(409) or op["responses"]["409"]
        assert all(code in conflict["description"] for code in api_errors.CONFLICT_CODES), (method, path)


def test_the_error_schema_has_detail_and_code(schema: dict[str, Any]) -> None:
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail"]
    assert set(error["properties"]) == {"detail", "code", "errors"}


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_address_is_a_json_404(method: str) -> None:
    response = getattr(Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en"), method)("/api/v1/no-such-thing")
    assert response.status_code == 404 and response["Content-Type"].startswith(JSON)
    assert response.json() == {"detail": "There is no such API address.", "code": "not_found"}


@pytest.mark.django_db
def test_an_object_outside_the_scope_is_a_json_404_in_the_callers_language(city: City, branch_secretary: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(branch_secretary)
    response = client.get(f"/api/v1/organizations/{city.west.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到，或不在您账号的查看范围内。", "code": "not_found"}


@pytest.mark.django_db
def test_a_request_whose_fields_do_not_validate_is_a_422_naming_each_field(city: City, city_admin: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(city_admin)
    payload = {"community_code": "D1E", "title": "岗", "category": "policy", "capacity": "many"}
    response = client.post("/api/v1/community/posts", payload, content_type=JSON)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert [e["field"] for e in body["errors"]] == ["body.capacity"]
    assert body["detail"].startswith("Some fields of the request are not valid: body.capacity:")
    assert not ServicePost.objects.exists()


@pytest.mark.django_db
def test_an_anonymous_request_is_a_401_with_the_error_body(city: City) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/organizations")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized" and "Bearer" in response.json()["detail"]


def _handlers_client() -> TestClient:
    api = NinjaAPI(urls_namespace="errors-under-test")
    install_error_handlers(api)

    @api.get("/refused")
    def refused(request: Any) -> None:
        raise ValidationError("The place is taken.", code="full")

    @api.get("/forbidden")
    def forbidden(request: Any) -> None:
        raise PermissionDenied("Only the secretary may do this.")

    @api.get("/conflict")
    def conflict(request: Any) -> None:
        raise ApiError(409, "Someone was quicker.", code="taken")

    @api.get("/plain")
    def plain(request: Any) -> None:
        raise HttpError(409, "Already done.")

    return TestClient(api)


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/refused", 422, {"detail": "The place is taken.", "code": "full"}),
        ("/forbidden", 403, {"detail": "Only the secretary may do this.", "code": "forbidden"}),
        ("/conflict", 409, {"detail": "Someone was quicker.", "code": "taken"}),
        ("/plain", 409, {"detail": "Already done.", "code": "conflict"}),
    ],
)
def test_each_kind_of_refusal_answers_the_one_error_body(
    monkeypatch: pytest.MonkeyPatch, path: str, status: int, body: dict[str, str]
) -> None:
    # Only the kernel's conflict codes: the apps' declarations ("full" among them) are not under test here.
    monkeypatch.setattr(api_errors, "CONFLICT_CODES", {"conflict", "invalid_transition"})
    response = _handlers_client().get(path)
    assert response.status_code == status and response.json() == body


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["body", "query"])
def test_text_with_a_nul_character_is_a_422_and_writes_nothing(city: City, city_admin: User, where: str) -> None:
    """PostgreSQL cannot hold NUL in text: refused before anything is looked up (a server error there before)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(city_admin)
    if where == "body":
        payload = {"community_code": "D1\x00E", "title": "岗", "category": "policy", "capacity": 1}
        response = client.post("/api/v1/community/posts", payload, content_type=JSON)
    else:
        response = client.get("/api/v1/demands", {"q": "水\x00管"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and [e["field"] for e in body["errors"]] == [where]
    assert "NUL" in body["detail"]
    assert not ServicePost.objects.exists()

"""The one error handler: a service's refusal answers 409 when its code is a declared conflict, else 422."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from ninja import NinjaAPI
from ninja.testing import TestClient

from lianxin.core import api_errors
from lianxin.core.api_errors import conflict_codes, document_errors, install_error_handlers


@pytest.fixture(autouse=True)
def kernel_codes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel's own conflict codes; what a test declares is forgotten after it."""
    monkeypatch.setattr(api_errors, "CONFLICT_CODES", {"conflict", "invalid_transition"})


def _api() -> NinjaAPI:
    api = NinjaAPI(urls_namespace="core-errors-under-test")
    install_error_handlers(api)

    @api.post("/full")
    def full(request: Any) -> None:
        raise ValidationError("The session is full.", code="session_full")

    @api.post("/too-long")
    def too_long(request: Any) -> None:
        raise ValidationError("The note is too long.", code="note_too_long")

    @api.post("/moved")
    def moved(request: Any) -> None:
        raise ValidationError("Someone changed this first.", code="conflict")

    return api


def test_a_declared_conflict_code_answers_409_and_any_other_422() -> None:
    conflict_codes("session_full")
    client = TestClient(_api())

    full = client.post("/full")
    assert full.status_code == 409
    assert full.json() == {"detail": "The session is full.", "code": "session_full"}

    too_long = client.post("/too-long")
    assert too_long.status_code == 422
    assert too_long.json() == {"detail": "The note is too long.", "code": "note_too_long"}


def test_an_undeclared_code_answers_422() -> None:
    response = TestClient(_api()).post("/full")
    assert response.status_code == 422
    assert response.json()["code"] == "session_full"


def test_the_state_machines_own_conflict_is_a_409_without_declaring_it() -> None:
    response = TestClient(_api()).post("/moved")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_every_writing_operation_documents_409_and_422_with_the_declared_codes() -> None:
    conflict_codes("session_full")
    schema = document_errors(dict(_api().get_openapi_schema(path_prefix="")))
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert len(operations) == 3
    for operation in operations:
        responses = operation["responses"]
        assert {409, 422} <= set(responses)
        assert responses[409]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
        assert "session_full" in responses[409]["description"]
        assert "invalid_transition" in responses[409]["description"]

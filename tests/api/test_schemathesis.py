"""Property-based requests to every operation of /api/v1/openapi.json, writes included,
anonymously and with a city administrator's bearer token: no server error, and every answer
has a documented status, content type and body.

The app is called in process through WSGI, inside the test's database transaction; the number
of examples per operation is bounded so the whole file runs in well under a minute. Each test
runs every operation and lists every failure at once.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import City
from lianxin.accounts.api import api_token_create
from lianxin.accounts.models import User
from lianxin.members.tests.factories import make_member

EXAMPLES = 3
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())

bounded = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def in_the_test_transaction(db: None) -> Iterator[None]:
    """Keep the connection open between requests, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def some_data(city: City, city_admin: User, in_the_test_transaction: None) -> None:
    """A member and an activity, so some ids and codes the examples try exist."""
    from lianxin.activities.services.planning import activity_plan

    make_member(city.east, name="李明")
    starts = timezone.now() + timedelta(days=3)
    activity_plan(
        actor=city_admin,
        organization=city.east,
        kind="party_lecture",
        title="党课",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )


@pytest.fixture
def bearer(city_admin: User, some_data: None) -> dict[str, str]:
    _token, value = api_token_create(user=city_admin, name="schemathesis")
    return {"Authorization": f"Bearer {value}"}


def _run_every_operation(headers: dict[str, str]) -> list[str]:
    """Each operation's bounded examples; the failures, one line each."""
    failures = []
    operations = list(schema.get_all_operations())
    assert len(operations) == sum(len(item) for item in schema.raw_schema["paths"].values())
    for result in operations:
        assert isinstance(result, Ok)
        operation = result.ok()

        @given(case=operation.as_strategy())
        @bounded
        def examples(case: schemathesis.Case[Any]) -> None:
            # Each example in its own savepoint, rolled back after: a database error in one request
            # (which PostgreSQL lets abort the test's transaction) cannot fail the ones after it.
            savepoint = transaction.savepoint()
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            finally:
                transaction.savepoint_rollback(savepoint)

        try:
            examples()
        except (AssertionError, BaseExceptionGroup) as exc:  # failed checks: report them with the others
            failures.append(f"{operation.method.upper()} {operation.path}: {' '.join(str(exc).split())[:600]}")
    return failures


def test_anonymous_requests_get_documented_answers(some_data: None) -> None:
    failures = _run_every_operation({})
    assert not failures, "\n".join(failures)


def test_token_requests_get_documented_answers(bearer: dict[str, str]) -> None:
    failures = _run_every_operation(bearer)
    assert not failures, "\n".join(failures)

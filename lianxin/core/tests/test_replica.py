"""Where reads go with a streaming replica (lianxin/core/replica.py): to the replica inside
replica_reads() until the first write, to the primary otherwise; writes always to the primary.
tests/integration/test_read_replica.py runs the same against a real primary and replica."""

import importlib.util
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from lianxin.core.models import AuditEntry, Event, Holiday
from lianxin.core.replica import REPLICA, ReplicaRouter, reads_on_replica, replica_reads

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The replica alias is configured (nothing connects to it here: these tests only route)."""
    monkeypatch.setitem(settings.DATABASES, REPLICA, {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}})
    yield


def test_reads_go_to_the_replica_only_inside_the_scope(with_replica: None) -> None:
    assert router.db_for_read(Holiday) == "default"
    with replica_reads():
        assert router.db_for_read(Holiday) == REPLICA
        assert router.db_for_read(Event) == REPLICA
    assert router.db_for_read(Holiday) == "default"


def test_without_the_alias_the_scope_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(settings.DATABASES, REPLICA, raising=False)
    with replica_reads():
        assert router.db_for_read(Holiday) == "default"


def test_writes_go_to_the_primary_and_later_reads_follow_them(with_replica: None) -> None:
    with replica_reads():
        assert router.db_for_read(Holiday) == REPLICA
        assert router.db_for_write(AuditEntry) == "default"
        # What the request wrote is what it reads: the replica may not have it yet.
        assert router.db_for_read(Holiday) == "default"
        assert router.db_for_read(AuditEntry) == "default"
    with replica_reads():
        assert router.db_for_read(Holiday) == REPLICA
    assert router.db_for_write(Holiday) == "default"


def test_a_nested_scope_keeps_what_the_outer_one_wrote(with_replica: None) -> None:
    with replica_reads():
        router.db_for_write(AuditEntry)
        with replica_reads():
            assert router.db_for_read(Holiday) == "default"
        assert router.db_for_read(Holiday) == "default"


@pytest.mark.parametrize("label", ["accounts.RoleAssignment", "accounts.ApiToken", "sessions.Session", "core.Throttle"])
def test_who_may_see_what_is_always_read_on_the_primary(with_replica: None, label: str) -> None:
    with replica_reads():
        assert router.db_for_read(apps.get_model(label)) == "default"
        assert router.db_for_read(get_user_model()) == REPLICA


@pytest.mark.django_db
def test_a_scope_opened_inside_a_transaction_reads_the_transaction(with_replica: None) -> None:
    """The test runs inside a transaction of the primary; a replica would not see its rows."""
    with replica_reads():
        assert router.db_for_read(Holiday) == "default"


def test_migrations_run_on_the_primary_only_and_relations_cross_aliases() -> None:
    assert router.allow_migrate("default", "organizations") is True
    assert router.allow_migrate(REPLICA, "organizations") is False
    assert router.allow_relation(Holiday(), Holiday()) is True


def test_the_view_decorator_reads_who_is_asking_on_the_primary(with_replica: None) -> None:
    seen: dict[str, str] = {}

    def who_is_asking() -> Any:
        seen["user"] = router.db_for_read(get_user_model())
        return get_user_model()(username="reader")

    @reads_on_replica
    def view(request: HttpRequest) -> HttpResponse:
        seen["view"] = router.db_for_read(Holiday)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(who_is_asking)  # type: ignore[assignment]
    assert view(request).status_code == 200
    assert seen == {"user": "default", "view": REPLICA}
    assert router.db_for_read(Holiday) == "default"


def _settings_module(name: str) -> ModuleType:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_add_the_replica_only_when_its_address_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    base = _settings_module("config.settings.base")
    assert list(base.DATABASES) == ["default"] and not hasattr(base, "DATABASE_ROUTERS")

    monkeypatch.setenv("DATABASE_URL", "postgres://lianxin@db-primary.internal:5432/lianxin")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://lianxin@db-replica.internal:5432/lianxin")
    base = _settings_module("config.settings.base")
    assert base.DATABASES["replica"]["HOST"] == "db-replica.internal"
    assert base.DATABASES["default"]["HOST"] == "db-primary.internal"
    assert base.DATABASE_ROUTERS == ["lianxin.core.replica.ReplicaRouter"]

    # The test settings read the replica alias from the test database of default.
    monkeypatch.setitem(sys.modules, "config.settings.base", base)
    test = _settings_module("config.settings.test")
    assert test.DATABASES["replica"]["TEST"] == {"MIRROR": "default"}

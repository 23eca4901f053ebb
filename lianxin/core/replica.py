"""Figures, boards and exports read from a streaming replica (docs/deployment.md).

With DATABASE_REPLICA_URL set, the settings add the database alias ``replica`` and
:class:`ReplicaRouter`. Code that only reads, apart from its audit entry, runs inside
:func:`replica_reads` (views: :func:`reads_on_replica`). There:

- reads go to the replica, until the first write: from then on every read goes to the primary,
  so what the request has written is what it reads;
- writes always go to the primary (``default``), the audit entry of an export included;
- the models named in REPLICA_PRIMARY_MODELS (who holds which role, tokens, sessions,
  throttles) are read on the primary, so a revoked role stops at once;
- a scope opened inside a transaction changes nothing: the transaction reads its own database.

Outside a scope, and without the alias, every read goes to the primary as before.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest
from django.http.response import HttpResponseBase

REPLICA = "replica"

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


@dataclass
class _Scope:
    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("replica_reads", default=None)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica until something is written (see the module's text)."""
    if _scope.get() is not None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        yield
        return
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def reads_on_replica(view: View) -> View:
    """Run a view that only reads (and records its download) inside :func:`replica_reads`.
    Who is asking is read on the primary first, as the session and the account are."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - resolves the lazy user now, on the primary
        with replica_reads():
            return view(request, *args, **kwargs)

    wrapper.reads_on_replica = True  # type: ignore[attr-defined]  # kept by the decorators above (functools.wraps)
    return wrapper  # type: ignore[return-value]


class ReplicaRouter:
    """DATABASE_ROUTERS entry, installed with the replica alias (config/settings/base.py)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if scope is None or scope.wrote or REPLICA not in settings.DATABASES:
            return DEFAULT_DB_ALIAS
        if model._meta.label_lower in getattr(settings, "REPLICA_PRIMARY_MODELS", ()):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS

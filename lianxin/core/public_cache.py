"""Public pages (the wish wall, the service menu) read the same for every anonymous visitor.

Their rendered body is kept for a short while under the stamp of the newest timeline event.
Every change the pages show writes an Event in the same transaction (state_transition,
event_record), so the first view after a change renders afresh; a busy public page otherwise
costs one index probe. Logged-in people always get a fresh page (their buttons differ).
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from lianxin.core.models import Event
from lianxin.core.statements import rows_read

PUBLIC_CACHE_SECONDS = 30

T = TypeVar("T")


def last_change_stamp() -> str:
    """The newest timeline event; its time makes the stamp unique even where a database reuses ids."""
    # Raw SQL: one backward step on the primary key, without the ORM's cost on every public view. Read where
    # the page's rows are read (a board reads the replica), so the stamp is never newer than the page it keeps.
    latest = rows_read(Event, "SELECT id, at FROM {table} ORDER BY id DESC LIMIT 1")
    return "" if not latest else f"{latest[0][0]}@{latest[0][1]}"


def cached_for_anonymous(request: HttpRequest, name: str, build: Callable[[], T]) -> T:
    """`build()` for this page, its query string and language, reused until anything changes."""
    if request.user.is_authenticated:
        return build()
    stamp = f"{get_language()}|{request.GET.urlencode()}|{last_change_stamp()}"
    key = f"public:{name}:" + hashlib.sha256(stamp.encode()).hexdigest()
    value: T | None = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, PUBLIC_CACHE_SECONDS)
    return value

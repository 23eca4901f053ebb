"""Counting tries per key in a window, exactly, on PostgreSQL and SQLite.

A try is taken before the thing it guards is done (checking a password, looking up a demand,
saving a submission, comparing a check-in code) by one conditional UPDATE of the key's row:
`count + 1` where the count is under the limit or the window has ended. Concurrent takes of one
key queue on the row (a row lock on PostgreSQL, the write lock on SQLite) and each sees the count
the previous one left, so N simultaneous requests let exactly `limit` through. A try that succeeded may be given back.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from lianxin.core.crypto import lookup_hash
from lianxin.core.models import Throttle

# Rows whose window ended this long ago are deleted as new tries come in.
KEEP_ENDED = timedelta(days=1)
PRUNE_BATCH = 100


@dataclass(frozen=True)
class Rule:
    """`limit` tries per key and window; both read from settings when used, so tests may change them."""

    scope: str
    limit_setting: str
    default_limit: int
    window_setting: str | None = "LOGIN_FAILURE_WINDOW_MINUTES"
    default_minutes: int = 15

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.limit_setting, self.default_limit))

    @property
    def window(self) -> timedelta:
        minutes = getattr(settings, self.window_setting, None) if self.window_setting else None
        return timedelta(minutes=int(minutes or self.default_minutes))


def _key(rule: Rule, key: str) -> str:
    return lookup_hash(f"{rule.scope}:{key}")


def _row(rule: Rule, key: str) -> Throttle | None:
    return Throttle.objects.filter(scope=rule.scope, key=_key(rule, key)).first()


def throttle_take(*, rule: Rule, key: str, now: datetime | None = None) -> bool:
    """Use one try of `key`; False, with nothing written, when its tries in this window are spent.

    An empty key (no address known) is not counted. `now` is the present unless a caller that
    keeps its own clock (a check-in at a given time) says otherwise."""
    if not key:
        return True
    stored, now = _key(rule, key), now or timezone.now()
    ended = Q(window_started_at__lte=now - rule.window)
    with transaction.atomic():
        _prune(now - rule.window - KEEP_ENDED, keep=stored)
        for _attempt in range(2):
            Throttle.objects.bulk_create(
                [Throttle(scope=rule.scope, key=stored, count=0, window_started_at=now)], ignore_conflicts=True
            )
            taken = (
                Throttle.objects.filter(scope=rule.scope, key=stored)
                .filter(ended | Q(count__lt=rule.limit))
                .update(
                    count=Case(When(ended, then=Value(1)), default=F("count") + 1),
                    window_started_at=Case(When(ended, then=Value(now)), default=F("window_started_at")),
                )
            )
            if taken:
                return True
            if Throttle.objects.filter(scope=rule.scope, key=stored).exists():
                return False
            # Deleted between the two statements as an ended window: create it again.
    return False


def _prune(before: datetime, *, keep: str) -> None:
    """Delete a batch of rows whose window ended long ago. Rows another transaction holds are
    skipped (SKIP LOCKED on PostgreSQL), so two requests pruning at once never wait on each other."""
    ended = Throttle.objects.filter(window_started_at__lt=before).exclude(key=keep).order_by("pk")
    batch = list(ended.select_for_update(skip_locked=True).values_list("pk", flat=True)[:PRUNE_BATCH])
    if batch:
        Throttle.objects.filter(pk__in=batch).delete()


def throttle_give_back(*, rule: Rule, key: str) -> None:
    """Return one try (the thing it guarded succeeded)."""
    if key:
        Throttle.objects.filter(scope=rule.scope, key=_key(rule, key), count__gt=0).update(count=F("count") - 1)


def throttle_clear(*, rule: Rule, key: str) -> None:
    """Forget the tries of `key` in this window."""
    if key:
        Throttle.objects.filter(scope=rule.scope, key=_key(rule, key)).update(count=0)


def _current(rule: Rule, key: str, now: datetime) -> Throttle | None:
    row = _row(rule, key) if key else None
    return row if row is not None and row.window_started_at > now - rule.window else None


def throttle_used(*, rule: Rule, key: str, now: datetime | None = None) -> int:
    """Tries `key` has used in its current window."""
    row = _current(rule, key, now or timezone.now())
    return row.count if row is not None else 0


def throttle_minutes_left(*, rule: Rule, key: str, now: datetime | None = None) -> int:
    """Whole minutes until the current window of `key` ends (at least 1), for messages."""
    now = now or timezone.now()
    row = _current(rule, key, now)
    if row is None:
        return 1
    return max(1, math.ceil((row.window_started_at + rule.window - now).total_seconds() / 60))

"""Race helpers for the concurrency tests, on PostgreSQL and SQLite alike.

The actions run in real threads, each with its own database connection, and are released
together by a barrier, so the database (a conditional UPDATE, a row lock) decides who wins,
not the order the test happens to run them in.
"""

import threading
from collections.abc import Callable, Sequence
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

JOIN_TIMEOUT = 60


class Race(NamedTuple):
    """How a race ended: how many actions went through, and the messages of those refused."""

    wins: int
    refusals: list[str]


def all_at_once(actions: Sequence[Callable[[threading.Barrier], object]]) -> Race:
    """Run every action in its own thread and connection, in English, and tally the outcome.

    Each action loads what it needs, calls `barrier.wait()`, then writes. A ValidationError
    counts as a refusal; any other exception is raised here, in the main thread.
    """
    barrier = threading.Barrier(len(actions))
    lock = threading.Lock()
    wins: list[int] = []
    refusals: list[str] = []
    unexpected: list[BaseException] = []

    def run(action: Callable[[threading.Barrier], object]) -> None:
        try:
            with translation.override("en"):
                try:
                    action(barrier)
                except ValidationError as exc:
                    with lock:
                        refusals.extend(exc.messages)
                else:
                    with lock:
                        wins.append(1)
        except BaseException as exc:  # surfaced in the main thread
            with lock:
                unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=JOIN_TIMEOUT)
    if unexpected:
        raise AssertionError(f"unexpected errors in the racing threads: {unexpected!r}") from unexpected[0]
    return Race(len(wins), refusals)

"""Stories played in the order of their moments, the clock set back to each.

A story is a generator: it yields the moment of its next step and, when resumed, does that
step (with the clock stopped at that moment, so `timezone.now()` inside it is the moment),
then yields the moment of the one after. The timeline resumes, of all the stories, the one
whose moment comes first, so two stories that touch the same rows (a duplicate and its
original, a hot spot and its complaints, the nightly escalation and every demand) see each
other's steps in the order they happened. Nothing is dated after `until`; a step planned
later happens at `until`, after the steps already there.
"""

import heapq
import itertools
from collections.abc import Callable, Generator
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianxin.demo.context import ServiceContext

# Staff work by day: a step of theirs planned outside these hours waits for the next morning.
OPENS, CLOSES = time(8, 30), time(18, 0)
# A story, or a part of one that returns a value to the story it is part of.
Steps = Generator[datetime, None, None]


class Timeline:
    def __init__(self, ctx: ServiceContext, until: datetime) -> None:
        self.ctx, self.until = ctx, until
        self._queue: list[tuple[datetime, int, Steps]] = []
        self._order = itertools.count()

    def add(self, story: Steps) -> None:
        """Plan a story; the code before its first yield must write nothing."""
        self._resume(story, None)

    def run(self) -> None:
        while self._queue:
            at, _n, story = heapq.heappop(self._queue)
            with self.ctx.happen(at):
                self._resume(story, at)

    def _resume(self, story: Steps, now: datetime | None) -> None:
        at = next(story, None)
        if at is None:
            return
        at = min(at, self.until)
        if now is not None:
            at = max(at, now)
        heapq.heappush(self._queue, (at, next(self._order), story))


def nightly(ctx: ServiceContext, first: date, until: datetime, job: Callable[[], object], hour: int = 1) -> Steps:
    """A job run every night at `hour`, from `first` until `until`."""
    day = first
    while (at := ctx.at(day, hour)) <= until:
        yield at
        job()
        day += timedelta(days=1)


def in_office_hours(at: datetime) -> datetime:
    """`at`, or the next opening of the offices when `at` falls outside their hours."""
    local = timezone.localtime(at)
    if OPENS <= local.time() < CLOSES:
        return at
    day = local.date() + timedelta(days=1) if local.time() >= CLOSES else local.date()
    return timezone.make_aware(datetime.combine(day, OPENS)) + timedelta(minutes=local.minute % 30)

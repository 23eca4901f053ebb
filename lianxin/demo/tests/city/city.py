"""The demo city these tests share: what its one build printed and counted, and the day it was built for."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from unittest import mock

from django.utils import timezone, translation

from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.demo import development_demo
from lianxin.demo.context import ServiceContext, demo_clock
from lianxin.members.models import Member, Transfer
from lianxin.organizations.models import Area, Organization, ServiceCenter


@dataclass(frozen=True)
class DemoCity:
    today: date
    first_output: str
    second_output: str
    counts: dict[str, int]
    development: "DevelopmentRun | None" = field(default=None, compare=False)
    built_at: datetime | None = None

    @property
    def now(self) -> datetime:
        """The demo's own clock: what started before it stands held, what starts after it planned."""
        return demo_clock(self.today, self.built_at or timezone.now())


@dataclass
class DevelopmentRun:
    """The development part of the build as it began: its context, the random generator's state and
    the language it was built in (the warnings are kept as worded), so it can be run again alone."""

    ctx: ServiceContext
    scale: str
    rng_state: tuple[object, ...]
    language: str

    def again(self) -> None:
        self.ctx.rng.setstate(self.rng_state)
        with translation.override(self.language):
            development_demo.build(self.ctx, self.scale)


@contextmanager
def development_recorded() -> Iterator[list[DevelopmentRun]]:
    """Record how the development part of a build began, and run it as it is."""
    runs: list[DevelopmentRun] = []
    build: Callable[[ServiceContext, str], None] = development_demo.build

    def recorded(ctx: ServiceContext, scale: str) -> None:
        state: tuple[object, ...] = ctx.rng.getstate()
        runs.append(DevelopmentRun(ctx, scale, state, translation.get_language()))
        build(ctx, scale)

    with mock.patch.object(development_demo, "build", recorded):
        yield runs


def demo_counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "transfers": Transfer.objects.count(),
        "events": Event.objects.count(),
        "service_centers": ServiceCenter.objects.count(),
        "users": User.objects.count(),
    }

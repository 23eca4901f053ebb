"""Figure snapshots: computed for what a figure names, kept while fresh, read only while fresh."""

import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from lianxin.core import snapshots
from lianxin.core.models import FigureSnapshot, Holiday
from lianxin.core.periods import Period
from lianxin.core.snapshots import Computed, Figure, snapshot_items, snapshot_read, snapshots_refresh

pytestmark = pytest.mark.django_db

SHANGHAI = timezone.get_default_timezone()
MORNING = datetime(2026, 5, 15, 9, tzinfo=SHANGHAI)
NAME = "core.holidays"


class Kept:
    """What the test figure is asked to keep, changed by the tests."""

    organizations: list[int] = [1, 2]
    version = 1


def holidays(organization_id: int, period: Period, today: date) -> Computed:
    found = Holiday.objects.filter(date__range=(period.start, period.end)).order_by("date")
    payload = {"organization": organization_id, "holidays": found.count(), "today": today.isoformat()}
    return Computed(payload, b"".join(day.date.strftime("%m%d").encode() for day in found))


@pytest.fixture(autouse=True)
def figure(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    snapshots.figures()  # the apps' figures found first, then this one beside them, for this test only
    monkeypatch.setattr(snapshots, "_FIGURES", {})
    Kept.organizations, Kept.version = [1, 2], 1
    _register()
    yield


def _register() -> None:
    snapshots._FIGURES.pop(NAME, None)
    snapshots.figure_register(
        Figure(NAME, holidays, lambda today: [Period.year(today.year)], lambda: Kept.organizations, Kept.version)
    )


YEAR = Period.year(2026)


def test_a_refresh_computes_every_organization_and_period_the_figure_names() -> None:
    Holiday.objects.create(date=date(2026, 10, 1), name="国庆节")
    with time_machine.travel(MORNING, tick=False):
        (run,) = snapshots_refresh()
        stored = FigureSnapshot.objects.get(name=NAME, organization_id=2, start=YEAR.start, end=YEAR.end)
        read = snapshot_read(NAME, 2, YEAR)

    assert (run.computed, run.kept, run.dropped) == (2, 0, 0)
    assert stored.payload == {"organization": 2, "holidays": 1, "today": "2026-05-15"}
    assert stored.computed_at == MORNING and stored.computed_for == date(2026, 5, 15)
    assert read is not None and read.payload["holidays"] == 1 and read.computed_at == MORNING


def test_a_snapshots_items_are_read_by_slices() -> None:
    for day in (date(2026, 1, 1), date(2026, 5, 1), date(2026, 10, 1)):
        Holiday.objects.create(date=day, name="节日")
    with time_machine.travel(MORNING, tick=False):
        snapshots_refresh()
        read = snapshot_read(NAME, 1, YEAR)

    assert read is not None
    assert snapshot_items(read, 4, 4) == b"0501"
    assert snapshot_items(read, 8, 100) == b"1001"
    assert snapshot_items(read, 12, 4) == b"" and snapshot_items(read, 0, 0) == b""


def test_a_fresh_snapshot_is_kept_and_one_past_the_interval_computed_again() -> None:
    with time_machine.travel(MORNING, tick=False):
        snapshots_refresh()
    Holiday.objects.create(date=date(2026, 10, 1), name="国庆节")

    with time_machine.travel(MORNING + timedelta(minutes=9), tick=False):
        (kept,) = snapshots_refresh()
        unchanged = snapshot_read(NAME, 1, YEAR)
    with time_machine.travel(MORNING + timedelta(minutes=11), tick=False):
        (again,) = snapshots_refresh()
        changed = snapshot_read(NAME, 1, YEAR)

    assert (kept.computed, kept.kept) == (0, 2)
    assert unchanged is not None and unchanged.payload["holidays"] == 0
    assert (again.computed, again.kept) == (2, 0)
    assert changed is not None and changed.payload["holidays"] == 1
    assert changed.computed_at == MORNING + timedelta(minutes=11)


@override_settings(LIANXIN_SNAPSHOT_REFRESH_MINUTES=60)
def test_force_computes_fresh_snapshots_too_and_the_interval_is_a_setting() -> None:
    with time_machine.travel(MORNING, tick=False):
        snapshots_refresh()
    with time_machine.travel(MORNING + timedelta(minutes=30), tick=False):
        (kept,) = snapshots_refresh()
        (forced,) = snapshots_refresh(force=True)

    assert (kept.computed, forced.computed) == (0, 2)


def test_a_stale_snapshot_is_not_read() -> None:
    with time_machine.travel(MORNING, tick=False):
        snapshots_refresh()
    with time_machine.travel(MORNING + timedelta(minutes=29), tick=False):
        young = snapshot_read(NAME, 1, YEAR)
    with time_machine.travel(MORNING + timedelta(minutes=31), tick=False):
        old = snapshot_read(NAME, 1, YEAR)
        with override_settings(LIANXIN_SNAPSHOT_STALE_MINUTES=60):
            allowed = snapshot_read(NAME, 1, YEAR)

    assert young is not None and old is None and allowed is not None


def test_a_snapshot_of_yesterday_or_of_another_version_is_not_read() -> None:
    late = datetime(2026, 5, 15, 23, 55, tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False):
        snapshots_refresh()
    with time_machine.travel(late + timedelta(minutes=10), tick=False):
        next_day = snapshot_read(NAME, 1, YEAR)
    with time_machine.travel(late + timedelta(minutes=1), tick=False):
        Kept.version = 2
        _register()
        other_version = snapshot_read(NAME, 1, YEAR)
        (run,) = snapshots_refresh()

    assert next_day is None and other_version is None
    assert run.computed == 2  # the new version computed at once, however fresh the old one


def test_snapshots_no_longer_named_are_dropped() -> None:
    with time_machine.travel(MORNING, tick=False):
        snapshots_refresh()
        Kept.organizations = [2]
        (run,) = snapshots_refresh()

    assert (run.computed, run.kept, run.dropped) == (0, 1, 1)
    assert list(FigureSnapshot.objects.filter(name=NAME).values_list("organization_id", flat=True)) == [2]


def test_a_figure_named_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        snapshots.figure_register(Figure(NAME, holidays, lambda today: [], lambda: []))


def test_the_command_says_what_it_computed() -> None:
    out = io.StringIO()
    with time_machine.travel(MORNING, tick=False):
        call_command("snapshots_refresh", NAME, stdout=out)
        call_command("snapshots_refresh", NAME, stdout=out)
        call_command("snapshots_refresh", "--force", NAME, stdout=out)

    lines = [line.split(", in ")[0] for line in out.getvalue().splitlines()]
    assert lines == [
        f"{NAME}: 2 computed, 0 still fresh, 0 dropped",
        f"{NAME}: 0 computed, 2 still fresh, 0 dropped",
        f"{NAME}: 2 computed, 0 still fresh, 0 dropped",
    ]

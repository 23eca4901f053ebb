"""The tallies' refresh: every app's tallies found, rebuilt once, then refreshed for what changed."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from lianxin.core.models import TallyRun
from lianxin.core.tallies import oldest_write_began, tallied_at, tallies_refresh, tally_names, tally_register

pytestmark = pytest.mark.django_db


def test_every_app_that_keeps_tallies_is_found() -> None:
    assert set(tally_names()) >= {"members", "activities", "demands"}


def test_the_first_refresh_is_a_rebuild_and_the_next_ones_are_not() -> None:
    first = tallies_refresh()
    again = tallies_refresh()
    assert all(run.full for run in first) and not any(run.full for run in again)
    run = TallyRun.objects.get(name="members")
    assert tallied_at("members") == run.refreshed_at and run.changes_from is not None
    assert run.changes_from <= run.refreshed_at


def test_the_command_refreshes_or_rebuilds_and_says_so() -> None:
    out = io.StringIO()
    call_command("tallies_refresh", "members", stdout=out)
    call_command("tallies_refresh", "--all", "members", stdout=out)
    call_command("tallies_refresh", "members", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["members"] * 3
    assert ["rebuilt" in line for line in lines] == [True, True, False]
    assert not TallyRun.objects.filter(name="demands").exists()


def test_a_name_cannot_be_registered_twice_for_another_refresh() -> None:
    tally_names()
    with pytest.raises(ValueError, match="members"):
        tally_register("members", lambda since: 0)


def test_changes_are_looked_for_from_the_oldest_transaction_still_writing() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT now()")
            began = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO core_throttle (scope, key, count, window_started_at) VALUES ('t', 'k', 0, now())"
            )
        # then a refresh beginning an hour later still looks for changes from when that transaction began
        assert oldest_write_began(timezone.now() + timedelta(hours=1)) == began
    finally:
        other.rollback()
        other.close()
    assert oldest_write_began(began) == began

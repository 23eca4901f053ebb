"""Stored imports over time: private files, deleted after the retention time; stale runs fail and start again."""

import io
import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from pytest_django.fixtures import Settings

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.private_storage import private_storage
from lianxin.members.models import Member, RosterImport
from lianxin.members.services import imports as imports_module
from lianxin.members.services.import_upkeep import (
    import_retention,
    roster_import_files_purge,
    roster_import_retry,
    roster_imports_upkeep,
)
from lianxin.members.services.imports import roster_import_create, roster_import_fail, roster_import_run
from lianxin.members.tasks import roster_import_enqueue
from lianxin.members.tests.factories import make_roster_row, make_roster_workbook

pytestmark = pytest.mark.django_db

STALE = "The import stopped without finishing"


@pytest.fixture(autouse=True)
def english_and_private_media(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def upload(rows: list[dict[str, Any]], name: str = "名册.xlsx") -> io.BytesIO:
    workbook = make_roster_workbook(rows)
    workbook.name = name
    return workbook


def stored(user: User, rows: list[dict[str, Any]]) -> RosterImport:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return roster_import_create(actor=user, uploaded_file=SimpleUploadedFile("名册.xlsx", upload(rows).getvalue()))


def mode(path: str | Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def dead_run(roster_import: RosterImport, minutes_ago: int) -> RosterImport:
    """What a killed worker leaves: the import running, its last heartbeat long ago."""
    beat = timezone.now() - timedelta(minutes=minutes_ago)
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=RosterImport.Status.RUNNING, heartbeat_at=beat, processed_rows=2000, total_rows=10_000
    )
    roster_import.refresh_from_db()
    return roster_import


# ------------------------------------------------------------------------- private files


def test_an_upload_is_stored_owner_only_even_in_a_folder_made_before(
    city: City, district_admin: User, tmp_path: Path
) -> None:
    # Given an imports folder an older release made world-readable
    (tmp_path / "imports").mkdir(mode=0o755)
    os.chmod(tmp_path / "imports", 0o755)
    # When a roster is uploaded
    roster_import = stored(district_admin, [make_roster_row(city.east)])
    # Then the file is 0600 and every folder of it under the media root 0700
    path = Path(roster_import.file.path)
    assert mode(path) == 0o600
    folder = path.parent
    while folder != tmp_path:
        assert mode(folder) == 0o700, folder
        folder = folder.parent
    with pytest.raises(ValueError):
        private_storage().url(roster_import.file.name)


def test_a_finished_import_deletes_its_upload_and_a_bad_one_keeps_only_its_private_error_copy(
    city: City, district_admin: User
) -> None:
    good = stored(district_admin, [make_roster_row(city.east)])
    good_path = good.file.path
    roster_import_run(roster_import=good)
    good.refresh_from_db()
    assert good.status == RosterImport.Status.DONE
    assert not good.file and not os.path.exists(good_path)

    bad = stored(district_admin, [make_roster_row(city.east, 所在党组织="无此支部")])
    bad_path = bad.file.path
    roster_import_run(roster_import=bad)
    bad.refresh_from_db()
    assert bad.status == RosterImport.Status.INVALID
    assert not bad.file and not os.path.exists(bad_path)
    assert bad.error_file and mode(bad.error_file.path) == 0o600


def test_the_error_workbook_is_deleted_after_the_retention_time_and_the_page_says_when(
    client: Client, city: City, district_admin: User, settings: Settings
) -> None:
    # Given an invalid import with its error workbook, and a retention time of 6 hours
    settings.LIANXIN_IMPORT_RETENTION_HOURS = 6
    roster_import = stored(district_admin, [make_roster_row(city.east, 所在党组织="无此支部")])
    roster_import_run(roster_import=roster_import)
    roster_import.refresh_from_db()
    error_path = roster_import.error_file.path
    assert roster_import.finished_at is not None
    delete_at = roster_import.finished_at + timedelta(hours=6)
    # Then the page says when the workbook will be deleted
    page = as_user(client, district_admin).get(
        reverse("members:import_status", args=[roster_import.pk]), headers={"Accept-Language": "en"}
    )
    local = timezone.localtime(delete_at).strftime("%Y-%m-%d %H:%M")
    assert f"it is deleted at {local}" in page.content.decode()
    # When the periodic clean-up runs before that time, it stays
    assert roster_import_files_purge(now=delete_at - timedelta(minutes=1)) == 0
    assert os.path.exists(error_path)
    # and after it, it is gone, and the page offers no download any more
    assert roster_import_files_purge(now=delete_at + timedelta(minutes=1)) == 1
    roster_import.refresh_from_db()
    assert not roster_import.error_file and not os.path.exists(error_path)
    assert client.get(reverse("members:import_errors", args=[roster_import.pk])).status_code == 404


def test_files_no_import_refers_to_are_deleted_once_older_than_the_retention_time(
    city: City, district_admin: User, tmp_path: Path
) -> None:
    folder = tmp_path / "imports" / "2026" / "01"
    folder.mkdir(parents=True)
    old, young = folder / "old.xlsx", folder / "young.xlsx"
    for path in (old, young):
        path.write_bytes(b"PK\x03\x04")
    long_ago = (timezone.now() - import_retention() - timedelta(hours=1)).timestamp()
    os.utime(old, (long_ago, long_ago))
    kept = stored(district_admin, [make_roster_row(city.east)])  # waiting: its upload is kept
    os.utime(kept.file.path, (long_ago, long_ago))
    assert roster_import_files_purge() == 1
    assert not old.exists() and young.exists() and os.path.exists(kept.file.path)


# ---------------------------------------------------------------------------- stale runs


def test_the_poll_of_a_run_whose_worker_died_fails_it_and_offers_to_start_again(
    client: Client, city: City, district_admin: User, settings: Settings
) -> None:
    # Given an import left running by a killed worker, silent for longer than the stale time
    settings.LIANXIN_IMPORT_STALE_MINUTES = 10
    roster_import = dead_run(stored(district_admin, [make_roster_row(city.east)]), minutes_ago=11)
    # When the page polls it
    url = reverse("members:import_status", args=[roster_import.pk])
    html = (
        as_user(client, district_admin)
        .get(url, headers={"HX-Request": "true", "Accept-Language": "en"})
        .content.decode()
    )
    # Then it is failed with a message, no longer polled, and can be started again
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert STALE in roster_import.message
    assert 'data-status="failed"' in html and STALE in html
    assert "hx-trigger" not in html
    assert reverse("members:import_retry", args=[roster_import.pk]) in html
    assert "so that the import can be started again" in html
    assert not Member.objects.exists()


def test_a_run_with_a_recent_heartbeat_is_left_running(
    client: Client, city: City, district_admin: User, settings: Settings
) -> None:
    settings.LIANXIN_IMPORT_STALE_MINUTES = 10
    roster_import = dead_run(stored(district_admin, [make_roster_row(city.east)]), minutes_ago=9)
    html = as_user(client, district_admin).get(reverse("members:import_status", args=[roster_import.pk])).content
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.RUNNING
    assert b'hx-trigger="every 1s"' in html


def test_the_periodic_command_fails_stale_imports_in_chinese(
    city: City, district_admin: User, settings: Settings
) -> None:
    settings.LIANXIN_IMPORT_STALE_MINUTES = 10
    stale = dead_run(stored(district_admin, [make_roster_row(city.east)]), minutes_ago=30)
    alive = dead_run(stored(district_admin, [make_roster_row(city.east)]), minutes_ago=1)
    out = io.StringIO()
    call_command("roster_imports_upkeep", stdout=out)
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert (stale.status, alive.status) == (RosterImport.Status.FAILED, RosterImport.Status.RUNNING)
    assert "后台任务进程已停止" in stale.message
    assert out.getvalue().startswith("1 stale import(s) marked failed")


def test_a_failed_import_starts_again_from_its_kept_upload(
    client: Client, city: City, district_admin: User, settings: Settings
) -> None:
    # Given a stale import marked failed
    roster_import = dead_run(stored(district_admin, [make_roster_row(city.east), make_roster_row(city.west)]), 60)
    roster_imports_upkeep()
    # When its uploader starts it again (tasks run at once in tests)
    response = as_user(client, district_admin).post(reverse("members:import_retry", args=[roster_import.pk]))
    # Then it runs to the end, and the upload is deleted
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.created_count) == (RosterImport.Status.DONE, 2)
    assert roster_import.message == "" and not roster_import.file
    assert Member.objects.count() == 2


def test_starting_again_after_the_upload_was_deleted_says_so_and_writes_nothing(
    client: Client, city: City, district_admin: User
) -> None:
    roster_import = dead_run(stored(district_admin, [make_roster_row(city.east)]), 60)
    roster_imports_upkeep()
    roster_import_files_purge(now=timezone.now() + import_retention() + timedelta(minutes=1))
    response = as_user(client, district_admin).post(
        reverse("members:import_retry", args=[roster_import.pk]), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    assert "The uploaded file has already been deleted; upload the workbook again." in response.content.decode()
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert not Member.objects.exists()


def test_only_a_failed_import_starts_again(city: City, district_admin: User) -> None:
    from django.core.exceptions import ValidationError

    roster_import = stored(district_admin, [make_roster_row(city.east)])
    roster_import_run(roster_import=roster_import)
    roster_import.refresh_from_db()
    with pytest.raises(ValidationError):
        roster_import_retry(actor=district_admin, roster_import=roster_import)
    assert Member.objects.count() == 1


def test_a_slow_run_whose_import_was_failed_meanwhile_stops_and_writes_nothing(
    city: City, district_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a run that is marked failed (as stale) while it is still checking rows
    roster_import = stored(district_admin, [make_roster_row(city.east)])
    load = imports_module.RosterLookups.load

    def load_then_fail() -> Any:
        roster_import_fail(roster_import=RosterImport.objects.get(pk=roster_import.pk), message="stale")
        return load()

    monkeypatch.setattr(imports_module.RosterLookups, "load", staticmethod(load_then_fail))
    # When the run goes on
    roster_import_run(roster_import=roster_import)
    # Then it stops: nothing written, the import stays failed and keeps its upload
    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.message) == (RosterImport.Status.FAILED, "stale")
    assert roster_import.file
    assert not Member.objects.exists()


def test_an_import_whose_task_died_is_failed_and_its_task_too(
    city: City, district_admin: User, settings: Settings
) -> None:
    from django_tasks_db.models import DBTaskResult

    # Given the database task backend, an import handed to it, and a worker that claimed it and was killed
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    roster_import = stored(district_admin, [make_roster_row(city.east)])
    roster_import_enqueue(roster_import=roster_import, language="en")
    roster_import.refresh_from_db()
    task = DBTaskResult.objects.get(id=roster_import.task_id)
    task.claim("worker-1")
    dead_run(roster_import, minutes_ago=60)
    # When the periodic clean-up runs
    assert roster_imports_upkeep().failed == 1
    # Then the import is failed, and its task no longer says it is running
    roster_import.refresh_from_db()
    task.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert task.status == TaskResultStatus.FAILED


def test_an_import_whose_task_has_ended_is_failed_at_once(city: City, district_admin: User, settings: Settings) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    roster_import = stored(district_admin, [make_roster_row(city.east)])
    roster_import_enqueue(roster_import=roster_import, language="en")
    roster_import.refresh_from_db()
    # The task ended (it crashed before the import could start), the import still waits
    DBTaskResult.objects.filter(id=roster_import.task_id).update(status=TaskResultStatus.FAILED)
    assert roster_imports_upkeep().failed == 1
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    # A waiting import whose task waits too is left alone
    other = stored(district_admin, [make_roster_row(city.east)])
    roster_import_enqueue(roster_import=other, language="en")
    assert roster_imports_upkeep().failed == 0


def test_the_admin_shows_an_import_without_linking_its_private_files(
    client: Client, city: City, district_admin: User
) -> None:
    from lianxin.accounts.services import user_create

    roster_import = stored(district_admin, [make_roster_row(city.east)])
    admin = user_create(username="root", password="x-y-z-123456", is_staff=True, is_superuser=True)
    response = as_user(client, admin).get(reverse("admin:members_rosterimport_change", args=[roster_import.pk]))
    assert response.status_code == 200
    assert roster_import.file.name not in response.content.decode()


def test_the_times_come_from_the_settings_or_the_environment_and_a_bad_value_keeps_the_default(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    from lianxin.members.services.import_upkeep import DEFAULT_RETENTION_HOURS, import_stale_after

    monkeypatch.setenv("LIANXIN_IMPORT_RETENTION_HOURS", "2")
    monkeypatch.setenv("LIANXIN_IMPORT_STALE_MINUTES", "30")
    assert (import_retention(), import_stale_after()) == (timedelta(hours=2), timedelta(minutes=30))
    settings.LIANXIN_IMPORT_RETENTION_HOURS = 6
    assert import_retention() == timedelta(hours=6)
    for bad in ("soon", -1, 0):
        settings.LIANXIN_IMPORT_RETENTION_HOURS = bad
        assert import_retention() == timedelta(hours=DEFAULT_RETENTION_HOURS)

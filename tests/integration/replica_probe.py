# ruff: noqa: E402 - Django is set up before the models are imported
"""Run by test_read_replica.py as its own process, with DATABASE_URL naming a primary and
DATABASE_REPLICA_URL a streaming replica of it: writes a small world on the primary, waits
until the replica has replayed it, pauses the replay, writes more on the primary, then reads
the figures through the API and downloads an export. Prints what each database answered, as JSON.

    python -m tests.integration.replica_probe
"""

import json
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import django

django.setup()

from django.db import DatabaseError, connections
from django.test import Client
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.activities.models import Activity
from lianxin.core.models import AuditEntry
from lianxin.core.replica import replica_reads
from lianxin.core.services import audit_record
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.services import area_create, organization_create
from lianxin.volunteering.models import Session, Team

PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _one(alias: str, sql: str, params: list[Any] | None = None) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def _until(alias: str, sql: str, params: list[Any] | None = None, seconds: float = 30) -> None:
    """Poll the database until the statement answers true."""
    deadline = time.monotonic() + seconds
    while not _one(alias, sql, params):
        if time.monotonic() > deadline:
            raise TimeoutError(sql)
        time.sleep(0.05)


def _replica_scans(table: str) -> int:
    """Scans of `table` counted by the replica itself (its statistics are its own, not replicated)."""
    _one("replica", "SELECT pg_stat_force_next_flush() IS NULL")
    return int(
        _one(
            "replica",
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = %s",
            [table],
        )
    )


def _held_sessions(team: Team, n: int, day: int) -> None:
    for i in range(n):
        starts = datetime(2025, 6, day + i, 9, tzinfo=SHANGHAI)
        Session.objects.create(
            team=team,
            title=f"义诊{day + i}",
            area=team.organization.area,
            place="社区广场",
            starts_at=starts,
            ends_at=starts.replace(hour=11),
            slots=10,
            status=Session.Status.HELD,
        )


def _world() -> tuple[Organization, Team, User]:
    """A branch with a team that held three sessions, and a reader who sees everything: on the primary."""
    area = area_create(name="海城市", code="A00001", kind=Area.Kind.CITY, parent=None)
    branch = organization_create(
        actor=None, name="东社区党支部", code="E1", kind=Organization.Kind.BRANCH, sector="community", area=area
    )
    team = Team.objects.create(name="东社区志愿服务队", organization=branch)
    reader = user_create(username="reader", password="correct-horse-battery", display_name="reader")
    User.objects.filter(pk=reader.pk).update(is_superuser=True)
    _held_sessions(team, 3, day=1)
    return branch, team, User.objects.get(pk=reader.pk)


def _replay_then_pause() -> None:
    """The replica replays everything written so far, then stops: it answers as of this moment."""
    lsn = _one("default", "SELECT pg_current_wal_lsn()::text")
    _until("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
    _one("replica", "SELECT pg_wal_replay_pause() IS NULL")
    _until("replica", "SELECT pg_get_wal_replay_pause_state() = 'paused'")


def _figures_and_export(branch: Organization, reader: User) -> dict[str, Any]:
    client = Client()
    client.force_login(reader)
    scans_before = _replica_scans(Session._meta.db_table)
    figures = client.get("/api/v1/service-figures", {"org": branch.code, **PERIOD})
    scans_after = _replica_scans(Session._meta.db_table)
    activity_scans_before = _replica_scans(Activity._meta.db_table)
    export = client.get(reverse("activities:compliance_xlsx"), {"org": branch.code, **PERIOD})
    activity_scans_after = _replica_scans(Activity._meta.db_table)
    # Rows streamed by a server-side cursor (QuerySet.iterator), as the coverage workbook does.
    coverage = client.get(reverse("activities:coverage_xlsx"), {"org": branch.code, **PERIOD})
    return {
        "api_status": figures.status_code,
        "api_sessions_held": figures.json().get("sessions_held"),
        "replica_session_scans": scans_after - scans_before,
        "export_status": export.status_code,
        "export_type": export.get("Content-Type"),
        "replica_activity_scans": activity_scans_after - activity_scans_before,
        "streamed_export_status": coverage.status_code,
        "audits_after_export": {
            "primary": list(AuditEntry.objects.using("default").values_list("target", flat=True)),
            "replica": list(AuditEntry.objects.using("replica").values_list("target", flat=True)),
        },
    }


def main() -> dict[str, Any]:
    branch, team, reader = _world()
    _replay_then_pause()
    _held_sessions(team, 2, day=10)  # on the primary only
    seen = _figures_and_export(branch, reader)

    held = Session.objects.filter(status=Session.Status.HELD)
    with replica_reads():
        seen["read_before_write"] = held.count()
        audit_record(actor=reader, action=AuditEntry.Action.EXPORT, target="probe")
        seen["read_after_write"] = held.count()
    seen["primary_sessions_held"] = held.count()

    try:
        Session.objects.using("replica").filter(team=team).update(slots=20)
        seen["replica_write_refused"] = ""
    except DatabaseError as exc:
        seen["replica_write_refused"] = str(exc)
    seen["replica_in_recovery"] = _one("replica", "SELECT pg_is_in_recovery()")
    return seen


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))

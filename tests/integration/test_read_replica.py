"""Figures read from a real streaming replica (lianxin/core/replica.py, docs/deployment.md).

The test starts its own PostgreSQL primary on a free port, copies it with pg_basebackup into a
streaming replica on another, gives the primary the test database's tables, and runs
replica_probe.py against both as the settings would in production (DATABASE_URL and
DATABASE_REPLICA_URL). The replica's replay is paused half-way, so the figures show which
database answered. Both clusters live in a temporary folder of this test alone (xdist workers
each get their own) and are stopped and removed afterwards.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
BINARIES = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql")


def _binary(name: str) -> str:
    found = shutil.which(name, path=f"{PG_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return found or name


def _owner_prefix() -> list[str]:
    """PostgreSQL refuses to run as root: the servers run as the postgres account then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _missing() -> str:
    absent = [name for name in BINARIES if shutil.which(_binary(name)) is None]
    if absent:
        return f"PostgreSQL server binaries not found ({', '.join(absent)}; looked in {PG_BIN} and PATH)"
    if os.geteuid() == 0 and (shutil.which("runuser") is None or not _account_exists("postgres")):
        return "running as root needs runuser and a postgres account to start PostgreSQL servers"
    return ""


def _account_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="streams WAL from a PostgreSQL primary to a replica: PostgreSQL only",
    ),
    pytest.mark.skipif(bool(_missing()), reason=_missing() or "binaries present"),
]

CONFIG = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{sockets}'
port = {port}
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 20
shared_buffers = 16MB
fsync = off
synchronous_commit = off
full_page_writes = off
"""


@dataclass(frozen=True)
class Clusters:
    primary_port: int
    replica_port: int

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/lianxin"


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _run(
    *command: str, as_owner: bool = True, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    prefix = _owner_prefix() if as_owner else []
    done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=60, input=input, env=env)
    assert done.returncode == 0, f"{' '.join(command)} failed: {done.stderr}"
    return done


def _schema_of_the_test_database() -> str:
    """The tables, indexes and constraints the test run migrated, without rows or owners."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    dump = _run(
        _binary("pg_dump"),
        "--schema-only",
        "--no-owner",
        "--no-privileges",
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
        str(db["NAME"]),
        as_owner=False,
        env=env,
    )
    return dump.stdout


@pytest.fixture(scope="module")
def clusters(django_db_setup: None) -> Iterator[Clusters]:
    schema = _schema_of_the_test_database()
    base = Path(tempfile.mkdtemp(prefix="lianxin-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica = base / "primary", base / "replica"
    primary_port, replica_port = _free_ports(2)
    pg_ctl = _binary("pg_ctl")
    started: list[Path] = []
    try:
        _run(_binary("initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(CONFIG.format(sockets=base, port=primary_port))
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        _run(pg_ctl, "-D", str(primary), "-l", str(base / "primary.log"), "-w", "-t", "30", "start")
        started.append(primary)
        psql = [_binary("psql"), "-q", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(primary_port)]
        _run(*psql, "-U", "postgres", "-d", "postgres", "-c", "CREATE DATABASE lianxin")
        _run(*psql, "-U", "postgres", "-d", "lianxin", "-1", "-f", "-", input=schema)
        _run(
            _binary("pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres", "-D", str(replica)),
            *("-R", "-X", "stream", "-c", "fast", "--no-sync"),
        )
        _run(pg_ctl, "-D", str(replica), "-o", f"-p {replica_port}", "-l", str(base / "replica.log"), "-w", "start")
        started.append(replica)
        yield Clusters(primary_port, replica_port)
    finally:
        for data in reversed(started):
            subprocess.run([*_owner_prefix(), pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_figures_are_read_on_the_replica_and_writes_land_on_the_primary(clusters: Clusters) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": clusters.url(clusters.primary_port),
        "DATABASE_REPLICA_URL": clusters.url(clusters.replica_port),
    }
    probe = subprocess.run(
        [sys.executable, "-m", "tests.integration.replica_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout.strip().splitlines()[-1])

    assert seen["replica_in_recovery"] is True
    # Three sessions replayed before the pause, two more on the primary after it: the API's
    # figure is the replica's, and the replica itself counted the scans of the session table.
    assert seen["primary_sessions_held"] == 5
    assert seen["api_status"] == 200 and seen["api_sessions_held"] == 3
    assert seen["replica_session_scans"] > 0
    # The export read the board on the replica and recorded its download on the primary.
    assert seen["export_status"] == 200 and "spreadsheetml" in seen["export_type"]
    assert seen["replica_activity_scans"] > 0
    assert seen["streamed_export_status"] == 200
    assert sorted(t.split(":")[0] for t in seen["audits_after_export"]["primary"]) == [
        "activities.compliance",
        "activities.coverage",
    ]
    assert seen["audits_after_export"]["replica"] == []
    # After a write, the same scope reads the primary, which has the rows the replica lacks.
    assert seen["read_before_write"] == 3 and seen["read_after_write"] == 5
    # The replica refuses writes.
    assert "read-only" in seen["replica_write_refused"]

"""What every benchmark script shares: timing with percentiles, raw-SQL baselines, the city
database, and where results go. Import after django.setup()."""

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

from lianxin.accounts.models import User
from lianxin.organizations.models import Organization

RESULTS = Path(__file__).resolve().parent / "results"


def summary(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "runs": len(samples),
    }


def interleaved(fns: dict[str, Callable[[], Any]], runs: int, warmup: int = 3) -> dict[str, dict[str, float]]:
    """Time several functions in turn, run by run, so a busy moment of the machine hits all alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    return {name: summary(s) for name, s in samples.items()}


def timings(fn: Callable[[], Any], runs: int, warmup: int = 3) -> dict[str, float]:
    return interleaved({"only": fn}, runs, warmup)["only"]


def raw(sql: str, params: list[Any] | dict[str, Any]) -> Callable[[], Any]:
    """The baseline: the same statement through a bare cursor."""

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def vacuum() -> None:
    """What autovacuum does shortly after a bulk load or delete; without it plans are guesses."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def ensure_city() -> None:
    """Migrate, load the demo city at city scale into an empty database, and refresh the tallies."""
    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        print("seeding the demo city (seed_demo --scale city)…", flush=True)
        call_command("seed_demo", scale="city")
    # A city loaded before the tallies existed has none yet: its first refresh rebuilds them (ADR 16).
    call_command("tallies_refresh", verbosity=0)


def report(name: str, meta: dict[str, Any], results: list[dict[str, Any]]) -> None:
    """Print one JSON line per figure and keep them in bench/results/<name>-<database>.json."""
    meta = {"database": connection.vendor, **meta, "when": time.strftime("%Y-%m-%d %H:%M")}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}-{connection.vendor}.json").write_text(
        json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2)
    )
    print(json.dumps(meta, ensure_ascii=False))
    for r in results:
        print(json.dumps(r, ensure_ascii=False))


def administrator_client() -> Client:
    """A test client logged in as the demo city's administrator (the first superuser), with the test
    environment set up so that responses carry their context."""
    setup_test_environment()
    admin = User.objects.filter(is_superuser=True).first()
    assert admin is not None, "the demo city has an admin"
    client = Client()
    client.force_login(admin)
    return client

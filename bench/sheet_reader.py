"""The sheet reader on a 100,000-row roster: python-calamine with its bounds scan beside the lxml reader it replaced.

Usage:

    .venv/bin/python bench/sheet_reader.py [--rows 100000] [--runs 3] [--workbook /tmp/roster.xlsx]

The workbook is made with bench/roster_fixture.py (kept, as making it takes a while). Each
run reads every row of the sheet in a fresh process, so that its peak memory is its own.
The previous reader is loaded from the commit before the change (git show), unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

# The last commit with the lxml reader.
PREVIOUS = "03957be~1"


def _previous_stream() -> type:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{PREVIOUS}:lianxin/core/spreadsheets.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("previous_spreadsheets")
    sys.modules[module.__name__] = module  # its dataclasses look their module up
    exec(compile(source, "previous_spreadsheets.py", "exec"), module.__dict__)  # our own history
    return module._SheetStream  # type: ignore[no-any-return]


def read_once(reader: str, path: str) -> dict[str, float]:
    """Read every row once; seconds, rows and the process's peak memory."""
    import django

    django.setup()
    from lianxin.core.sheet_reader import SheetStream

    stream_class = _previous_stream() if reader == "lxml" else SheetStream
    started = time.perf_counter()
    stream = stream_class(path)
    opened = time.perf_counter()
    rows = sum(1 for _row in stream.rows())
    stream.close()
    finished = time.perf_counter()
    return {
        "seconds": finished - started,
        "open_seconds": opened - started,
        "rows": rows,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workbook", default=str(Path(tempfile.gettempdir()) / "lianxin_roster_bench.xlsx"))
    parser.add_argument("--child", choices=["lxml", "calamine"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(read_once(args.child, args.workbook)))
        return
    workbook = Path(args.workbook)
    if not workbook.exists():
        import django

        django.setup()
        from bench.roster_fixture import make_roster_workbook

        make_roster_workbook(workbook, args.rows, ["D1E", "D1W"])
    print(f"{workbook} ({workbook.stat().st_size / 1e6:.1f} MB), {args.runs} runs each\n")
    print("| reader | median s | best s | rows/s | peak MB |")
    print("|---|---:|---:|---:|---:|")
    for reader in ("lxml", "calamine"):
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, __file__, "--child", reader, "--workbook", str(workbook)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        seconds = [r["seconds"] for r in runs]
        median = statistics.median(seconds)
        print(
            f"| {reader} | {median:.1f} | {min(seconds):.1f} | {runs[0]['rows'] / median:,.0f} "
            f"| {max(r['peak_mb'] for r in runs):.0f} |"
        )


if __name__ == "__main__":
    main()

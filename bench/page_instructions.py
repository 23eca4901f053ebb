"""What a page costs in machine instructions: the same count whatever else the machine is doing.

A page's time under load swings with the machine (the static file served 1,800 to 3,900 requests a
second on the same evening); its instruction count does not. Each run serves the page through the
test client under valgrind's callgrind (Debian's valgrind package), once with no request timed and
once with N, with a fixed hash seed; the difference divided by N is the page's own count, in this
process only (the database server's work is not in it). Callgrind runs the process about 50 times
slower: a run takes a minute or two.

Usage, two revisions side by side (each a checkout with its .venv):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin .venv/bin/python bench/page_instructions.py /members/
    … --user secretary --requests 20

`--serve N` is the run valgrind starts: N requests of the page after ten to warm it.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM = 10


def serve(path: str, username: str, requests: int) -> None:
    """Warm the page, then read it `requests` times, as `username`."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.test import Client

    from lianxin.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    for _ in range(WARM + requests):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def counted(path: str, username: str, requests: int) -> int:
    """The instructions of a whole run that reads the page `requests` times after warming it."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                path,
                "--user",
                username,
                "--serve",
                str(requests),
            ],
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        found = re.search(r"^summary: (\d+)$", out.read_text(), re.M)
        assert found is not None, "callgrind wrote its summary"
        return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", help="the page, e.g. /members/")
    parser.add_argument("--user", default="admin", help="the account reading it (the demo's admin by default)")
    parser.add_argument("--requests", type=int, default=10, help="requests counted")
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.path, args.user, args.serve)
        return
    base = counted(args.path, args.user, 0)
    total = counted(args.path, args.user, args.requests)
    per_page = (total - base) // args.requests
    print(f"{args.path} as {args.user}: {per_page:,} instructions a page ({args.requests} requests)")


if __name__ == "__main__":
    main()

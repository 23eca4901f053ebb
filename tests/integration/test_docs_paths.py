"""The docs name the code's files as they are: every path a page quotes exists.

A file moved without its docs is found here, not by a reader who opens a path that is gone.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
APPS = {p.name for p in (ROOT / "lianxin").iterdir() if p.is_dir() and not p.name.startswith("_")}
TOP = {"lianxin", "config", "tests", "bench", "scripts", "templates", "static", "locale", "docs", ".ci"}
# `members/rules/roster.py`, `lianxin/core/uploads.py`, `scripts/check_sizes.py`, `demands/migrations/0002`
QUOTED = re.compile(r"`((?:[\w.-]+/)+[\w.-]+)`")


def _quoted_paths(page: Path) -> list[str]:
    paths = []
    for text in QUOTED.findall(page.read_text(encoding="utf-8")):
        head = text.split("/", 1)[0]
        # bench/results/ holds what a benchmark run writes, not part of the repository.
        if (head in TOP or head in APPS) and not text.startswith("bench/results/"):
            paths.append(text)
    return paths


def _exists(text: str) -> bool:
    head = text.split("/", 1)[0]
    path = ROOT / text if head in TOP else ROOT / "lianxin" / text
    # A migration may be named by its number alone (organizations/migrations/0002).
    return path.exists() or any(path.parent.glob(path.name + "*")) if path.parent.exists() else False


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_a_page_quotes_exists(page: Path) -> None:
    missing = [text for text in _quoted_paths(page) if not _exists(text)]
    assert missing == []


def test_the_pages_quote_paths_at_all() -> None:
    assert sum(len(_quoted_paths(page)) for page in PAGES) > 20

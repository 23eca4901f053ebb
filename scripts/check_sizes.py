"""Size limits of the code: no module over 500 lines, no function over 60.

    python scripts/check_sizes.py [path ...]   (default: lianxin config tests bench scripts)

Migrations are generated, so they are left out; tests count like any other code (a test
module that grows past the limit is split by topic). Prints every module and function over
its limit, longest first, and exits 1 when there is any.
"""

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
DEFAULT_PATHS = ("lianxin", "config", "tests", "bench", "scripts")


class Excess(NamedTuple):
    lines: int
    where: str
    what: str


def python_files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            if "migrations" not in file.parts and file.suffix == ".py":
                yield file


def excesses(file: Path) -> Iterator[Excess]:
    text = file.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        yield Excess(lines, str(file), "module")
    for node in ast.walk(ast.parse(text, filename=str(file))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                yield Excess(length, f"{file}:{node.lineno}", f"function {node.name}()")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    args = parser.parse_args(argv)
    found = sorted((e for file in python_files(args.paths) for e in excesses(file)), reverse=True)
    for excess in found:
        limit = MAX_MODULE_LINES if excess.what == "module" else MAX_FUNCTION_LINES
        print(f"{excess.where}: {excess.what} has {excess.lines} lines (limit {limit})")
    if found:
        modules = sum(1 for e in found if e.what == "module")
        print(
            f"\n{modules} module(s) over {MAX_MODULE_LINES} lines, "
            f"{len(found) - modules} function(s) over {MAX_FUNCTION_LINES} lines.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

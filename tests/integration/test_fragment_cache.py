"""A kept fragment (`{% cache %}`) is shown to everyone whose key is the same: every value the
fragment reads must be in its key, or one person's links would be shown to another."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("lianxin/*/templates/**/*.html")])
FRAGMENT = re.compile(r"{%\s*cache\s+\S+\s+\S+\s+(?P<key>.*?)%}(?P<body>.*?){%\s*endcache\s*%}", re.S)
# The values a tag or a variable reads: dotted names, without their filters' arguments.
NAME = re.compile(r"(?<![\w.\"'])([A-Za-z_]\w*(?:\.\w+)*)")
OPERATORS = {"and", "or", "not", "in", "is", "None", "True", "False"}
STRING = re.compile(r"\"[^\"]*\"|'[^']*'")


def _read(expression: str) -> set[str]:
    """The values an expression reads (a filter's name is not one: what follows `|` up to a space)."""
    expression = re.sub(r"\|\w+(:\S+)?", "", STRING.sub("", expression))
    return {name for name in NAME.findall(expression) if name not in OPERATORS}


def _fragments() -> list[tuple[str, str, str]]:
    found = []
    for path in TEMPLATES:
        for match in FRAGMENT.finditer(path.read_text()):
            found.append((str(path.relative_to(ROOT)), match["key"], match["body"]))
    return found


def test_the_navigation_and_the_bell_are_kept() -> None:
    kept = {path for path, _key, _body in _fragments()}
    assert {"templates/base.html", "lianxin/notifications/templates/notifications/bell.html"} <= kept


@pytest.mark.parametrize(("path", "key", "body"), _fragments())
def test_a_kept_fragment_reads_nothing_that_is_not_in_its_key(path: str, key: str, body: str) -> None:
    read: set[str] = set()
    for tag in re.findall(r"{%\s*(?:if|elif)\s+(.*?)%}", body):
        read |= _read(tag)
    # `{% blocktranslate with n=unread %}` reads unread and names it n inside.
    bound: set[str] = set()
    for bindings in re.findall(r"{%\s*blocktranslate\s+(?:with|count)\s+(.*?)%}", body):
        for name, expression in re.findall(r"(\w+)=(\S+)", bindings):
            bound.add(name)
            read |= _read(expression)
    for variable in re.findall(r"{{\s*(.*?)\s*}}", body):
        read |= _read(variable) - bound
    # A tag other than these would read in ways this test does not follow.
    tags = {tag for tag in re.findall(r"{%\s*(\w+)", body)}
    known = {"if", "elif", "else", "endif", "translate", "url", "blocktranslate", "endblocktranslate", "plural"}
    assert tags <= known, (path, tags)
    for url in re.findall(r"{%\s*url\s+(.*?)%}", body):
        assert not _read(url), (path, url)  # a URL of the fragment takes no value
    missing = read - _read(key)
    assert not missing, f"{path}: the fragment reads {sorted(missing)}, not in its key"

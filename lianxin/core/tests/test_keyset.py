"""Keyset pages and their cursors: every row once, in order, from either end, and hostile cursors refused."""

import base64
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from lianxin.core.keyset import MAX_SIZE, KeysetPage, Position, count_up_to, keyset_page, position_from
from lianxin.core.params import MAX_CURSOR_TEXT, MAX_ID, ParamError, cursor_param, cursor_text

KEYS = ("first_name", "username", "id")
KINDS: list[type[str] | type[int]] = [str, str, int]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "values",
    [("wh", "王海", 7), ("", "", 1), ('"]}\\', "名字 带空格", MAX_ID), ("a" * MAX_CURSOR_TEXT, "😀", -3)],
)
def test_a_cursor_reads_back_as_the_values_it_was_made_of(values: tuple[str, str, int]) -> None:
    text = cursor_text(values)
    assert text.isascii() and "=" not in text and "/" not in text and "+" not in text
    assert cursor_param(text, name="after", kinds=KINDS) == values


HOSTILE = [
    "not base64!",
    "%00",
    "A" * 2000,
    _b64(b"\xff\xfe"),  # not UTF-8
    _b64(b"{not json"),
    _b64(b'{"a": 1}'),  # not a list
    _b64(b'["a", "b"]'),  # too short
    _b64(b'["a", "b", 1, 2]'),  # too long
    _b64(b'["a", "b", "1"]'),  # an id as text
    _b64(b'["a", "b", true]'),  # a boolean is no id
    _b64(b'["a", "b", 1.5]'),
    _b64(b'["a", "b", 1e999]'),
    _b64(b'["a", "b", 99999999999999999999999]'),  # beyond 64 bits
    _b64(b'["a", null, 1]'),
    _b64(b'["a", ["b"], 1]'),
    _b64(b'["a\\u0000", "b", 1]'),  # NUL: PostgreSQL refuses it in text
    _b64(b'["\\ud800", "b", 1]'),  # a lone surrogate: no database stores it
    _b64(json.dumps(["a" * (MAX_CURSOR_TEXT + 1), "b", 1]).encode()),
    _b64(b"[" * 500 + b"]" * 500),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_malformed_cursor_is_a_clear_parameter_error(text: str) -> None:
    with pytest.raises(ParamError) as raised:
        cursor_param(text, name="after", kinds=KINDS)
    assert str(raised.value) == "after must be a position in this list, as its links give it."


def _people(names: list[str]) -> QuerySet[Any]:
    users = get_user_model()
    for n, first in enumerate(names):
        users.objects.create(username=f"u{n:03d}", first_name=first)
    return users.objects.all()


def _key(user: Any) -> tuple[str, str, int]:
    return (user.first_name, user.username, user.pk)


def _walk(qs: QuerySet[Any], size: int, *, backwards: bool = False) -> list[Any]:
    """Every row, page by page through the cursors, from the first page on (or from the last back).

    Back at the start the page is a full first page: the rows it shares with the page after are kept once.
    """
    seen: list[Any] = []
    page = keyset_page(qs, keys=KEYS, position=Position(last=backwards), size=size)
    while True:
        new = [row for row in page.object_list if row not in seen]
        seen = new + seen if backwards else seen + new
        more = page.has_previous if backwards else page.has_next
        if not more:
            return seen
        params = {"before": page.previous_cursor} if backwards else {"after": page.next_cursor}
        page = keyset_page(qs, keys=KEYS, position=position_from(params, qs.model, KEYS), size=size)


@pytest.mark.django_db
def test_pages_walked_either_way_give_every_row_once_in_the_full_order() -> None:
    # Ties on the first key: the rest of the key keeps them apart and in order.
    qs = _people(["b", "a", "c", "a", "b", "b", "d", "a", "c", "e", "a"])
    ordered = list(qs.order_by(*KEYS))
    assert _walk(qs, 3) == ordered
    assert _walk(qs, 3, backwards=True) == ordered
    assert _walk(qs, 11) == _walk(qs, 20, backwards=True) == ordered


@pytest.mark.django_db
def test_the_last_page_is_the_end_of_the_full_order_read_from_the_end() -> None:
    qs = _people([chr(ord("a") + n % 7) for n in range(23)])
    ordered = list(qs.order_by(*KEYS))
    page = keyset_page(qs, keys=KEYS, position=Position(last=True), size=5)
    assert page.object_list == ordered[-5:]
    assert page.has_previous and not page.has_next
    before = keyset_page(qs, keys=KEYS, position=Position(before=_key(ordered[-5])), size=5)
    assert before.object_list == ordered[-10:-5] and before.has_next and before.has_previous


@pytest.mark.django_db
def test_near_the_start_the_previous_page_is_a_full_first_page() -> None:
    qs = _people(list("abcdefgh"))
    ordered = list(qs.order_by(*KEYS))
    page = keyset_page(qs, keys=KEYS, position=Position(before=_key(ordered[2])), size=5)
    assert page.object_list == ordered[:5] and not page.has_previous and page.has_next


@pytest.mark.django_db
def test_a_prefix_of_the_key_opens_the_list_at_its_first_row() -> None:
    qs = _people(["zs", "wh", "ls", "wa", "xy", "ab"])
    page = keyset_page(qs, keys=KEYS, position=Position(start=("w",)), size=2)
    assert [u.first_name for u in page] == ["wa", "wh"]
    assert page.has_previous and page.has_next
    # Nobody at or after "zz": the last page rather than nothing.
    end = keyset_page(qs, keys=KEYS, position=Position(start=("zz",)), size=2)
    assert [u.first_name for u in end] == ["xy", "zs"] and not end.has_next


@pytest.mark.django_db
def test_a_cursor_past_the_end_gives_the_last_page_and_an_empty_list_gives_an_empty_page() -> None:
    qs = _people(list("abc"))
    page = keyset_page(qs, keys=KEYS, position=Position(after=("zzz", "z", MAX_ID)), size=2)
    assert [u.first_name for u in page] == ["b", "c"]
    empty = keyset_page(qs.none(), keys=KEYS, position=Position(), size=2)
    assert isinstance(empty, KeysetPage) and len(empty) == 0 and empty.next_cursor == ""
    assert not empty.has_next and not empty.has_previous


@pytest.mark.django_db
def test_the_page_size_is_bounded_and_the_count_stops_at_its_limit() -> None:
    qs = _people(["x"] * (MAX_SIZE + 3))
    assert len(keyset_page(qs, keys=KEYS, position=Position(), size=10**9)) == MAX_SIZE
    assert len(keyset_page(qs, keys=KEYS, position=Position(), size=-5)) == 1
    assert count_up_to(qs, 10) == 11
    assert count_up_to(qs, 10_000) == MAX_SIZE + 3


def test_a_key_of_another_type_is_refused_when_the_list_is_written() -> None:
    with pytest.raises(TypeError):
        position_from({}, get_user_model(), ("date_joined", "id"))

"""Keyset (cursor) pages: a list read from a position in its ordering, never by an offset.

A list is ordered by a unique key, a tuple of fields ending in the primary key, for instance
(pinyin, name, id). A page is the `size` rows after a position (`after`), before one
(`before`, read backwards and flipped), from a prefix of the key on (`start`: the members whose
initials begin at "w"), the first or the last (read backwards from the end with a LIMIT). On
PostgreSQL each is one range scan of an index on the key, so the last page of five million rows
costs what the first does; nothing counts the list.

The position travels in links as an opaque cursor (params.cursor_text), read back by
params.cursor_param: malformed text is a 400. A cursor holds only the key of a row the viewer
was shown, and the query it positions always carries the viewer's filters, so a cursor made
elsewhere shows nothing outside them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleGreaterThanOrEqual, TupleLessThan

from lianxin.core.params import CursorValue, cursor_param, cursor_text, flag_param

MAX_SIZE = 200
_INT_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
_TEXT_TYPES = {"CharField", "TextField", "SlugField"}


@dataclass
class KeysetPage:
    """One page: its rows, whether there is more on either side, and the cursors to go there."""

    object_list: list[Any]
    has_previous: bool
    has_next: bool
    keys: list[tuple[CursorValue, ...]] = field(default_factory=list)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def previous_cursor(self) -> str:
        """`before=` this gives the page before (the first row's key)."""
        return cursor_text(self.keys[0]) if self.keys else ""

    @property
    def next_cursor(self) -> str:
        """`after=` this gives the page after (the last row's key)."""
        return cursor_text(self.keys[-1]) if self.keys else ""


@dataclass(frozen=True)
class Position:
    """Where a page starts: the first, the last, after or before a key, or from a prefix of the key on."""

    after: tuple[CursorValue, ...] | None = None
    before: tuple[CursorValue, ...] | None = None
    start: tuple[CursorValue, ...] | None = None
    last: bool = False


def key_kinds(model: type[models.Model], keys: Sequence[str]) -> list[type[CursorValue]]:
    """The Python type of each key field (text or a whole number), as a cursor carries it."""
    kinds: list[type[CursorValue]] = []
    for name in keys:
        internal = (model._meta.pk if name == "pk" else model._meta.get_field(name)).get_internal_type()  # type: ignore[union-attr]
        if internal in _INT_TYPES:
            kinds.append(int)
        elif internal in _TEXT_TYPES:
            kinds.append(str)
        else:
            raise TypeError(f"a keyset key is text or a whole number, not {internal} ({name})")
    return kinds


def position_from(params: Mapping[str, Any], model: type[models.Model], keys: Sequence[str]) -> Position:
    """The position a list's link asks for: `after=` or `before=` a cursor, `last=1`, else the first page."""
    kinds = key_kinds(model, keys)
    after = cursor_param(params.get("after"), name="after", kinds=kinds)
    if after is not None:
        return Position(after=after)
    before = cursor_param(params.get("before"), name="before", kinds=kinds)
    if before is not None:
        return Position(before=before)
    return Position(last=flag_param(params.get("last")))


def _row(keys: Sequence[str], values: Sequence[CursorValue]) -> Tuple:
    return Tuple(*(F(name) for name in keys[: len(values)]))


def _read(qs: models.QuerySet[Any], keys: Sequence[str], limit: int, *, backwards: bool) -> list[Any]:
    """Up to `limit` rows of `qs` in the key's order (or reversed): a range of the key's index, each
    row read with `qs`'s select_related, columns and annotations. No row is skipped, so reading the
    shown rows' columns at once costs what reading their keys would, and saves a second query."""
    order = [f"-{name}" if backwards else name for name in keys]
    return list(qs.order_by(*order)[:limit])


def keyset_page(qs: models.QuerySet[Any], *, keys: Sequence[str], position: Position, size: int) -> KeysetPage:
    """The page of `qs` (ordered by the unique `keys`, ending in the primary key) at `position`.

    One query reads `size` + 1 rows (the one more says whether the list goes on) with `qs`'s
    select_related, columns and annotations. A page past either end (its rows deleted meanwhile)
    gives the first or the last page instead.
    """
    size = max(1, min(size, MAX_SIZE))
    backwards = position.last or position.before is not None
    has_previous = has_next = False
    if position.after is not None:
        qs_at = qs.filter(TupleGreaterThan(_row(keys, position.after), position.after))
        has_previous = True
    elif position.before is not None:
        qs_at = qs.filter(TupleLessThan(_row(keys, position.before), position.before))
        has_next = True
    elif position.start is not None:
        qs_at = qs.filter(TupleGreaterThanOrEqual(_row(keys, position.start), position.start))
        has_previous = qs.filter(TupleLessThan(_row(keys, position.start), position.start)).exists()
    else:
        qs_at = qs
    found = _read(qs_at, keys, size + 1, backwards=backwards)
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
        has_previous = more
    else:
        has_next = more
    if position.before is not None and not more:
        return keyset_page(qs, keys=keys, position=Position(), size=size)  # back at the start: a full first page
    if not found and (position.after is not None or position.start is not None):
        return keyset_page(qs, keys=keys, position=Position(last=True), size=size)
    return KeysetPage(
        object_list=found,
        has_previous=has_previous,
        has_next=has_next,
        keys=[tuple(getattr(row, name) for name in keys) for row in found],
    )


def count_up_to(qs: models.QuerySet[Any], limit: int) -> int:
    """How many rows `qs` has, counting no further than `limit` + 1 (more than `limit`: limit + 1)."""
    return qs.order_by().values("pk")[: limit + 1].count()

"""The one reading of numbers, ids, pages and dates that arrive in requests.

Query strings, form fields, Open311 parameters and API schemas all read through here:

- a number is ASCII digits only ("²" and "３" are not, though `str.isdigit` says they are);
- an id lies in 1..MAX_ID (a signed 64-bit integer, what both databases store), any other
  whole number in the bounds its caller states (by default 0..MAX_INT);
- a page is 1..MAX_PAGE, so an offset never leaves 64 bits;
- a cursor (a keyset page's position) is the base64url text of a JSON list of the key's values,
  each of the type the key declares, text without NUL or lone surrogates and at most MAX_CURSOR_TEXT long;
- a date lies in MIN_DATE..MAX_DATE, so adding a span or converting a local time to UTC never
  leaves the calendar.

A value that is not one of these raises ParamError. It is Django's BadRequest, which the pages
answer with 400 and its message, and a ValueError, which pydantic (the API's schemas) reports as
a validation error (422). Open311 turns it into its own 400.
"""

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import Annotated, overload

from django.core.exceptions import BadRequest, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1
MAX_PAGE = 1_000_000
MAX_CURSOR_TEXT = 200  # characters of one text value in a cursor
MAX_CURSOR = 1024  # characters of a whole cursor
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

_DIGITS = re.compile(r"[0-9]{1,19}")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_LETTER = re.compile(r"[A-Za-z]")

CursorValue = str | int


class ParamError(BadRequest, ValueError):
    """A request parameter that is not what it must be; the message names it and says why."""

    def __init__(self, message: str, *, name: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.name = name

    def __str__(self) -> str:
        return self.message


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


@overload
def int_param(value: object, *, name: str, default: int, min_value: int = 0, max_value: int = MAX_INT) -> int: ...
@overload
def int_param(
    value: object, *, name: str, default: None = None, min_value: int = 0, max_value: int = MAX_INT
) -> int | None: ...
def int_param(
    value: object, *, name: str, default: int | None = None, min_value: int = 0, max_value: int = MAX_INT
) -> int | None:
    """A whole number in min_value..max_value; empty gives `default`."""
    text = _text(value)
    if not text:
        return default
    if not _DIGITS.fullmatch(text) or not min_value <= int(text) <= max_value:
        raise ParamError(
            _("%(name)s must be a whole number from %(min)s to %(max)s.")
            % {"name": name, "min": min_value, "max": max_value},
            name=name,
        )
    return int(text)


def id_param(value: object, *, name: str) -> int | None:
    """An id (1..MAX_ID), or None when empty."""
    text = _text(value)
    if not text:
        return None
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_ID:
        raise ParamError(_("%(name)s must be an id: a whole number from 1.") % {"name": name}, name=name)
    return int(text)


def id_or_none(value: object) -> int | None:
    """An id, or None for anything else: for filters where a wrong value simply matches nothing."""
    try:
        return id_param(value, name="id")
    except ParamError:
        return None


def ids_of(values: Iterable[object]) -> list[int]:
    """The ids among ticked values (checkboxes): anything that is not one is left out."""
    return [key for key in map(id_or_none, values) if key is not None]


def page_param(value: object) -> int:
    """A page number for a list: anything that is not one is the first page, beyond MAX_PAGE the last."""
    text = _text(value)
    if text == "last":
        return MAX_PAGE
    if not _DIGITS.fullmatch(text):
        return 1
    return min(max(int(text), 1), MAX_PAGE)


def cursor_text(values: Sequence[CursorValue]) -> str:
    """The cursor of a position: the key's values as URL-safe text (cursor_param reads it back)."""
    data = json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _sane_cursor_value(value: object, kind: type[CursorValue]) -> bool:
    if kind is int:
        return type(value) is int and -MAX_ID <= value <= MAX_ID
    if not isinstance(value, str) or len(value) > MAX_CURSOR_TEXT or "\x00" in value:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" in the JSON): no database stores it
        return False
    return True


def cursor_param(value: object, *, name: str, kinds: Sequence[type[CursorValue]]) -> tuple[CursorValue, ...] | None:
    """A cursor of a key whose values have the types `kinds` (cursor_text's output), or None when empty."""
    text = _text(value)
    if not text:
        return None
    error = ParamError(_("%(name)s must be a position in this list, as its links give it.") % {"name": name}, name=name)
    if len(text) > MAX_CURSOR or not _BASE64URL.fullmatch(text):
        raise error
    try:
        decoded = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise error from None
    if not isinstance(decoded, list) or len(decoded) != len(kinds):
        raise error
    if not all(_sane_cursor_value(item, kind) for item, kind in zip(decoded, kinds, strict=True)):
        raise error
    return tuple(decoded)


def initial_param(value: object, *, name: str) -> str:
    """One letter A to Z, as lowercase (a list opened at an initial), or "" when empty."""
    text = _text(value)
    if text and not _LETTER.fullmatch(text):
        raise ParamError(_("%(name)s must be one letter from A to Z.") % {"name": name}, name=name)
    return text.lower()


def flag_param(value: object) -> bool:
    """A flag in a link (`last=1`): any value but empty, "0" or "false" is set."""
    return _text(value).lower() not in ("", "0", "false")


def _out_of_range(name: str) -> ParamError:
    return ParamError(
        _("%(name)s must be a date between %(min)s and %(max)s.")
        % {"name": name, "min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
        name=name,
    )


def _in_range(value: dt.date) -> bool:
    """Whether the date (or a date-time's date) lies in MIN_DATE..MAX_DATE."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def date_in_range(value: dt.date, *, name: str = "date") -> dt.date:
    """`value` itself when it lies in MIN_DATE..MAX_DATE (a date-time by its date)."""
    if not _in_range(value):
        raise _out_of_range(name)
    return value


def datetime_param(value: object, *, name: str) -> dt.datetime | None:
    """An ISO 8601 date-time (a bare date is its start); a naive one is local time. Aware, or None when empty."""
    text = _text(value)
    if not text:
        return None
    try:
        if not text.isascii():
            raise ValueError(text)
        # An unescaped "+08:00" in a query string arrives as " 08:00".
        moment = dt.datetime.fromisoformat(text.replace(" ", "+") if "T" in text else text)
    except ValueError:
        raise ParamError(_("%(name)s must be an ISO 8601 date-time.") % {"name": name}, name=name) from None
    date_in_range(moment, name=name)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def validate_date_in_range(value: dt.date) -> None:
    """A form and model field validator: the date (or a date-time's date) lies in MIN_DATE..MAX_DATE."""
    if not _in_range(value):
        raise ValidationError(
            _("Dates must lie between %(min)s and %(max)s.")
            % {"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
            code="date_range",
        )


# The same bounds for the API's schemas (pydantic turns a ValueError into a 422).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
SaneDate = Annotated[dt.date, AfterValidator(date_in_range)]
SaneDateTime = Annotated[dt.datetime, AfterValidator(date_in_range)]

"""Parsing of the values found in real Chinese Excel rosters (台账).

Rosters are typed by hand, so the same date or number arrives in many shapes:
full-width digits from a Chinese input method, dates as Excel serial numbers or as
``1974.7``, ID numbers of the old 15-digit generation, mobiles with ``+86``.
Everything here is pure Python, so importers, forms and the API share one set of
rules and one set of error messages.

All parsers raise :class:`ParseError`, whose message is lazily translated, so it is
rendered in the user's language when shown rather than when raised.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

__all__ = [
    "ParseError",
    "id_checksum",
    "id_number_birth_date",
    "id_number_sex",
    "mask_id_number",
    "mask_phone",
    "normalize_id_number",
    "normalize_mobile",
    "normalize_text",
    "parse_choice",
    "parse_date",
]


class ParseError(ValueError):
    """A cell value that cannot be understood, with a message for the user.

    Like Django's ``ValidationError``, the message template, a machine-readable
    ``code`` and the ``params`` are kept apart: tests and callers can branch on
    ``code``, and the message is only interpolated (and translated) when read.
    """

    def __init__(
        self,
        message: _StrOrPromise,
        *,
        code: str,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, code, params)
        self.template = message
        self.code = code
        self.params: dict[str, object] = dict(params or {})

    @property
    def message(self) -> str:
        """The message in the active language, with its parameters filled in."""
        return str(self.template) % self.params if self.params else str(self.template)

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- text

# Chinese input methods produce full-width forms (U+FF01..U+FF5E) of ASCII, e.g.
# "１９７４" or "Ｘ"; they sit at a fixed offset from their ASCII counterparts.
_FULLWIDTH_TO_ASCII: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TO_ASCII[0x3000] = 0x20  # ideographic space
_WHITESPACE = re.compile(r"\s+")


def normalize_text(value: object) -> str:
    """Return ``value`` as half-width, stripped text with single inner spaces.

    ``None`` becomes ``""``. Only full-width ASCII is folded (not full NFKC), so
    Chinese punctuation such as "、" or "。" survives unchanged.
    """
    if value is None:
        return ""
    text = str(value).translate(_FULLWIDTH_TO_ASCII)
    # \s also covers the non-breaking spaces and tabs pasted in from web pages.
    return _WHITESPACE.sub(" ", text).strip()


# -------------------------------------------------------------------------- dates

# Excel's 1900 date system counts from 1899-12-31 but wrongly treats 1900 as a leap
# year (serial 60 is the non-existent 1900-02-29), so from serial 61 on the
# effective epoch is 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31, the last date Excel can show
# Numbers in this range are far more likely a year (1974) or "year.month" (1974.07)
# typed into a numeric cell than a date in 1905, so they are refused, not guessed.
_YEAR_LIKE_NUMBERS = range(1900, 2101)

# re.ASCII everywhere: \d must not accept other scripts' digits (e.g. "٣"), which
# would slip past the patterns and break later arithmetic.
_TIME_SUFFIX = re.compile(r"^(?P<date>.+?)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", re.ASCII)
_SEPARATED_DATE = re.compile(r"^(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?$", re.ASCII)
_CHINESE_DATE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]?)?$", re.ASCII)
_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?$", re.ASCII)

_INVALID_DATE = _("Invalid date: %(value)s")


def _invalid_date(value: object) -> ParseError:
    return ParseError(_INVALID_DATE, code="invalid_date", params={"value": value})


def _date_from_parts(year: str, month: str, day: str | None, original: object) -> date:
    try:
        # A missing day ("1974.7", "197407") means the first day of that month.
        return date(int(year), int(month), int(day) if day else 1)
    except ValueError:
        raise _invalid_date(original) from None


def _date_from_number(value: float, original: object) -> date:
    if not math.isfinite(value):
        raise _invalid_date(original)
    serial = math.floor(value)  # the fraction is the time of day
    if value.is_integer() and 10_000_000 <= value <= 99_991_231:
        # 19740701 typed into a numeric cell; beyond Excel's range, so unambiguous.
        return _date_from_parts(str(serial)[:4], str(serial)[4:6], str(serial)[6:], original)
    if serial in _YEAR_LIKE_NUMBERS:
        raise ParseError(
            _("Ambiguous date %(value)s: enter a full date such as 1974-07-01"),
            code="ambiguous_date",
            params={"value": original},
        )
    if serial < 1 or serial > _EXCEL_MAX_SERIAL or serial == _EXCEL_FAKE_LEAP_DAY:
        raise _invalid_date(original)
    if serial < _EXCEL_FAKE_LEAP_DAY:
        return _EXCEL_EPOCH + timedelta(days=serial + 1)
    return _EXCEL_EPOCH + timedelta(days=serial)


def parse_date(value: object) -> date | None:
    """Parse a roster date; ``None`` for an empty cell.

    Accepts ``date``/``datetime`` objects, Excel serial numbers (1900 date system)
    and text such as ``1974-07-01``, ``1974/7/1``, ``1974.7``, ``1974年7月1日``,
    ``19740701`` or ``197407``, optionally followed by a time. A date without a day
    means the first of the month. Future dates are not refused here: whether they
    are allowed depends on the field, so callers check that.
    """
    if value is None:
        return None
    # datetime is a subclass of date, so it must be tested first.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    # bool is a subclass of int, but True is never meant as 1900-01-01.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            raise _invalid_date(value) from None
        return _date_from_number(number, value)

    text = normalize_text(value)
    if not text:
        return None
    if match := _TIME_SUFFIX.match(text):
        text = match["date"]
    text = text.replace(" ", "")  # "1974年 7月 1日"

    for pattern in (_SEPARATED_DATE, _CHINESE_DATE, _COMPACT_DATE):
        if match := pattern.match(text):
            return _date_from_parts(match["y"], match["m"], match["d"], value)
    raise _invalid_date(value)


# --------------------------------------------------------------------- ID numbers

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_18 = re.compile(r"^\d{17}[\dX]$", re.ASCII)
_ID_15 = re.compile(r"^\d{15}$", re.ASCII)
# A typo in the year can still pass the checksum by chance; nobody alive was born
# before this, and ID numbers were first issued in 1984.
_ID_MIN_BIRTH_YEAR = 1850


def id_checksum(first17: str) -> str:
    """Return the check character ("0"-"9" or "X") for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _id_text(value: object) -> str:
    # Excel keeps only 15 significant digits, so an 18-digit number stored as a
    # number has already lost its tail; say so instead of a puzzling checksum error.
    if isinstance(value, float):
        if value.is_integer() and 0 <= value < 1e15:
            return str(int(value))
        raise ParseError(
            _(
                "ID number %(value)s was stored as a number and lost digits; "
                "format the column as text and enter it again"
            ),
            code="id_number_numeric",
            params={"value": value},
        )
    return normalize_text(value).replace(" ", "").upper()


def normalize_id_number(value: object) -> str:
    """Validate a citizen ID number and return it in its 18-character form.

    Full-width characters, spaces and a lower-case "x" are tolerated; old 15-digit
    numbers are converted (century "19" inserted, check character appended).
    Returns ``""`` for an empty cell: whether the number is required is the
    caller's decision.
    """
    text = _id_text(value)
    if not text:
        return ""
    if _ID_15.match(text):
        # First-generation numbers (issued until 1999) only hold people born in
        # the 1900s, so the century is always "19".
        first17 = text[:6] + "19" + text[6:]
        text = first17 + id_checksum(first17)

    if len(text) != 18:
        raise ParseError(
            _("Invalid ID number %(value)s: it has %(length)d characters, 18 are required"),
            code="id_number_length",
            params={"value": value, "length": len(text)},
        )
    if not _ID_18.match(text):
        raise ParseError(
            _("Invalid ID number %(value)s: only digits are allowed, and X as the last character"),
            code="id_number_characters",
            params={"value": value},
        )
    if id_checksum(text[:17]) != text[17]:
        raise ParseError(
            _("Invalid ID number %(value)s: the check digit does not match, please check for typos"),
            code="id_number_checksum",
            params={"value": value},
        )
    id_number_birth_date(text, original=value)
    return text


def id_number_birth_date(id18: str, *, original: object = None) -> date:
    """Return the birth date encoded in an 18-character ID number.

    Raises :class:`ParseError` if it is not a real date, is implausibly early or
    lies in the future. ``original`` is the value shown in the message.
    """

    def error() -> ParseError:  # made only when raised: an import asks this three times a row
        return ParseError(
            _("Invalid ID number %(value)s: the birth date in it is not valid"),
            code="id_number_birth_date",
            params={"value": id18 if original is None else original},
        )

    digits = id18[6:14]
    if len(id18) != 18 or not digits.isascii() or not digits.isdigit():
        raise error()
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise error() from None
    if birth.year < _ID_MIN_BIRTH_YEAR or birth > date.today():
        raise error()
    return birth


def id_number_sex(id18: str) -> str:
    """Return "male" or "female": the 17th digit is odd for men, even for women."""
    digit = id18[16:17]
    if len(id18) != 18 or not digit.isascii() or not digit.isdigit():
        raise ValueError(f"expected an 18-character ID number, got {id18!r}")
    return "male" if int(digit) % 2 else "female"


def _mask(text: str, keep_start: int, keep_end: int) -> str:
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)  # too short to reveal anything safely
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


def mask_id_number(id18: str) -> str:
    """Mask an ID number for display: "3309**********123X" (length is kept)."""
    return _mask(id18, 4, 4)


def mask_phone(phone: str) -> str:
    """Mask a phone number for display: "138****5678" for an 11-digit mobile.

    Other numbers (landlines, extensions) keep their first two and last two
    characters: "0571-88886666" -> "05*********66".
    """
    if len(phone) == 11 and phone.isdigit():
        return _mask(phone, 3, 4)
    return _mask(phone, 2, 2)


# ------------------------------------------------------------------------ mobiles

_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086|86)(?P<number>\d{11})$", re.ASCII)
_PHONE_NOISE = re.compile(r"[\s\-]")


def normalize_mobile(value: object) -> str:
    """Validate a mainland mobile number and return its 11 digits; ``""`` if empty.

    Spaces, dashes and a leading +86/0086/86 country code are removed.
    """
    # A mobile in a numeric cell comes back as 13812345678.0; str() would keep ".0".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _PHONE_NOISE.sub("", normalize_text(value))
    if not text:
        return ""
    if match := _COUNTRY_PREFIX.match(text):
        text = match["number"]
    if not _MOBILE.match(text):
        raise ParseError(
            _("Invalid mobile number: %(value)s"),
            code="invalid_mobile",
            params={"value": value},
        )
    return text


# ------------------------------------------------------------------------ choices


def parse_choice(value: object, choices: Mapping[str, _StrOrPromise]) -> str:
    """Return the code in ``choices`` (code -> label) that ``value`` names.

    ``value`` may be the label ("男") or the code ("male"); ASCII is compared
    case-insensitively. Returns ``""`` for an empty cell. Labels may be lazy
    (``TextChoices``); they are compared in the active language.
    """
    text = normalize_text(value)
    if not text:
        return ""
    key = text.casefold()
    # Codes win over labels, so a label that happens to equal another code cannot
    # shadow it.
    for code in choices:
        if normalize_text(code).casefold() == key:
            return code
    for code, label in choices.items():
        if normalize_text(label).casefold() == key:
            return code
    raise ParseError(
        _("Invalid value %(value)s: choose one of %(allowed)s"),
        code="invalid_choice",
        params={
            "value": value,
            "allowed": " / ".join(str(label) for label in choices.values()),
        },
    )

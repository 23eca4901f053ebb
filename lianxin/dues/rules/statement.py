"""The bank statement workbook: its columns and how a cell is read."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from lianxin.core.parsing import ParseError, normalize_text, parse_date
from lianxin.core.spreadsheets import Column

# Bounds of one statement: rows under the header and the upload's size.
MAX_ROWS = 2000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

_AMOUNT = re.compile(r"^(?:¥|￥|RMB)?\s*(\d{1,9}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?\s*(?:元)?$", re.ASCII | re.IGNORECASE)
_YEAR_MONTH_NUMBER = re.compile(r"^(\d{4})(\d{2})$", re.ASCII)
_LAST4 = re.compile(r"^\d{3}[\dX]$", re.ASCII)


def parse_amount(value: object) -> Decimal | None:
    """Yuan, to the fen: 15, 15.5, "¥1,000.00", "30元"; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ParseError(_("Invalid amount: %(value)s"), code="bad_amount", params={"value": value})
    if isinstance(value, int | float):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ParseError(_("Invalid amount: %(value)s"), code="bad_amount", params={"value": value}) from None
        if amount != amount.quantize(Decimal("0.01")) or not amount.is_finite():
            raise ParseError(_("Invalid amount: %(value)s"), code="bad_amount", params={"value": value})
        return amount.quantize(Decimal("0.01"))
    text = normalize_text(value).replace(" ", "")
    match = _AMOUNT.match(text.replace("￥", "¥"))
    if not match:
        raise ParseError(_("Invalid amount: %(value)s"), code="bad_amount", params={"value": text[:30]})
    return Decimal(f"{match[1].replace(',', '')}.{match[2] or '0'}").quantize(Decimal("0.01"))


def parse_year_month(value: object) -> date | None:
    """A month: 2026-03, 2026/3, 2026年3月, 202603 or a date in it; None for an empty cell."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = normalize_text(value) if isinstance(value, str) else None
    if text is not None and (match := _YEAR_MONTH_NUMBER.match(text)):
        value = f"{match[1]}-{match[2]}"
    day = parse_date(value)
    return day.replace(day=1) if day else None


def parse_last4(value: object) -> str:
    """The last four characters of an ID number (digits, or X last)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    text = normalize_text(value).upper()
    if not text:
        return ""
    if not _LAST4.match(text):
        raise ParseError(
            _("Give the last 4 characters of the ID number: %(value)s"), code="bad_last4", params={"value": text[:8]}
        )
    return text


def parse_member_number(value: object) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_text(value)
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        raise ParseError(_("Invalid member number: %(value)s"), code="bad_number", params={"value": text[:14]})
    return int(text)


def parse_name(value: object) -> str:
    text = normalize_text(value)
    if len(text) > 50:
        raise ParseError(_("The name is too long."), code="too_long")
    return text


def parse_note(value: Any) -> str:
    return normalize_text(value)[:200]


STATEMENT_COLUMNS = [
    Column("name", "姓名", parse_name, aliases=("户名", "付款人", "name"), required=True),
    Column("last4", "身份证后四位", parse_last4, aliases=("证件后四位", "身份证号后四位", "id last 4")),
    Column("number", "党员编号", parse_member_number, aliases=("编号", "member number")),
    Column("amount", "金额", parse_amount, aliases=("交易金额", "收入金额", "amount"), required=True),
    Column("paid_on", "交易日期", parse_date, aliases=("日期", "缴费日期", "date"), required=True),
    Column("months_to", "缴至年月", parse_year_month, aliases=("交至年月", "paid up to")),
    Column("note", "备注", parse_note, aliases=("摘要", "note")),
]

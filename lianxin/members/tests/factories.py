"""Builders for members with valid ID numbers and dates that obey the rules."""

import io
import itertools
from datetime import date
from typing import Any

import openpyxl

from lianxin.core.parsing import id_checksum
from lianxin.members.models import Member
from lianxin.members.services.roster import MemberData, member_create
from lianxin.organizations.models import Organization

_seq = itertools.count(1)


def make_id_number(birth: date = date(1980, 5, 17), *, female: bool = False, serial: int | None = None) -> str:
    """A valid 18-digit ID number for someone born on `birth` in Zhoushan (3309xx)."""
    n = next(_seq) if serial is None else serial
    # The 17th digit is odd for men, even for women.
    seq = (n % 50) * 2 + (0 if female else 1)
    first17 = f"330902{birth:%Y%m%d}{n // 50 % 10}{seq:02d}"
    return first17 + id_checksum(first17)


def make_member_data(organization: Organization, **overrides: Any) -> MemberData:
    birth = overrides.pop("birth", date(1980, 5, 17))
    values: dict[str, Any] = {
        "name": f"党员{next(_seq)}",
        "id_number": make_id_number(birth, female=overrides.pop("female", False)),
        "category": Member.Category.FULL,
        "organization": organization,
        "applied_on": date(2003, 3, 1),
        "activist_on": date(2003, 9, 1),
        "candidate_on": date(2004, 10, 1),
        "joined_on": date(2005, 7, 1),
        "full_on": date(2006, 7, 1),
        "mobile": f"139{next(_seq):08d}",
    }
    values.update(overrides)
    return MemberData(**values)


def make_member(organization: Organization, **overrides: Any) -> Member:
    return member_create(actor=None, data=make_member_data(organization, **overrides))


# ------------------------------------------------------------------ roster workbooks


def make_roster_row(organization: Organization, **overrides: Any) -> dict[str, Any]:
    """A valid roster sheet row (keyed by Chinese header) for a new full member."""
    birth = overrides.pop("birth", date(1980, 5, 17))
    row: dict[str, Any] = {
        "姓名": f"党员{next(_seq)}",
        "公民身份号码": make_id_number(birth),
        "人员类别": "正式党员",
        "所在党组织": organization.code,
        "申请入党日期": "2003-03-01",
        "确定积极分子日期": "2003-09-01",
        "确定发展对象日期": "2004-10-01",
        "入党日期": "2005-07-01",
        "转正日期": "2006-07-01",
        "手机号码": f"139{next(_seq):08d}",
    }
    row.update(overrides)
    return row


def make_roster_workbook(
    rows: list[dict[str, Any]], *, headers: list[str] | None = None, above_header: list[list[Any]] | None = None
) -> io.BytesIO:
    """A real .xlsx in memory: optional rows above the header (a title), the header, the rows.

    `headers` defaults to every key of `rows` in order of first appearance. Values are
    written as given, so a test controls the cell type (text, number, date).
    """
    if headers is None:
        headers = list(dict.fromkeys(key for row in rows for key in row))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for extra in above_header or []:
        sheet.append(extra)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "roster.xlsx"
    return out

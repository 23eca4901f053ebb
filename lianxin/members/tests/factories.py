"""Builders for members with valid ID numbers and dates that obey the rules."""

import itertools
from datetime import date
from typing import Any

from lianxin.core.parsing import id_checksum
from lianxin.members.models import Member
from lianxin.members.services import MemberData, member_create
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

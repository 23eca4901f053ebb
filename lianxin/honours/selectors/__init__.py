"""Reads of honours; `honoured_member_ids` is the contract other apps (care) import."""

from lianxin.honours.selectors.honoured import (
    HONOUR_KINDS,
    MEDAL_50,
    Honour,
    honoured_member_ids,
    honours_of_member,
    honours_of_organization,
)

__all__ = [
    "HONOUR_KINDS",
    "MEDAL_50",
    "Honour",
    "honoured_member_ids",
    "honours_of_member",
    "honours_of_organization",
]

"""Reads of the dues ledger."""

from lianxin.dues.selectors.standing import months_behind

__all__ = ["months_behind"]

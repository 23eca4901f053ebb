"""Demands through the API: one router, each part adds its endpoints in its own module."""

from lianxin.core.api_errors import conflict_codes
from lianxin.demands.api import handling  # noqa: F401  (each part adds its endpoints)
from lianxin.demands.api.router import router

# A demand's state is in the way: already followed up, already recorded, grouped or published meanwhile.
conflict_codes(
    "already_followed_up",
    "hotline_number_taken",
    "original_closed",
    "already_grouped",
    "published",
    "concluded",
    "exists",
)

__all__ = ["router"]

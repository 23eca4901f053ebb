"""Demands through the API: one router, each part adds its endpoints in its own module."""

from ninja import Router

from lianxin.core.api_errors import conflict_codes

router = Router(tags=["demands"])

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

# Parts that add endpoints to `router` directly register by being imported after it exists.
from lianxin.demands.api import handling as api_handling  # noqa: E402, F401

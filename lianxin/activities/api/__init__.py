"""Organizational life through the API: one router, each part adds its endpoints in its own module."""

from ninja import Router

router = Router(tags=["activities"])

# Parts that add endpoints to `router` directly register by being imported after it exists.
from lianxin.activities.api import compliance, planning  # noqa: E402, F401

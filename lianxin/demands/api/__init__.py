"""Demands through the API: one router, each part adds its endpoints in its own module."""

from ninja import Router

router = Router(tags=["demands"])

# Parts that add endpoints to `router` directly register by being imported after it exists.
from lianxin.demands.api import handling as api_demands  # noqa: E402, F401

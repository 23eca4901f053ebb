"""Volunteering through the API: one router, each part adds its endpoints in its own module."""

from ninja import Router

from lianxin.volunteering.api import orders as api_orders

router = Router(tags=["volunteering"])
router.add_router("", api_orders.router)

# Parts that add endpoints to `router` directly register by being imported after it exists.
from lianxin.volunteering.api import sessions, touring  # noqa: E402, F401

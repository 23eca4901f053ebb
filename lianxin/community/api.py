"""Community reporting through the API."""

from ninja import Router

router = Router(tags=["community"])

"""Organizational life through the API: one router, each part adds its endpoints in its own module."""

from ninja import Router

router = Router(tags=["activities"])

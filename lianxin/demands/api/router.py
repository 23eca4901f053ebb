"""The one demands router: each part of the API adds its endpoints to it; api/__init__.py imports the parts."""

from ninja import Router

router = Router(tags=["demands"])

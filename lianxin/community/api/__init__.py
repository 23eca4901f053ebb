"""Community reporting through the API: one router; each part adds its endpoints in its own module.

A service's refusal answers 422 with its message and code (lianxin.core.api_errors), or 409
when its code says the record's state is in the way: someone else got there first, the post
is full or closed, the claim or the report already exists, the claim was already withdrawn.
"""

from lianxin.community.api import feedback, reports  # noqa: F401  (each part adds its endpoints)
from lianxin.community.api.router import router
from lianxin.core.api_errors import conflict_codes

conflict_codes("conflict", "full", "closed", "already_claimed", "already_reported", "withdrawn")

__all__ = ["router"]

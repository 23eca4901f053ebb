"""Organizational life through the API: one router, each part adds its endpoints in its own module."""

from lianxin.activities.api import compliance, planning  # noqa: F401  (each part adds its endpoints)
from lianxin.activities.api.router import router
from lianxin.core.api_errors import conflict_codes

# A service refusal whose code says the activity's state or list is in the way answers 409 Conflict
# (the check-in window, a wrong or paused check-in code included); any other refusal answers 422.
conflict_codes(
    "cancelled",
    "not_planned",
    "not_held",
    "not_started",
    "already_listed",
    "not_listed",
    "checked_in",
    "already_checked_in",
    "too_early",
    "too_late",
    "wrong_code",
    "too_many_tries",
)

__all__ = ["router"]

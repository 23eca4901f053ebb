"""Volunteering through the API: one router, each part adds its endpoints in its own module.

A service's refusal answers 422, or 409 when its code says the record's state is in the way:
the place was taken, the session is not open (or no longer), the person is already on it,
the check-in window or code refuses, the slot was booked or has begun, the order was rated.
"""

from lianxin.core.api_errors import conflict_codes
from lianxin.volunteering.api import orders, sessions, touring  # noqa: F401  (each part adds its endpoints)
from lianxin.volunteering.api.router import router

conflict_codes(
    # sessions: signing up, leaving, checking in and out
    "not_a_volunteer",
    "not_planned",
    "started",
    "already_signed_up",
    "overlap",
    "full",
    "not_signed_up",
    "checked_in",
    "too_early",
    "too_late",
    "wrong_code",
    "too_many_tries",
    "already_checked_in",
    "not_checked_in",
    "already_checked_out",
    "confirm_early_check_out",
    "cancelled",
    # appointments: booking a slot
    "unpublished",
    "slot_begun",
    # orders: rating
    "already_rated",
)

__all__ = ["router"]

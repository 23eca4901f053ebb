"""Members through the API: one router; each part (the roster, the development pipeline, the statistics)
keeps its endpoints."""

from lianxin.core.api_errors import conflict_codes
from lianxin.members.api import development, roster, statistics  # noqa: F401  (each part adds its endpoints)
from lianxin.members.api.router import router

# Refusals that say the member's state is in the way (409): someone else recorded the step first.
conflict_codes("moved_on")

__all__ = ["router"]

"""The activities app's tallies, refreshed with the others (lianxin.core.tallies)."""

from lianxin.activities.services.tallies import ACTIVITY_TALLIES, activity_tallies_refresh
from lianxin.core.tallies import tally_register

tally_register(ACTIVITY_TALLIES, activity_tallies_refresh)

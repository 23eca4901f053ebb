"""The demands app's tallies, refreshed with the others (lianxin.core.tallies)."""

from lianxin.core.tallies import tally_register
from lianxin.demands.services.tallies import DEMAND_TALLIES, demand_tallies_refresh

tally_register(DEMAND_TALLIES, demand_tallies_refresh)

"""The members app's tallies, refreshed with the others (lianxin.core.tallies)."""

from lianxin.core.tallies import tally_register
from lianxin.members.services.tallies import member_tallies_refresh
from lianxin.organizations.selectors import MEMBER_TALLIES

tally_register(MEMBER_TALLIES, member_tallies_refresh)

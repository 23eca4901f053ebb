"""Every demand page lives in the "demands" namespace; each part keeps its own list."""

from lianxin.demands.urls import board as urls_board
from lianxin.demands.urls import handling as urls_handling
from lianxin.demands.urls import mine as urls_mine
from lianxin.demands.urls import public as urls_public
from lianxin.demands.urls import sources as urls_sources
from lianxin.demands.urls import stats as urls_stats

app_name = "demands"

urlpatterns = [
    *urls_handling.urlpatterns,
    *urls_sources.urlpatterns,
    *urls_public.urlpatterns,
    *urls_mine.urlpatterns,
    *urls_board.urlpatterns,
    *urls_stats.urlpatterns,
]

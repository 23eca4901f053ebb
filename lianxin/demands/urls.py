"""Every demand page lives in the "demands" namespace; each part keeps its own list."""

from lianxin.demands import urls_board, urls_handling, urls_public, urls_sources, urls_stats

app_name = "demands"

urlpatterns = [
    *urls_handling.urlpatterns,
    *urls_sources.urlpatterns,
    *urls_public.urlpatterns,
    *urls_board.urlpatterns,
    *urls_stats.urlpatterns,
]

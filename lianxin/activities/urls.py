"""Every organizational-life page lives in the "activities" namespace; each part keeps its own list."""

from lianxin.activities import urls_compliance, urls_planning

app_name = "activities"

urlpatterns = [*urls_planning.urlpatterns, *urls_compliance.urlpatterns]

"""Every organizational-life page lives in the "activities" namespace; each part keeps its own list."""

from lianxin.activities.urls import compliance as urls_compliance
from lianxin.activities.urls import planning as urls_planning

app_name = "activities"

urlpatterns = [*urls_planning.urlpatterns, *urls_compliance.urlpatterns]

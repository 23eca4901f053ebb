"""Every community page lives in the "community" namespace; each part keeps its own list."""

from lianxin.community.urls import feedback as urls_feedback
from lianxin.community.urls import reports as urls_reports

app_name = "community"

urlpatterns = [
    *urls_reports.urlpatterns,
    *urls_feedback.urlpatterns,
]

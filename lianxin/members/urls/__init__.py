"""Every members page lives in the "members" namespace; each part keeps its own list."""

from django.urls import include, path

from lianxin.members.urls import roster

app_name = "members"

urlpatterns = [
    *roster.urlpatterns,
    path("development/", include("lianxin.members.urls.development")),
    path("statistics/", include("lianxin.members.urls.statistics")),
]

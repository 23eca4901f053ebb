"""The yearly Party statistics, under the "members" namespace (included by members.urls)."""

from django.urls import path

from lianxin.members.views import statistics as views

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("xlsx/", views.statistics_download, name="statistics_xlsx"),
]

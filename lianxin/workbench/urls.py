"""The workbench itself is the site's home ("home" in config/urls.py); these are its own lists."""

from django.urls import path

from lianxin.workbench import views

app_name = "workbench"

urlpatterns = [
    path("my-branch/", views.my_branch, name="my_branch"),
    path("activities-to-record/", views.activities_waiting, name="activities_to_record"),
]

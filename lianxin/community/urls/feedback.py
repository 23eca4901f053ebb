"""The quarterly feedback's page and its downloads."""

from django.urls import path

from lianxin.community.views import feedback as views

urlpatterns = [
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/download/<str:fmt>/", views.feedback_download, name="feedback_download"),
]

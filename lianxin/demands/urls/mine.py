"""A resident's own demands; included by demands/urls/__init__.py under the "demands" namespace."""

from django.urls import URLPattern, path

from lianxin.demands.views import mine as views

urlpatterns: list[URLPattern] = [
    path("mine/", views.mine, name="mine"),
    path("mine/claim/", views.claim, name="claim"),
    path("mine/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("mine/<int:pk>/follow-up/", views.mine_follow_up, name="mine_follow_up"),
]

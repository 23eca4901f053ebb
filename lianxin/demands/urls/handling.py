"""Pages of the handling part; included by demands/urls.py under the one "demands" namespace."""

from django.urls import URLPattern, path

from lianxin.demands.views import handling as views

urlpatterns: list[URLPattern] = [
    path("", views.inbox, name="inbox"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/unresolvable/", views.unresolvable, name="unresolvable"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
]

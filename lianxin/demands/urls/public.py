"""Pages of the public part; included by demands/urls.py under the one "demands" namespace."""

from django.urls import URLPattern, path

from lianxin.demands.views import public as views

urlpatterns: list[URLPattern] = [
    path("submit/", views.submit, name="submit"),
    path("submit/done/", views.submitted, name="submitted"),
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/follow-up/", views.lookup_follow_up, name="lookup_follow_up"),
    path("similar/", views.similar, name="similar"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("hot-spots/", views.hot_spots, name="hot_spots"),
    path("hot-spots/new/", views.hot_spot_new, name="hot_spot_new"),
    path("hot-spots/<int:pk>/", views.hot_spot, name="hot_spot"),
    path("hot-spots/<int:pk>/add/", views.hot_spot_add_view, name="hot_spot_add"),
    path("hot-spots/<int:pk>/remove/<int:demand_pk>/", views.hot_spot_remove_view, name="hot_spot_remove"),
]

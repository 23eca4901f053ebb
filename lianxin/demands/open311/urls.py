"""Open311 GeoReport v2 under /open311/v2/; every resource ends in its format, .json or .xml."""

from django.urls import URLPattern, path, re_path

from lianxin.demands.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>\w+)$"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[-\w]+)" + FMT, views.service_definition, name="service_definition"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<pk>[^/.]+)" + FMT, views.request_detail, name="request"),
    # The Swagger description of the spec names the single request "request/{id}".
    re_path(r"^request/(?P<pk>[^/.]+)" + FMT, views.request_detail, name="request_singular"),
]

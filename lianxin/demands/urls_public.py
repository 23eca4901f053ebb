"""Pages of the public part; included by demands/urls.py under the one "demands" namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Pages of the compliance part; included by activities/urls.py under the one "activities" namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

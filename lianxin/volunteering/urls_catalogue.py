"""Pages of the catalogue part; included by volunteering/urls.py under the one "volunteering" namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Pages of the compliance part; included by activities/urls.py under the one "activities" namespace."""

from django.urls import path

from lianxin.activities.views import compliance as views

urlpatterns = [
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/rules/", views.compliance_rules, name="compliance_rules"),
    path("compliance/xlsx/", views.compliance_xlsx, name="compliance_xlsx"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/xlsx/", views.coverage_xlsx, name="coverage_xlsx"),
    path("coverage/<slug:figure>/", views.coverage_rows, name="coverage_rows"),
]

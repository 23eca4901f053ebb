from django.urls import path

from lianxin.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.service_figures, name="service_figures"),
    path("rows/<slug:figure>/", views.service_figure_rows, name="service_figure_rows"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:name>/", views.dashboard_rows, name="dashboard_rows"),
]

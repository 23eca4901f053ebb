"""The figures pages; included by demands/urls.py under the one "demands" namespace."""

from django.urls import URLPattern, path

from lianxin.demands.views import stats as views_stats

urlpatterns: list[URLPattern] = [
    path("figures/", views_stats.demand_figures, name="figures"),
    path("figures/rows/<slug:figure>/", views_stats.demand_figure_rows, name="figure_rows"),
]

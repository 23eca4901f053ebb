from django.contrib import admin
from django.urls import include, path, re_path

from config.api import api, api_not_found
from lianxin.core.picker_views import picker_search_view
from lianxin.workbench import views as workbench_views

urlpatterns = [
    path("", workbench_views.workbench, name="home"),
    path("workbench/", include("lianxin.workbench.urls")),
    path("pick/<slug:kind>/", picker_search_view, name="picker_search"),
    path("accounts/", include("lianxin.accounts.urls")),
    path("organizations/", include("lianxin.organizations.urls")),
    path("members/", include("lianxin.members.urls")),
    path("residents/", include("lianxin.residents.urls")),
    path("wishes/", include("lianxin.wishes.urls")),
    path("volunteering/", include("lianxin.volunteering.urls")),
    path("community/", include("lianxin.community.urls")),
    path("demands/", include("lianxin.demands.urls")),
    path("activities/", include("lianxin.activities.urls")),
    path("dues/", include("lianxin.dues.urls")),
    path("honours/", include("lianxin.honours.urls")),
    path("care/", include("lianxin.care.urls")),
    path("notifications/", include("lianxin.notifications.urls")),
    path("open311/v2/", include("lianxin.demands.open311.urls")),
    path("figures/", include("lianxin.dashboards.urls")),
    path("briefings/", include("lianxin.briefings.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # any other API address: a JSON 404
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "lianxin.core.views.bad_request"
handler403 = "lianxin.core.views.forbidden"
handler404 = "lianxin.core.views.not_found"
handler500 = "lianxin.core.views.server_error"

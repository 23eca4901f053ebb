"""Pages of the touring part; included by volunteering/urls.py under the one "volunteering" namespace."""

from django.urls import URLPattern, path

from lianxin.volunteering.views import touring as views

urlpatterns: list[URLPattern] = [
    path("tours/", views.tour_list, name="tour_list"),
    path("tours/new/", views.tour_new, name="tour_new"),
    path("tours/<int:pk>/", views.tour_detail, name="tour_detail"),
    path("tours/<int:pk>/edit/", views.tour_edit, name="tour_edit"),
    path("tours/<int:pk>/publish/", views.tour_publish, {"publish": True}, name="tour_publish"),
    path("tours/<int:pk>/unpublish/", views.tour_publish, {"publish": False}, name="tour_unpublish"),
    path("tours/<int:pk>/stops/new/", views.tour_stop_new, name="tour_stop_new"),
    path("tours/stops/<int:pk>/edit/", views.tour_stop_edit, name="tour_stop_edit"),
    path("tours/stops/<int:pk>/remove/", views.tour_stop_remove, name="tour_stop_remove"),
    path("tours/stops/<int:pk>/beneficiaries/", views.tour_stop_record, name="tour_stop_record"),
    path("tours/<int:pk>/schedule/", views.tour_public, name="tour_public"),
    path("tours/<int:pk>/print/", views.tour_print, name="tour_print"),
    path("tours/<int:pk>/schedule.docx", views.tour_docx, name="tour_docx"),
    path("tours/<int:pk>/schedule.xlsx", views.tour_xlsx, name="tour_xlsx"),
]

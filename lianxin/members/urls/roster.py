"""The roster's pages: the list, a member, import and export."""

from django.urls import path

from lianxin.members.views import imports as views_import
from lianxin.members.views import roster as views

urlpatterns = [
    path("", views.member_list, name="list"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("import/", views_import.import_page, name="import"),
    path("import/<int:pk>/", views_import.import_status, name="import_status"),
    path("import/<int:pk>/errors/", views_import.import_errors, name="import_errors"),
    path("import/<int:pk>/retry/", views_import.import_retry, name="import_retry"),
    path("export/", views_import.export, name="export"),
    path("<int:pk>/reveal/", views.member_reveal, name="reveal"),
    path("<int:pk>/transfer/", views.member_transfer, name="transfer"),
    path("<int:pk>/leave/", views.member_leave, name="leave"),
    path("<int:pk>/contact/", views.member_edit_contact, name="edit_contact"),
]

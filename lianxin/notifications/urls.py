"""Pages of notifications, under the "notifications" namespace (config/urls.py mounts them at /notifications/)."""

from django.urls import URLPattern, path

from lianxin.notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern] = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_mark_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("settings/", views.notification_settings, name="settings"),
    path("robots/", views.robot_list, name="robot_list"),
    path("robots/new/", views.robot_new, name="robot_new"),
    path("robots/<int:pk>/", views.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/deactivate/", views.robot_deactivate, name="robot_deactivate"),
    path("robots/<int:pk>/test/", views.robot_test, name="robot_test"),
]

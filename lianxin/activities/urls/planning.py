"""Pages of the planning part; included by activities/urls.py under the one "activities" namespace."""

from django.urls import URLPattern, path

from lianxin.activities.views import attendance as attendance_views
from lianxin.activities.views import planning as views

urlpatterns: list[URLPattern] = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_new, name="activity_new"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/record/", attendance_views.activity_record, name="activity_record"),
    path("<int:pk>/record/bulk/", attendance_views.attendance_bulk, name="attendance_bulk"),
    path("<int:pk>/add/", views.activity_add, name="activity_add"),
    path("<int:pk>/remove/", views.activity_remove, name="activity_remove"),
    path("<int:pk>/hold/", views.activity_hold, name="activity_hold"),
    path("<int:pk>/minutes/", views.activity_minutes, name="activity_minutes"),
    path("<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("<int:pk>/attendance.xlsx", views.activity_attendance_xlsx, name="activity_attendance_xlsx"),
    path("<int:pk>/venue/", views.activity_venue, name="activity_venue"),
    path("<int:pk>/checkin/", views.activity_checkin, name="activity_checkin"),
    path("joint/new/", views.joint_new, name="joint_new"),
    path("joint/<int:pk>/", views.joint_detail, name="joint_detail"),
    path("feeds/reset/<int:org_pk>/", views.organization_feed_reset, name="organization_feed_reset"),
    path("feeds/<str:token>.ics", views.organization_feed, name="organization_feed"),
]

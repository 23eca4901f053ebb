"""Pages of the sessions part; included by volunteering/urls.py under the one "volunteering" namespace."""

from django.urls import URLPattern, path

from lianxin.volunteering.views import attendance
from lianxin.volunteering.views import sessions as views

urlpatterns: list[URLPattern] = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/held/", views.session_held, name="session_held"),
    path("sessions/<int:pk>/signup/", views.session_signup, name="session_signup"),
    path("sessions/<int:pk>/leave/", views.session_leave, name="session_leave"),
    path("sessions/<int:pk>/checkin/", views.session_checkin, name="session_checkin"),
    path("sessions/<int:pk>/walk-in/", attendance.session_walk_in, name="session_walk_in"),
    path("sessions/<int:pk>/venue/", views.session_venue, name="session_venue"),
    path("sessions/<int:pk>/checkout/", views.session_checkout, name="session_checkout"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/attendance/all-present/", attendance.session_all_present, name="session_all_present"),
    path("sessions/<int:pk>/volunteers/", views.session_add_volunteer, name="session_add_volunteer"),
    path("sessions/teams/<int:pk>/feed/reset/", views.team_feed_reset, name="team_feed_reset"),
    path("record/", views.my_service_record, name="my_service_record"),
    path("record/certificate/", views.certificate, name="certificate"),
    path("record/certificate.docx", views.certificate_download, name="certificate_docx"),
    path("record/feed/reset/", views.feed_reset, name="feed_reset"),
    path("feeds/<str:token>.ics", views.feed_member, name="feed_member"),
    path("feeds/team/<str:token>.ics", views.feed_team, name="feed_team"),
]

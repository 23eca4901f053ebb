"""Pages of the appointments part; included by volunteering/urls.py under the one "volunteering" namespace."""

from django.urls import URLPattern, path

from lianxin.volunteering.views import appointments as views

urlpatterns: list[URLPattern] = [
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/manage/", views.appointment_manage, name="appointment_manage"),
    path("appointments/new/", views.appointment_new, name="appointment_new"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/edit/", views.appointment_edit, name="appointment_edit"),
    path("appointments/<int:pk>/slots/", views.appointment_slots, name="appointment_slots"),
    path("appointments/<int:pk>/bookings/", views.appointment_bookings, name="appointment_bookings"),
    path("appointments/slots/<int:pk>/remove/", views.appointment_slot_remove, name="appointment_slot_remove"),
    path("appointments/slots/<int:pk>/book/", views.booking_new, name="booking_new"),
    path("appointments/bookings/mine/", views.my_bookings, name="my_bookings"),
    path("appointments/bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("appointments/bookings/<int:pk>/cancel/", views.booking_action, {"action": "cancel"}, name="booking_cancel"),
    path("appointments/bookings/<int:pk>/done/", views.booking_action, {"action": "done"}, name="booking_done"),
]

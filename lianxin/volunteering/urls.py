"""Every volunteering page lives in the "volunteering" namespace; each part keeps its own list."""

from lianxin.volunteering import urls_appointments, urls_catalogue, urls_orders, urls_sessions, urls_touring

app_name = "volunteering"

urlpatterns = [
    *urls_catalogue.urlpatterns,
    *urls_orders.urlpatterns,
    *urls_sessions.urlpatterns,
    *urls_touring.urlpatterns,
    *urls_appointments.urlpatterns,
]

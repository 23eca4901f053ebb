"""Every volunteering page lives in the "volunteering" namespace; each part keeps its own list."""

from lianxin.volunteering.urls import appointments as urls_appointments
from lianxin.volunteering.urls import catalogue as urls_catalogue
from lianxin.volunteering.urls import orders as urls_orders
from lianxin.volunteering.urls import sessions as urls_sessions
from lianxin.volunteering.urls import touring as urls_touring

app_name = "volunteering"

urlpatterns = [
    *urls_catalogue.urlpatterns,
    *urls_orders.urlpatterns,
    *urls_sessions.urlpatterns,
    *urls_touring.urlpatterns,
    *urls_appointments.urlpatterns,
]

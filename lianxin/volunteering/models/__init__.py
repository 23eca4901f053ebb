"""Menu-style volunteer services (菜单式服务): teams, catalogue, orders, sessions, touring, appointments."""

from lianxin.volunteering.models.appointments import AppointmentService, AppointmentSlot, Booking
from lianxin.volunteering.models.catalogue import ServiceCategory, ServiceItem, Team, TeamMembership
from lianxin.volunteering.models.orders import Order, OrderPhoto
from lianxin.volunteering.models.sessions import CalendarFeed, Session, SignUp
from lianxin.volunteering.models.touring import Tour, TourStop

__all__ = [
    "AppointmentService",
    "AppointmentSlot",
    "Booking",
    "CalendarFeed",
    "Order",
    "OrderPhoto",
    "ServiceCategory",
    "ServiceItem",
    "Session",
    "SignUp",
    "Team",
    "TeamMembership",
    "Tour",
    "TourStop",
]

"""Menu-style volunteer services (菜单式服务): teams, catalogue, orders, sessions, touring, appointments."""

from lianxin.volunteering.models.appointments import (
    AppointmentService,
    AppointmentServiceVerb,
    AppointmentSlot,
    Booking,
    BookingVerb,
)
from lianxin.volunteering.models.catalogue import (
    ServiceCategory,
    ServiceItem,
    ServiceItemVerb,
    Team,
    TeamMembership,
    TeamVerb,
)
from lianxin.volunteering.models.orders import Order, OrderPhoto, OrderVerb
from lianxin.volunteering.models.sessions import CalendarFeed, CalendarFeedVerb, Session, SessionVerb, SignUp
from lianxin.volunteering.models.touring import Tour, TourStop, TourVerb

__all__ = [
    "AppointmentService",
    "AppointmentServiceVerb",
    "AppointmentSlot",
    "Booking",
    "BookingVerb",
    "CalendarFeed",
    "CalendarFeedVerb",
    "Order",
    "OrderPhoto",
    "OrderVerb",
    "ServiceCategory",
    "ServiceItem",
    "ServiceItemVerb",
    "Session",
    "SessionVerb",
    "SignUp",
    "Team",
    "TeamMembership",
    "TeamVerb",
    "Tour",
    "TourStop",
    "TourVerb",
]

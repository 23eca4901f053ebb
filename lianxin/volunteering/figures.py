"""Volunteering's figures for the dashboard and the briefings (lianxin.core.figures): sessions held,
participations (person-times), volunteers (distinct people) and their hours, orders served. The rows
are the service figures page's (selectors/figures); each number is the count of its rows, the hours
their sum."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.accounts.models import User
from lianxin.core.figures import FigureGroup, Measure, Number, Row, figures_register
from lianxin.core.periods import Period
from lianxin.organizations.selectors import Subtree
from lianxin.volunteering.models import Order, Session, SignUp
from lianxin.volunteering.selectors.figures import orders_served, participations, sessions_held, volunteers

SESSION_COLUMNS = (("date", _("Date")), ("title", _("Title")), ("team", _("Team")))
SIGNUP_COLUMNS = (("date", _("Date")), ("name", _("Name")), ("session", _("Session")), ("hours", _("Hours")))


def session_row(session: Session) -> Row:
    return {"date": session.starts_at.date().isoformat(), "title": session.title, "team": str(session.team)}


def signup_row(signup: SignUp) -> Row:
    return {
        "date": signup.starts_at.date().isoformat(),
        "name": signup.user.display_name,
        "session": signup.session.title,
        "hours": signup.hours,
    }


def volunteer_row(user: User) -> Row:
    return {"name": user.display_name}


def order_row(order: Order) -> Row:
    return {
        "date": order.served_at.date().isoformat() if order.served_at else "",
        "item": str(order.item),
        "team": str(order.team) if order.team_id else "",
        "beneficiaries": order.beneficiaries,
    }


def hours(org: Subtree, period: Period) -> Number:
    total = participations(org, period).order_by().aggregate(hours=Sum("hours"))["hours"]
    return Decimal(total or 0)


MEASURES = (
    Measure(
        "volunteer-sessions",
        _("Volunteer sessions held"),
        _("sessions"),
        _("Sessions marked held that started in the period, run by teams owned by this organization or below."),
        sessions_held,
        SESSION_COLUMNS,
        session_row,
        dated="starts_at",
        organization="team__organization",
    ),
    Measure(
        "volunteer-participations",
        _("Volunteer participations"),
        _("person-times"),
        _(
            "Sign-ups of those sessions, not withdrawn, that were attended: checked in, or hours recorded by the "
            "team leader. One person at two sessions counts twice."
        ),
        participations,
        SIGNUP_COLUMNS,
        signup_row,
        headline=True,
        dated="starts_at",
        organization="session__team__organization",
    ),
    Measure(
        "volunteers",
        _("Volunteers"),
        _("people"),
        _("Distinct people with at least one participation: someone at ten sessions counts once."),
        volunteers,
        (("name", _("Name")),),
        volunteer_row,
    ),
    Measure(
        "volunteer-hours",
        _("Volunteer hours"),
        pgettext_lazy("unit", "hours"),
        _("The hours of those participations, summed."),
        participations,
        SIGNUP_COLUMNS,
        signup_row,
        counts_rows=False,
        value=hours,
    ),
    Measure(
        "orders-served",
        _("Service orders served"),
        pgettext_lazy("unit", "orders"),
        _("Orders of this subtree served in the period (served, rated or closed unrated)."),
        orders_served,
        (("date", _("Served on")), ("item", _("Service")), ("team", _("Team")), ("beneficiaries", _("Beneficiaries"))),
        order_row,
        dated="served_at",
        organization="owner",
    ),
)

figures_register(FigureGroup("volunteering", _("Volunteer services"), 30, MEASURES))

"""What the demands app tells people: each step of a demand that starts to wait on someone.

The services raise them (services/notifying.py says whom). Every text names the demand by its
number and its category only: a demand's title and description are the resident's own words and
may hold a name, an address or a number, and its lookup code answers the follow-up by itself.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.notifications.kinds import Audience, Kind, kind_register

# Assigned or reassigned: the responsible unit's handlers have a new demand to handle.
ASSIGNED = kind_register(
    Kind(
        code="demands.assigned",
        label=_("A demand given to my unit"),
        text=_("Demand #%(number)s (%(category)s) is now with %(unit)s: please handle it by %(deadline)s."),
        sms_template="LX_DEMAND_ASSIGNED",
        audience=Audience.STAFF,
        email=True,
    )
)

# The resident was not satisfied: the demand is back with the unit, with a new deadline.
SENT_BACK = kind_register(
    Kind(
        code="demands.sent_back",
        label=_("A demand sent back for re-handling"),
        text=_(
            "Demand #%(number)s (%(category)s) was sent back: the resident is not satisfied. "
            "Handle it again by %(deadline)s."
        ),
        sms_template="LX_DEMAND_SENT_BACK",
        audience=Audience.STAFF,
        email=True,
    )
)

# The day before the deadline (the last working day before it), once per deadline.
DUE_SOON = kind_register(
    Kind(
        code="demands.due_soon",
        label=_("A demand coming due"),
        text=_("Demand #%(number)s (%(category)s) is due on %(deadline)s: please resolve it in time."),
        sms_template="LX_DEMAND_DUE_SOON",
        audience=Audience.STAFF,
        email=True,
    )
)

# Past the deadline: the handlers, and the unit's group, hear that it went up to the parent.
OVERDUE = kind_register(
    Kind(
        code="demands.overdue",
        label=_("A demand past its deadline"),
        text=_(
            "Demand #%(number)s (%(category)s) is %(days)s day(s) past its deadline "
            "and has gone up to %(parent)s: please resolve it now."
        ),
        sms_template="LX_DEMAND_OVERDUE",
        audience=Audience.STAFF,
        email=True,
        sms=True,
        robot=True,
    )
)

# The parent organization's admins now oversee an overdue demand. Not an emergency: quiet hours hold.
ESCALATED = kind_register(
    Kind(
        code="demands.escalated",
        label=_("An overdue demand escalated to my organization"),
        text=_(
            "Demand #%(number)s (%(category)s) at %(unit)s is %(days)s day(s) overdue "
            "and has come up to you: please see that it is handled."
        ),
        sms_template="LX_DEMAND_ESCALATED",
        audience=Audience.STAFF,
        email=True,
        sms=True,
    )
)

# The resident's own demand is resolved: their answer (回访) is what waits.
RESOLVED = kind_register(
    Kind(
        code="demands.resolved",
        label=_("My demand resolved"),
        text=_(
            "Your demand #%(number)s (%(category)s) has been resolved. "
            "Please tell us on its page whether the problem is solved."
        ),
        sms_template="LX_DEMAND_RESOLVED",
        audience=Audience.RESIDENT,
        email=True,
        sms=True,
    )
)

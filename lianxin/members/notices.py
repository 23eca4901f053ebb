"""What the members app tells people: development steps coming due, and background imports finished.

Development data is personal: these kinds never go to a group chat (robot=False) and their texts
name nobody. A branch's secretaries get one message a day at most, counting what has come due
(services/development_reminders.py); the roster import's uploader hears when it ends.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.notifications.kinds import Audience, Kind, kind_register

DEVELOPMENT_DUE = kind_register(
    Kind(
        code="members.development_due",
        label=_("Development steps coming due"),
        text=_(
            "%(branch)s: development steps due by %(date)s: talks with applicants %(talks)s, "
            "half-yearly reviews %(reviews)s, probations ending %(probations)s. Please arrange them."
        ),
        sms_template="LX_MEMBERS_DEVELOPMENT_DUE",
        audience=Audience.STAFF,
        email=True,
    )
)

IMPORT_DONE = kind_register(
    Kind(
        code="members.import_done",
        label=_("Roster import finished"),
        text=_(
            "The roster you uploaded at %(uploaded)s is imported: "
            "%(created)s added, %(updated)s updated, %(unchanged)s unchanged."
        ),
        sms_template="LX_MEMBERS_IMPORT_DONE",
        audience=Audience.STAFF,
        email=True,
    )
)

IMPORT_FAILED = kind_register(
    Kind(
        code="members.import_failed",
        label=_("Roster import not imported"),
        text=_(
            "The roster you uploaded at %(uploaded)s was not imported and nothing was written; "
            "its page says why and what to correct."
        ),
        sms_template="LX_MEMBERS_IMPORT_FAILED",
        audience=Audience.STAFF,
        email=True,
    )
)

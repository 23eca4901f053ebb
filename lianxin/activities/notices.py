"""What organizational life tells people (lianxin/notifications/kinds.py).

Members on an activity's list hear when it is planned, when its time or place changes and when
it is cancelled, each with the link to the activity's page; the branch calendar (iCal feed) shows
the same change. The secretary hears when an activity's minutes are still not recorded three days
after its date, and when a required activity is not yet held as its period ends.

Messages carry the organization's short name, the activity's title, its time and place, all cut
to fit one text message; never a member's name.
"""

from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.activities.models import Activity, Kind
from lianxin.notifications.kinds import Audience, kind_register
from lianxin.notifications.kinds import Kind as NoticeKind
from lianxin.notifications.texts import shortened
from lianxin.organizations.models import Organization

# The longest pieces a message carries, in characters: the text must fit one text message.
ORGANIZATION_CHARS = 10
TITLE_CHARS = 14
PLACE_CHARS = 10
KINDS_CHARS = 24

PLANNED = kind_register(
    NoticeKind(
        code="activities.planned",
        label=gettext_lazy("An activity I am expected at is planned"),
        text=gettext_lazy("%(organization)s: “%(title)s” on %(when)s at %(place)s; it is in the branch calendar."),
        sms_template="LX_ACTIVITY_PLANNED",
        audience=Audience.MEMBER,
        email=True,
    )
)
CHANGED = kind_register(
    NoticeKind(
        code="activities.changed",
        label=gettext_lazy("The time or place of an activity I am expected at changed"),
        text=gettext_lazy(
            "%(organization)s: “%(title)s” now takes place on %(when)s at %(place)s; the branch calendar shows it."
        ),
        sms_template="LX_ACTIVITY_CHANGED",
        audience=Audience.MEMBER,
        email=True,
    )
)
CANCELLED = kind_register(
    NoticeKind(
        code="activities.cancelled",
        label=gettext_lazy("An activity I am expected at is cancelled"),
        text=gettext_lazy("%(organization)s: “%(title)s” on %(when)s is cancelled; the branch calendar shows it."),
        sms_template="LX_ACTIVITY_CANCELLED",
        audience=Audience.MEMBER,
        email=True,
    )
)
MINUTES_DUE = kind_register(
    NoticeKind(
        code="activities.minutes_due",
        label=gettext_lazy("An activity's minutes are not recorded three days after it"),
        text=gettext_lazy(
            "%(organization)s: “%(title)s” of %(date)s is not recorded yet; record its attendance and minutes."
        ),
        sms_template="LX_ACTIVITY_MINUTES_DUE",
        audience=Audience.STAFF,
        email=True,
        robot=True,
    )
)
COMPLIANCE_DUE = kind_register(
    NoticeKind(
        code="activities.compliance_due",
        label=gettext_lazy("Required organizational life not yet held as its period ends"),
        text=gettext_lazy("%(organization)s has not yet held, due by %(date)s: %(kinds)s."),
        sms_template="LX_ACTIVITY_COMPLIANCE_DUE",
        audience=Audience.STAFF,
        email=True,
    )
)


def organization_name(organization: Organization) -> str:
    return shortened(organization.short_name or organization.name, ORGANIZATION_CHARS)


def day_text(day: date) -> str:
    return _("%(month)s/%(day)s") % {"month": day.month, "day": day.day}


def when_text(starts_at: datetime, ends_at: datetime) -> str:
    """The start, as "12/8 19:30–21:00" (in Chinese 12月8日 19:30–21:00); the end's time when it is the same day."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    until = f"–{end:%H:%M}" if end.date() == start.date() else ""
    return f"{day_text(start.date())} {start:%H:%M}{until}"


def activity_params(activity: Activity) -> dict[str, str]:
    """What the members' messages say of an activity, in the platform's language (as the text is)."""
    with translation.override(settings.LANGUAGE_CODE):
        place = activity.place or (_("online") if activity.is_online else _("a place to be announced"))
        return {
            "organization": organization_name(activity.organization),
            "title": shortened(activity.title, TITLE_CHARS),
            "when": when_text(activity.starts_at, activity.ends_at),
            "place": shortened(place, PLACE_CHARS),
            "date": day_text(timezone.localdate(activity.starts_at)),
        }


def activity_url(activity: Activity) -> str:
    return reverse("activities:activity_detail", args=[activity.pk])


def compliance_params(branch: Organization, kinds: Iterable[str], due_by: date) -> dict[str, str]:
    labels = dict(Kind.choices)
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "organization": organization_name(branch),
            "date": day_text(due_by),
            "kinds": shortened("、".join(str(labels[k]) for k in dict.fromkeys(kinds)), KINDS_CHARS),
        }


def compliance_url(branch: Organization) -> str:
    """The compliance board of the branch (the current quarter)."""
    return f"{reverse('activities:compliance')}?{urlencode({'org': branch.code})}"

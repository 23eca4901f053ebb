"""What community reporting tells people (lianxin/notifications/kinds.py).

A report waits on the community's admins until they decide it; the decision then reaches the
member who reported. Messages name the community, never the member (no personal data in them).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.community.models import CommunityReport
from lianxin.notifications.kinds import Audience, Kind, kind_register
from lianxin.notifications.texts import shortened

# The longest community name a message carries: the text must fit one text message.
NAME_CHARS = 12

REPORT_SUBMITTED = kind_register(
    Kind(
        code="community.report_submitted",
        label=_("A member's report to the community waits for approval"),
        text=_("An in-service member has reported to %(community)s; the report waits for your approval."),
        sms_template="LX_COMMUNITY_REPORT_SUBMITTED",
        audience=Audience.STAFF,
        email=True,
        robot=True,
    )
)
REPORT_APPROVED = kind_register(
    Kind(
        code="community.report_approved",
        label=_("My report to a community was approved"),
        text=_("%(community)s approved your report; you may now claim its service posts."),
        sms_template="LX_COMMUNITY_REPORT_APPROVED",
        audience=Audience.MEMBER,
        email=True,
    )
)
REPORT_REJECTED = kind_register(
    Kind(
        code="community.report_rejected",
        label=_("My report to a community was not approved"),
        text=_("%(community)s did not approve your report; the reason is on the report's page."),
        sms_template="LX_COMMUNITY_REPORT_REJECTED",
        audience=Audience.MEMBER,
        email=True,
    )
)


def report_params(report: CommunityReport) -> dict[str, str]:
    community = report.community
    return {"community": shortened(community.short_name or community.name, NAME_CHARS)}


def report_url(report: CommunityReport) -> str:
    return reverse("community:report_detail", args=[report.pk])

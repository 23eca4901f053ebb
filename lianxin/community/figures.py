"""在职党员进社区's figures for the dashboard and the briefings (lianxin.core.figures): reports made by
members of the subtree's organizations to communities, reports received by the subtree's communities,
post claims and service records. The rows are the service figures page's (selectors/figures)."""

from django.utils.translation import gettext_lazy as _

from lianxin.community.models import CommunityReport, PostClaim, ServiceRecord
from lianxin.community.selectors.figures import post_claims, reports_by_community, reports_by_home, service_records
from lianxin.core.figures import FigureGroup, Measure, Row, figures_register

REPORT_COLUMNS = (
    ("date", _("Reported on")),
    ("name", _("Name")),
    ("organization", _("Own organization")),
    ("community", _("Community")),
)


def report_row(report: CommunityReport) -> Row:
    return {
        "date": report.reported_on.isoformat(),
        "name": report.member.name,
        "organization": str(report.home_organization) if report.home_organization_id else "",
        "community": str(report.community),
    }


def claim_row(claim: PostClaim) -> Row:
    return {
        "date": claim.claimed_at.date().isoformat(),
        "name": claim.member.name,
        "post": str(claim.post),
        "community": str(claim.post.community),
    }


def record_row(record: ServiceRecord) -> Row:
    return {
        "date": record.served_on.isoformat(),
        "name": record.member.name,
        "community": str(record.community),
        "hours": record.hours,
    }


MEASURES = (
    Measure(
        "community-reports-made",
        _("Members reporting to communities"),
        _("reports"),
        _("Approved reports by members whose own organization is in this subtree, to any community."),
        reports_by_home,
        REPORT_COLUMNS,
        report_row,
        headline=True,
        dated="reported_on",
        organization="home_organization",
    ),
    Measure(
        "community-reports-received",
        _("Community reports received"),
        _("reports"),
        _("Approved reports of in-service members to the communities of this subtree, wherever the member belongs."),
        reports_by_community,
        REPORT_COLUMNS,
        report_row,
        dated="reported_on",
        organization="community",
    ),
    Measure(
        "community-post-claims",
        _("Service posts claimed"),
        _("claims"),
        _("Claims of the service posts of this subtree's communities made in the period and not withdrawn."),
        post_claims,
        (("date", _("Claimed on")), ("name", _("Name")), ("post", _("Post")), ("community", _("Community"))),
        claim_row,
        dated="claimed_at",
        organization="post__community",
    ),
    Measure(
        "community-service-records",
        _("Community service records"),
        _("records"),
        _("What members recorded doing in the communities of this subtree in the period."),
        service_records,
        (("date", _("Date")), ("name", _("Name")), ("community", _("Community")), ("hours", _("Hours"))),
        record_row,
        dated="served_on",
        organization="community",
    ),
)

figures_register(FigureGroup("community", _("Members in communities"), 50, MEASURES))

"""The rows behind the community figures for a subtree and a period: service records and post claims
by the community, and community reports counted twice, once under the receiving community and once
under the member's own organization (home_organization), as two separate figures.
"""

from django.db.models import Q, QuerySet

from lianxin.community.models import CommunityReport, PostClaim, ServiceRecord
from lianxin.core.periods import Period
from lianxin.organizations.selectors import Subtree, in_subtree

# A community report counts once the community approved it, even if it has ended since; a
# pending report the member withdrew also ends, but was never decided.
COUNTED_REPORTS = Q(status=CommunityReport.Status.APPROVED) | Q(
    status=CommunityReport.Status.ENDED, decided_at__isnull=False
)


def service_records(org: Subtree, period: Period) -> QuerySet[ServiceRecord]:
    return (
        ServiceRecord.objects.filter(
            in_subtree("community", org), served_on__gte=period.start, served_on__lte=period.end
        )
        .select_related("member", "community")
        .order_by("served_on", "id")
    )


def reports_by_community(org: Subtree, period: Period) -> QuerySet[CommunityReport]:
    """Members who reported to communities of the subtree (approved), wherever they come from."""
    return reports_counted(period).filter(in_subtree("community", org))


def reports_by_home(org: Subtree, period: Period) -> QuerySet[CommunityReport]:
    """Members of the subtree's organizations who reported to a community (approved), anywhere."""
    return reports_counted(period).filter(in_subtree("home_organization", org))


def reports_counted(period: Period) -> QuerySet[CommunityReport]:
    return (
        CommunityReport.objects.filter(COUNTED_REPORTS)
        .filter(reported_on__gte=period.start, reported_on__lte=period.end)
        .select_related("member", "community", "home_organization")
        .order_by("reported_on", "id")
    )


def post_claims(org: Subtree, period: Period) -> QuerySet[PostClaim]:
    """Claims of the subtree's community posts made in the period and not withdrawn."""
    start, end = period.bounds
    return (
        PostClaim.objects.filter(in_subtree("post__community", org), claimed_at__gte=start, claimed_at__lt=end)
        .filter(withdrawn_at__isnull=True)
        .select_related("post", "post__community", "member")
        .order_by("claimed_at", "id")
    )

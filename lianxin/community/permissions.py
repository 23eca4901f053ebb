"""Who may do what in community reporting: predicates for buttons; the services check the same rules.

The community's admins are those whose roster scope holds the community organization; a
member acts only for themselves, through the roster record linked to their account.
"""

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.community.models import CommunityReport, PostClaim, ServicePost
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


def _authenticated(user: Viewer) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def member_of(user: Viewer) -> Member | None:
    """The roster record of a logged-in member, or None."""
    if not _authenticated(user):
        return None
    return getattr(user, "member", None)


def is_community(organization: Organization) -> bool:
    return organization.sector in CommunityReport.COMMUNITY_SECTORS


def manages_community(user: Viewer, community: Organization) -> bool:
    """An admin of the community organization (or of anything above it)."""
    return _authenticated(user) and roster_scope(user).contains(community.path)


def manages_any(user: Viewer) -> bool:
    return _authenticated(user) and not roster_scope(user).is_empty


def owns_report(user: Viewer, report: CommunityReport) -> bool:
    member = member_of(user)
    return member is not None and report.member_id == member.pk


def can_decide(user: Viewer, report: CommunityReport) -> bool:
    return report.status == CommunityReport.Status.PENDING and manages_community(user, report.community)


def can_end(user: Viewer, report: CommunityReport) -> bool:
    """The member ends their own report (or withdraws a pending one); the community ends an approved one."""
    if report.status == CommunityReport.Status.APPROVED:
        return owns_report(user, report) or manages_community(user, report.community)
    return report.status == CommunityReport.Status.PENDING and owns_report(user, report)


def approved_report_to(member: Member, community: Organization) -> CommunityReport | None:
    return CommunityReport.objects.filter(
        member=member, community=community, status=CommunityReport.Status.APPROVED
    ).first()


def can_claim(user: Viewer, post: ServicePost) -> bool:
    member = member_of(user)
    return (
        member is not None
        and post.is_open
        and approved_report_to(member, post.community) is not None
        and not post.claims.filter(member=member, withdrawn_at__isnull=True).exists()
    )


def can_withdraw(user: Viewer, claim: PostClaim) -> bool:
    member = member_of(user)
    return member is not None and claim.member_id == member.pk and claim.withdrawn_at is None

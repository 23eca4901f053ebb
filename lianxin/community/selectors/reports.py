"""Reads of community reporting: a member's own, a community's queue, scoped lookups."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.community import permissions
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.organizations.models import Organization

Status = CommunityReport.Status


def _with_places(qs: QuerySet[ServicePost]) -> QuerySet[ServicePost]:
    return qs.annotate(taken=Count("claims", filter=Q(claims__withdrawn_at__isnull=True)))


# -------------------------------------------------------------- a member's own


def report_list_of(*, user: Viewer) -> QuerySet[CommunityReport]:
    member = permissions.member_of(user)
    if member is None:
        return CommunityReport.objects.none()
    return CommunityReport.objects.filter(member=member).select_related("community", "home_organization")


def active_report_of(*, user: Viewer) -> CommunityReport | None:
    return report_list_of(user=user).filter(status__in=CommunityReport.ACTIVE_STATUSES).first()


def claim_list_of(*, user: Viewer) -> QuerySet[PostClaim]:
    member = permissions.member_of(user)
    if member is None:
        return PostClaim.objects.none()
    return PostClaim.objects.filter(member=member).select_related("post", "post__community")


def record_list_of(*, user: Viewer) -> QuerySet[ServiceRecord]:
    member = permissions.member_of(user)
    if member is None:
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(member=member).select_related("community", "claim__post")


def approved_report_of(*, user: Viewer) -> CommunityReport | None:
    """The member's report that the community approved, if any: where they may claim and record."""
    return report_list_of(user=user).filter(status=Status.APPROVED).first()


def open_posts_of(community: Organization) -> QuerySet[ServicePost]:
    return _with_places(ServicePost.objects.filter(community=community, is_open=True)).order_by("-created_at", "-id")


def open_posts_for(*, user: Viewer) -> QuerySet[ServicePost]:
    """The open posts of the community that approved the member's report; none without one."""
    report = approved_report_of(user=user)
    return open_posts_of(report.community) if report else ServicePost.objects.none()


def community_suggestions(*, limit: int) -> QuerySet[Organization]:
    """Active community and village organizations, offered while a member types a code (public facts)."""
    communities: QuerySet[Organization] = Organization.objects.filter(
        sector__in=CommunityReport.COMMUNITY_SECTORS, status=Organization.Status.ACTIVE
    ).order_by("path")
    return communities[:limit]


# ----------------------------------------------------------- a community's admins


def managed_communities(*, user: Viewer) -> QuerySet[Organization]:
    """The active community and village organizations in the user's roster scope."""
    communities: QuerySet[Organization] = Organization.objects.filter(
        roster_scope(user).q("path"), sector__in=CommunityReport.COMMUNITY_SECTORS, status=Organization.Status.ACTIVE
    ).order_by("path")
    return communities


def report_queue(*, user: Viewer) -> QuerySet[CommunityReport]:
    """Reports to the communities in the user's scope: pending and approved ones."""
    return (
        CommunityReport.objects.filter(
            roster_scope(user).q("community__path"), status__in=CommunityReport.ACTIVE_STATUSES
        )
        .select_related("member", "community", "home_organization")
        .order_by("status", "reported_on", "id")
    )


def reports_decided_by(*, user: Viewer) -> QuerySet[CommunityReport]:
    """Every report to a community in the user's roster scope, whatever its state: what they may decide on."""
    return CommunityReport.objects.filter(roster_scope(user).q("community__path"))


def post_list_managed(*, user: Viewer) -> QuerySet[ServicePost]:
    return (
        _with_places(ServicePost.objects.filter(roster_scope(user).q("community__path")))
        .select_related("community")
        .order_by("-is_open", "-created_at", "-id")
    )


def record_list_managed(*, user: Viewer) -> QuerySet[ServiceRecord]:
    """The service records of members reported to the communities in the user's scope."""
    return (
        ServiceRecord.objects.filter(roster_scope(user).q("community__path"))
        .select_related("member", "community", "claim__post")
        .order_by("-served_on", "-id")
    )


# ------------------------------------------------------------------ scoped lookups


def access_report(user: Viewer, pk: int) -> CommunityReport:
    """The member's own report, or one to a community (or from a member's organization) in scope."""
    scope = roster_scope(user)
    visible = scope.q("community__path") | scope.q("home_organization__path")
    member = permissions.member_of(user)
    if member is not None:
        visible |= Q(member=member)
    report = (
        CommunityReport.objects.filter(Q(pk=pk) & visible)
        .select_related("member", "community", "home_organization", "decided_by")
        .first()
    )
    if report is None:
        raise Http404
    return report


def access_post(user: Viewer, pk: int) -> ServicePost:
    """A post is seen by its community's admins and by members who reported there."""
    visible = roster_scope(user).q("community__path")
    member = permissions.member_of(user)
    if member is not None:
        visible |= Q(community__community_reports__member=member)
    post = ServicePost.objects.filter(Q(pk=pk) & visible).select_related("community").distinct().first()
    if post is None:
        raise Http404
    return post


def access_claim(user: Viewer, pk: int) -> PostClaim:
    """Only the member who claimed."""
    member = permissions.member_of(user)
    claim = (
        PostClaim.objects.filter(pk=pk, member=member).select_related("post", "post__community").first()
        if member is not None
        else None
    )
    if claim is None:
        raise Http404
    return claim


def access_record(user: Viewer, pk: int) -> ServiceRecord:
    """The member's own record, or one made in a community in scope."""
    visible = roster_scope(user).q("community__path")
    member = permissions.member_of(user)
    if member is not None:
        visible |= Q(member=member)
    record = ServiceRecord.objects.filter(Q(pk=pk) & visible).select_related("member", "community").first()
    if record is None:
        raise Http404
    return record


def active_claims_in(*, user: Viewer, report: CommunityReport | None) -> QuerySet[PostClaim]:
    """The member's claims not withdrawn in the community of their approved report (none without one)."""
    claims = claim_list_of(user=user)
    if report is None or report.status != Status.APPROVED:
        return claims.none()
    return claims.filter(withdrawn_at__isnull=True, post__community=report.community)


def reports_to_approve(*, user: Viewer) -> QuerySet[CommunityReport]:
    """The pending part of the queue: reports waiting for a community admin's decision."""
    return report_queue(user=user).filter(status=Status.PENDING)

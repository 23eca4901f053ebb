"""The quarterly feedback to a member's own organization (报到情况反馈): who reported where,
what they claimed, what they recorded and for how many hours, with totals.

A report belongs to the organization the member was in when they reported
(`home_organization`), so the feedback still reaches it after a transfer. One reading of
the figures serves the page, the .xlsx, the .docx, the API and the command.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.community.models import CommunityReport, PostClaim, ServiceRecord
from lianxin.core.periods import Period
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import organization_by_code


@dataclass
class FeedbackRow:
    report: CommunityReport
    posts: list[str] = field(default_factory=list)
    records: int = 0
    hours: Decimal = Decimal("0")


@dataclass
class Feedback:
    organization: Organization
    quarter: Period
    rows: list[FeedbackRow]

    @property
    def members(self) -> int:
        """Distinct members, not reports: one who moved between communities counts once."""
        return len({row.report.member_id for row in self.rows})

    @property
    def approved(self) -> int:
        """Distinct members whose report the community approved (it may have ended since)."""
        return len({r.report.member_id for r in self.rows if r.report.decided_at is not None})

    @property
    def posts(self) -> int:
        return sum(len(row.posts) for row in self.rows)

    @property
    def records(self) -> int:
        return sum(row.records for row in self.rows)

    @property
    def hours(self) -> Decimal:
        return sum((row.hours for row in self.rows), Decimal("0"))


def _reports_in(quarter: Period) -> QuerySet[CommunityReport]:
    """Reports that were active at some time in the quarter; rejected ones never were."""
    return CommunityReport.objects.filter(
        status__in=(CommunityReport.Status.PENDING, CommunityReport.Status.APPROVED, CommunityReport.Status.ENDED),
        reported_on__lte=quarter.end,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=quarter.start))


def feedback_organizations(*, quarter: Period) -> QuerySet[Organization]:
    """The organizations whose own members had a report in the quarter: each receives its feedback."""
    ids = _reports_in(quarter).values("home_organization_id")
    organizations: QuerySet[Organization] = Organization.objects.filter(pk__in=ids).order_by("path")
    return organizations


def _posts_held(member_ids: set[int], quarter: Period) -> dict[tuple[int, int], list[str]]:
    """Titles of the posts each member held in each community at some time in the quarter."""
    start, following = quarter.bounds
    posts: dict[tuple[int, int], list[str]] = defaultdict(list)
    claims = (
        PostClaim.objects.filter(member_id__in=member_ids, claimed_at__lt=following)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=start))
        .values_list("member_id", "post__community_id", "post__title")
        .order_by("claimed_at", "id")
    )
    for member_id, community_id, title in claims:
        posts[(member_id, community_id)].append(title)
    return posts


def _service_totals(member_ids: set[int], quarter: Period) -> dict[tuple[int, int], tuple[int, Decimal]]:
    """Records and hours per member and community, by the date of service."""
    return {
        (row["member_id"], row["community_id"]): (row["n"], row["h"] or Decimal("0"))
        for row in ServiceRecord.objects.filter(member_id__in=member_ids, served_on__range=(quarter.start, quarter.end))
        .values("member_id", "community_id")
        .annotate(n=Count("pk"), h=Sum("hours"))
    }


def feedback_build(*, organization: Organization, quarter: Period) -> Feedback:
    """Reports from members of `organization`'s subtree that were active at some time in the quarter.

    Rejected reports are left out; posts count when the claim was held during the quarter;
    records count by the date of service.
    """
    reports = list(
        _reports_in(quarter)
        .filter(home_organization__path__startswith=organization.path)
        .select_related("member", "community", "home_organization")
        .order_by("home_organization__path", "member__name", "reported_on", "id")
    )
    member_ids = {r.member_id for r in reports}
    posts = _posts_held(member_ids, quarter)
    totals = _service_totals(member_ids, quarter)
    rows = []
    seen: set[tuple[int, int]] = set()
    for report in reports:
        key = (report.member_id, report.community_id)
        # Two reports by one member to one community in a quarter: their work is counted once.
        records, hours = totals.get(key, (0, Decimal("0"))) if key not in seen else (0, Decimal("0"))
        rows.append(FeedbackRow(report, posts.get(key, []) if key not in seen else [], records, hours))
        seen.add(key)
    return Feedback(organization=organization, quarter=quarter, rows=rows)


def access_feedback_organization(user: Viewer, code: str | None) -> Organization:
    """Feedback on an organization's members is for admins whose roster scope holds it."""
    organization = organization_by_code(user=user, code=code, scope=roster_scope(user))
    if organization is None:
        raise Http404
    return organization


def default_feedback_organization(user: Viewer) -> Organization | None:
    """The top organization of the viewer's roster scope: the first choice on an empty form."""
    scope = roster_scope(user)
    if scope.is_empty:
        return None
    tops: QuerySet[Organization] = Organization.objects.filter(
        Q(depth=1) if scope.everything else Q(path__in=scope.paths)
    ).order_by("path")
    return tops.first()

"""Reads of hardship records: by the admins of the member's organization and those above it only."""

from django.db.models import Q, QuerySet
from django.http import Http404

from lianxin.accounts.types import Viewer
from lianxin.care.models import HardshipRecord
from lianxin.care.permissions import care_scope
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import Subtree, in_subtree


def hardship_list_visible_to(
    *, user: Viewer, organization: Organization | None = None, status: str = HardshipRecord.Status.ACTIVE
) -> QuerySet[HardshipRecord]:
    qs = HardshipRecord.objects.filter(care_scope(user).q("member__organization__path"))
    if organization is not None:
        qs = qs.filter(member__organization__path__startswith=organization.path)
    if status in HardshipRecord.Status.values:
        qs = qs.filter(status=status)
    return qs.select_related("member", "member__organization").order_by(
        "member__organization__path", "member__name", "id"
    )


def due_for_review(qs: QuerySet[HardshipRecord], year: int) -> QuerySet[HardshipRecord]:
    """Active records not confirmed yet in `year` (HardshipRecord.due_for_review, as a filter)."""
    last_before = Q(reviewed_on__isnull=False, reviewed_on__year__lt=year) | Q(
        reviewed_on__isnull=True, since__year__lt=year
    )
    return qs.filter(last_before, status=HardshipRecord.Status.ACTIVE)


def access_hardship(user: Viewer, pk: int) -> HardshipRecord:
    record = (
        HardshipRecord.objects.filter(care_scope(user).q("member__organization__path"), pk=pk)
        .select_related("member", "member__organization")
        .first()
    )
    if record is None:
        raise Http404
    return record


def hardship_active_in(subtree: Subtree) -> QuerySet[HardshipRecord]:
    """Active hardship records of the members of a subtree (the figure's rows: no viewer, the caller scopes)."""
    return (
        HardshipRecord.objects.filter(in_subtree("member__organization", subtree), status=HardshipRecord.Status.ACTIVE)
        .select_related("member", "member__organization")
        .order_by("since", "id")
    )


def hardship_to_review_count(*, user: Viewer, year: int) -> int:
    """What waits on the viewer (for the workbench): active records of their subtree not reviewed in `year`."""
    return due_for_review(hardship_list_visible_to(user=user), year).count()

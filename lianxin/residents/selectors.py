"""Reads of the residents app: the communities a resident chooses from, and a resident's own profile."""

from django.db.models import QuerySet

from lianxin.accounts.types import Viewer
from lianxin.organizations.models import Area
from lianxin.residents.models import COMMUNITY_KINDS, Resident

# The separator of an area's path as people read it: 定海区 › 千岛街道.


def community_areas() -> QuerySet[Area]:
    """Every community and village, in tree order."""
    areas: QuerySet[Area] = Area.objects.filter(kind__in=COMMUNITY_KINDS).order_by("path")
    return areas


def resident_of(user: Viewer) -> Resident | None:
    """The viewer's own resident profile, or None (not signed in, or not a resident)."""
    if not user.is_authenticated:
        return None
    found: Resident | None = Resident.objects.select_related("community").filter(user_id=user.pk).first()
    return found

"""Reads of the residents app: the communities a resident chooses from, and a resident's own profile."""

from django.db.models import QuerySet

from lianxin.accounts.types import Viewer
from lianxin.organizations.models import Area
from lianxin.residents.models import COMMUNITY_KINDS, Resident

# The separator of an area's path as people read it: 定海区 › 千岛街道.
PATH_SEPARATOR = " › "


def community_areas() -> QuerySet[Area]:
    """Every community and village, in tree order."""
    areas: QuerySet[Area] = Area.objects.filter(kind__in=COMMUNITY_KINDS).order_by("path")
    return areas


def community_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """The communities grouped by where they lie (district › street), for a choice list."""
    communities = list(community_areas().only("pk", "name", "path", "depth"))
    steplen = Area.steplen
    above = {c.path[: steplen * n] for c in communities for n in range(2, c.depth)}
    names = dict(Area.objects.filter(path__in=above).values_list("path", "name"))
    groups: dict[str, list[tuple[int, str]]] = {}
    for area in communities:
        chain = [names[p] for n in range(2, area.depth) if (p := area.path[: steplen * n]) in names]
        groups.setdefault(PATH_SEPARATOR.join(chain), []).append((area.pk, area.name))
    return list(groups.items())


def resident_of(user: Viewer) -> Resident | None:
    """The viewer's own resident profile, or None (not signed in, or not a resident)."""
    if not user.is_authenticated:
        return None
    found: Resident | None = Resident.objects.select_related("community").filter(user_id=user.pk).first()
    return found

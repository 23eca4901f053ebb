"""Refreshing the member tallies (models/tallies.py) from the roster, in set-based SQL (ADR 16).

A rebuild recomputes every cell: one grouped pass over the covering index on (organization,
category), each organization's counts added to each of its ancestors by joining the ancestors'
paths (a prefix of the path for every depth), and only the cells that differ are written.

A refresh between rebuilds recounts only the organizations whose roster changed since the last one:
those of members with a timeline event (created, changed, imported, moved along the development
pipeline, left) and both ends of every transfer. The difference from their counts as tallied is
added to each cell of them and of their ancestors. A restructured tree (an organization moved or
merged) changes whole subtrees' ancestors: the refresh is then a rebuild."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from lianxin.core.models import Event
from lianxin.core.tallies import cells_write, deltas_write, in_list
from lianxin.members.models import Member, MemberTally, Transfer
from lianxin.organizations.models import Organization, OrganizationVerb
from lianxin.organizations.rollups import with_ancestors

# Past this many organizations with changes (a large import), the rebuild is the shorter way.
MANY = 2000
RESTRUCTURED = Q(verb=OrganizationVerb.MOVED) | Q(to_state=Organization.Status.MERGED)


def member_tallies_refresh(since: datetime | None = None) -> int:
    """Make the member tallies equal to the roster; returns the cells written."""
    if since is None or _restructured_since(since):
        return _rebuild()
    changed = _changed_since(since)
    if len(changed) > MANY:
        return _rebuild()
    return _recount(sorted(changed)) if changed else 0


def _restructured_since(since: datetime) -> bool:
    events = Event.objects.filter(subject_type=ContentType.objects.get_for_model(Organization), at__gte=since)
    return events.filter(RESTRUCTURED).exists()


def _changed_since(since: datetime) -> set[int]:
    events = Event.objects.filter(subject_type=ContentType.objects.get_for_model(Member), at__gte=since)
    changed = set(Member.objects.filter(pk__in=events.values("subject_id")).values_list("organization_id", flat=True))
    transfers = Transfer.objects.filter(created_at__gte=since)
    for ends in transfers.values_list("from_organization_id", "to_organization_id"):
        changed.update(ends)
    return changed


def _rebuild() -> int:
    members = connection.ops.quote_name(Member._meta.db_table)
    own = f"(SELECT organization_id, category, COUNT(*) AS n FROM {members} GROUP BY organization_id, category)"
    select = (
        "SELECT a.id AS organization_id, c.category AS category,"
        " SUM(CASE WHEN d.k = o.depth THEN c.n ELSE 0 END) AS own, SUM(c.n) AS subtree"
        f" FROM {with_ancestors(own)} GROUP BY a.id, c.category"
    )
    return cells_write(
        MemberTally._meta.db_table, keys=("organization_id", "category"), values=("own", "subtree"), select=(select, ())
    )


def _recount(organizations: list[int]) -> int:
    """Add to the cells of these organizations and their ancestors the change in their own counts."""
    q = connection.ops.quote_name
    tally, members = q(MemberTally._meta.db_table), q(Member._meta.db_table)
    where, ids = in_list("organization_id", organizations)
    changes = (
        f"(SELECT organization_id, category, SUM(n) AS n FROM ("
        f"SELECT organization_id, category, COUNT(*) AS n FROM {members} WHERE {where}"
        " GROUP BY organization_id, category"
        f" UNION ALL SELECT organization_id, category, -own AS n FROM {tally} WHERE {where} AND own > 0"
        ") x GROUP BY organization_id, category HAVING SUM(n) <> 0)"
    )
    select = (
        "SELECT a.id AS organization_id, c.category AS category,"
        " SUM(CASE WHEN d.k = o.depth THEN c.n ELSE 0 END) AS own, SUM(c.n) AS subtree"
        f" FROM {with_ancestors(changes)} GROUP BY a.id, c.category"
    )
    return deltas_write(
        MemberTally._meta.db_table,
        keys=("organization_id", "category"),
        values=("own", "subtree"),
        select=(select, [*ids, *ids]),
    )

"""Refreshing the member tallies (models/tallies.py) from the roster, in set-based SQL (ADR 16).

Every refresh recomputes every cell: one grouped pass over the covering index on (organization,
category), each organization's counts added to each of its ancestors by joining the ancestors'
paths (a prefix of the path for every depth), and only the cells that differ are written. The
roster import, transfers, merges and moves, and rows loaded in SQL need no bookkeeping of their
own: the next refresh sees them."""

from datetime import datetime

from django.db import connection

from lianxin.core.tallies import cells_write
from lianxin.members.models import Member, MemberTally
from lianxin.organizations.models import Organization


def member_tallies_refresh(since: datetime | None = None) -> int:
    """Make every member tally equal to the roster; returns the cells written."""
    del since  # the whole roster is one index-only pass: always recomputed whole
    q = connection.ops.quote_name
    depth = Organization.objects.order_by("-depth").values_list("depth", flat=True).first() or 0
    depths = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, depth + 1)) or "SELECT 1 AS k"
    orgs, members, step = q(Organization._meta.db_table), q(Member._meta.db_table), Organization.steplen
    select = (
        f"SELECT a.id AS organization_id, own.category AS category,"
        f" SUM(CASE WHEN d.k = o.depth THEN own.n ELSE 0 END) AS own, SUM(own.n) AS subtree"
        f" FROM (SELECT organization_id, category, COUNT(*) AS n FROM {members}"
        f" GROUP BY organization_id, category) own"
        f" JOIN {orgs} o ON o.id = own.organization_id"
        f" JOIN ({depths}) d ON d.k <= o.depth"
        f" JOIN {orgs} a ON a.path = SUBSTR(o.path, 1, d.k * {step})"
        f" GROUP BY a.id, own.category"
    )
    return cells_write(
        MemberTally._meta.db_table,
        keys=("organization_id", "category"),
        values=("own", "subtree"),
        select=(select, ()),
    )

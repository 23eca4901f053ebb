"""Counts rolled up the tree (ADR 16): the SQL that pairs each organization with its ancestors, for
the tallies the apps above keep per organization (their own count and their whole subtree's)."""

from django.db import connection

from lianxin.organizations.models import Organization


def with_ancestors(cells: str) -> str:
    """A FROM clause: each row `c` of `cells` (a subquery with an organization_id) beside every
    ancestor `a` of its organization `o`, itself included (`d.k = o.depth`), found by the prefix of
    its path at each depth `d.k`."""
    q = connection.ops.quote_name
    depth = Organization.objects.order_by("-depth").values_list("depth", flat=True).first() or 1
    depths = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, depth + 1))
    orgs = q(Organization._meta.db_table)
    return (
        f"{cells} c JOIN {orgs} o ON o.id = c.organization_id JOIN ({depths}) d ON d.k <= o.depth"
        f" JOIN {orgs} a ON a.path = SUBSTR(o.path, 1, d.k * {Organization.steplen})"
    )


def rolled_up(cells: str, *, keys: tuple[str, ...], values: tuple[str, ...]) -> str:
    """SELECT, for every organization with a count in its subtree, its keys, each value of its own
    (`v`) and of its whole subtree (`v_subtree`), from `cells` (organization_id, keys, values)."""
    own = ", ".join(f"SUM(CASE WHEN d.k = o.depth THEN c.{v} ELSE 0 END) AS {v}" for v in values)
    subtree = ", ".join(f"SUM(c.{v}) AS {v}_subtree" for v in values)
    listed = "".join(f"c.{k} AS {k}, " for k in keys)
    grouped = "".join(f", c.{k}" for k in keys)
    return (
        f"SELECT a.id AS organization_id, {listed}{own}, {subtree} FROM {with_ancestors(cells)} GROUP BY a.id{grouped}"
    )

"""Trees planned in memory and written in one bulk insert.

treebeard's add_child costs several queries per node; the demo knows the whole tree
up front, so it computes the materialized paths itself (children sorted by code, as
`node_order_by = ["code"]` requires) and inserts every node at once.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from treebeard.mp_tree import MP_Node

from lianxin.demo.people import BranchProfile
from lianxin.members.models import Member
from lianxin.members.services.roster import MemberData
from lianxin.organizations.models import Organization

N = TypeVar("N", bound=MP_Node)

# Digits each level adds to an organization code: ZS / 01 / 02 / 003 / 01 / 01.
CODE_WIDTHS = {2: 2, 3: 2, 4: 3, 5: 2, 6: 2}


@dataclass(eq=False)
class Node(Generic[N]):
    obj: N
    children: list["Node[N]"] = field(default_factory=list)

    def walk(self) -> Iterator["Node[N]"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(eq=False)
class OrgNode(Node[Organization]):
    """An organization being planned: its members are generated once it is saved."""

    depth: int = 1
    profile: BranchProfile | None = None  # set for organizations that hold members
    size: float = 0.0  # planned number of members, before scaling to the target
    district: str = ""  # district name, "" for city-level organizations
    data: list[MemberData] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    secretary_index: int | None = None

    def add(self, org: Organization) -> "OrgNode":
        depth = self.depth + 1
        org.code = f"{self.obj.code}{len(self.children) + 1:0{CODE_WIDTHS[depth]}d}"
        child = OrgNode(obj=org, depth=depth, district=self.district)
        self.children.append(child)
        return child

    def org_nodes(self) -> Iterator["OrgNode"]:
        yield self
        for child in self.children:
            assert isinstance(child, OrgNode)
            yield from child.org_nodes()


def assign_paths(model: type[MP_Node], roots: list[Node[N]]) -> list[N]:
    """Set path, depth and numchild on every planned node; return them parents first."""
    ordered: list[N] = []

    def place(nodes: list[Node[N]], parent_path: str, depth: int) -> None:
        nodes.sort(key=lambda n: n.obj.code)
        for position, node in enumerate(nodes, start=1):
            node.obj.path = model._get_path(parent_path, depth, position)
            node.obj.depth = depth
            node.obj.numchild = len(node.children)
            ordered.append(node.obj)
            place(node.children, node.obj.path, depth + 1)

    place(roots, "", 1)
    return ordered

"""The demo city's service work: volunteer teams, orders, sessions, a touring service,
appointment services, community reporting and micro-wishes, written after the roster.

Rows are written in bulk straight through the models (the services are for one change at
a time), but every row keeps the rules the services enforce: dates in order, counters
equal to the active rows they count, capacities respected, hours by the rounding rule,
one active report per member, and a timeline Event for every state change.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password

from lianxin.accounts.models import RoleAssignment, User
from lianxin.core.crypto import lookup_hash
from lianxin.demo import (
    activity_demo,
    care_demo,
    community_demo,
    demand_demo,
    development_demo,
    dues_demo,
    honours_demo,
    service_demo,
)
from lianxin.demo.context import BATCH, SERVICE_SCALES, UNIT_SECTORS, ServiceContext
from lianxin.demo.plan import Planner
from lianxin.demo.tree import OrgNode
from lianxin.members.models import Member
from lianxin.organizations.models import Area

Role = RoleAssignment.Role


def _eligible(member: Member) -> bool:
    return (
        member.category in Member.PARTY_MEMBER_CATEGORIES
        and bool(member.mobile)
        and member.user_id is None
        and not (member.is_lost_contact or member.is_abroad or member.is_at_sea)
        and member.post != "退休"
    )


def _volunteer_accounts(ctx: ServiceContext) -> None:
    """Accounts for some members of every organization, and for every village and community
    secretary (they order services, review wishes and approve community reports)."""
    branches = [n for n in ctx.nodes if n.members]
    eligible = {n.obj.pk: [m for m in n.members if _eligible(m)] for n in branches}
    secretaries = {n.obj.secretary.pk for n in ctx.nodes if n.obj.sector in UNIT_SECTORS and n.obj.secretary}
    total = sum(len(v) for v in eligible.values()) or 1
    share = min(1.0, ctx.scale.volunteers / total)
    chosen: list[Member] = []
    for node in branches:
        pool = eligible[node.obj.pk]
        take = [m for m in pool if m.pk in secretaries]
        rest = [m for m in pool if m.pk not in secretaries]
        take += ctx.rng.sample(rest, min(len(rest), round(len(pool) * share)))
        chosen.extend(take)
    unusable = make_password(None)
    users = [
        User(
            username=f"zs{m.pk:06d}",
            display_name=m.name,
            mobile=m.mobile,
            mobile_hash=lookup_hash(m.mobile),
            password=unusable,
            date_joined=ctx.at(ctx.today - timedelta(days=400)),
        )
        for m in chosen
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    for user, member in zip(users, chosen, strict=True):
        member.user = user
        ctx.user_of[member.pk] = user
    Member.objects.bulk_update(chosen, ["user"], batch_size=BATCH)
    ctx.volunteers = list(zip(users, chosen, strict=True))
    roles = {(u.pk, Role.MEMBER, None) for u in users}
    for node in ctx.nodes:
        secretary = ctx.secretary_user(node.obj)
        # The demo accounts already hold their roles.
        if secretary is not None and secretary.username.startswith("zs") and node.obj.sector in UNIT_SECTORS:
            roles.add((secretary.pk, Role.ORG_ADMIN, node.obj.pk))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=u, role=r, organization_id=o) for u, r, o in sorted(roles, key=str)],
        batch_size=BATCH,
    )


def _unit_organizations(ctx: ServiceContext) -> None:
    """Each village or community area's own organization (the community Party committee where
    there is one, otherwise the branch)."""
    for node in sorted(ctx.nodes, key=lambda n: n.obj.depth):
        org = node.obj
        ctx.node_of_org[org.pk] = node
        area: Area = org.area
        if org.sector in UNIT_SECTORS and area.kind in (Area.Kind.VILLAGE, Area.Kind.COMMUNITY):
            ctx.unit_org.setdefault(area.pk, org)


def service_demo_build(
    *, rng: random.Random, today: date, scale: str, nodes: list[OrgNode], planner: Planner, mobile: Any
) -> None:
    """Add the service work to a freshly built demo city (the demo accounts must exist)."""
    ctx = ServiceContext(rng=rng, today=today, scale=SERVICE_SCALES[scale], nodes=nodes, planner=planner, mobile=mobile)
    ctx.accounts = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    _unit_organizations(ctx)
    _volunteer_accounts(ctx)
    service_demo.build(ctx)
    community_demo.build(ctx)
    demand_demo.build(ctx, scale)
    activity_demo.build(ctx, scale)
    development_demo.build(ctx, scale)
    dues_demo.build(ctx, scale)
    honours_demo.build(ctx, scale)
    care_demo.build(ctx, scale)
    ctx.save_events()


DEMO_USERNAMES = ("admin", "dinghai", "secretary", "member", "handler", "leader", "resident")

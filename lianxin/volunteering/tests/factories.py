"""Builders for teams, service items and orders at any point of their life, through the services."""

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import PASSWORD
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign, user_create
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.categories import default_categories_seed
from lianxin.volunteering.models import Order, ServiceCategory, ServiceItem, Team
from lianxin.volunteering.services.catalogue import item_create, team_create
from lianxin.volunteering.services.orders import (
    order_accept,
    order_dispatch,
    order_place,
    order_rate,
    order_serve,
)

_seq = itertools.count(1)


def seed_categories() -> None:
    """The categories of migration 0002 again: transactional tests flush what migrations seeded."""
    default_categories_seed(ServiceCategory)


def category(code: str = "medical") -> ServiceCategory:
    """One of the ten seeded categories (or a seeded sub-kind such as free_clinic)."""
    found = ServiceCategory.objects.filter(code=code).first()
    if found is None:
        seed_categories()
        found = ServiceCategory.objects.get(code=code)
    return found


def make_user(username: str = "", *, role: str | None = None, organization: Organization | None = None) -> User:
    user = user_create(username=username or f"volunteer{next(_seq)}", password=PASSWORD, display_name=username)
    if role:
        role_assign(user=user, role=role, organization=organization)
    return user


def make_leader(username: str = "") -> User:
    """An account that will lead a team (the team leader role comes with the team)."""
    return make_user(username or f"leader{next(_seq)}")


def leader_of(team: Team | None) -> User:
    """The leader of a team built with one: the account its leader's steps are taken as."""
    assert team is not None and team.leader is not None, team
    return team.leader


def _admin_of(organization: Organization) -> User:
    return make_user(f"admin{next(_seq)}", role=RoleAssignment.Role.ORG_ADMIN, organization=organization)


def make_team(
    organization: Organization,
    *,
    actor: User | None = None,
    leader: User | None = None,
    areas: list[Area] | None = None,
    categories: list[ServiceCategory] | None = None,
    **overrides: Any,
) -> Team:
    """A team owned by `organization`, serving its organization's area and offering medical care."""
    values: dict[str, Any] = {"name": f"志愿服务队{next(_seq)}", "kind": Team.Kind.TEAM}
    values.update(overrides)
    return team_create(
        actor=actor or _admin_of(organization),
        organization=organization,
        leader=leader,
        areas=areas if areas is not None else [organization.area],
        categories=categories if categories is not None else [category()],
        **values,
    )


def make_item(
    team: Team,
    *,
    actor: User | None = None,
    category_code: str = "medical",
    areas: list[Area] | None = None,
    **overrides: Any,
) -> ServiceItem:
    """A service item of `team`; with no areas it serves wherever the team serves."""
    values: dict[str, Any] = {"title": f"义诊服务{next(_seq)}", "description": "测血压、量血糖"}
    values.update(overrides)
    return item_create(
        actor=actor or _admin_of(team.organization),
        team=team,
        category=category(category_code),
        areas=areas or [],
        **values,
    )


def make_order(
    item: ServiceItem,
    *,
    ordered_by: User,
    until: str = Order.Status.ORDERED,
    dispatcher: User | None = None,
    team: Team | None = None,
    **overrides: Any,
) -> Order:
    """An order placed by `ordered_by`, taken through the services up to status `until`.

    Dispatch is done by `dispatcher` (an admin of the item's team's organization, created if
    missing) to `team` (the item's team by default); accept and serve by that team's leader,
    who is created when the team has none.
    """
    today = timezone.localdate()
    values: dict[str, Any] = {
        "area": item.team.organization.area,
        "place": "东社区文化礼堂",
        "starts_on": today + timedelta(days=3),
        "ends_on": today + timedelta(days=4),
        "expected_beneficiaries": 40,
        "note": "老年人较多",
    }
    values.update(overrides)
    order = order_place(actor=ordered_by, item=item, **values)
    steps: list[str] = [Order.Status.DISPATCHED, Order.Status.ACCEPTED, Order.Status.SERVED, Order.Status.RATED]
    if until not in steps:
        return order
    wanted = steps[: steps.index(until) + 1]
    team = team or item.team
    if team.leader is None:
        team.leader = make_leader()
        team.save(update_fields=["leader"])
    order_dispatch(order=order, actor=dispatcher or _admin_of(order.owner), team=team)
    if Order.Status.ACCEPTED in wanted:
        order_accept(order=order, actor=leader_of(team))
    if Order.Status.SERVED in wanted:
        order_serve(order=order, actor=leader_of(team), beneficiaries=36, service_note="为36位老人量血压")
    if Order.Status.RATED in wanted:
        order_rate(order=order, actor=ordered_by, rating=5, comment="很满意")
    return order

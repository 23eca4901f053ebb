"""Builders for demands at any point of their life, going through the services.

    make_demand(city.east, by=district_admin, until=Demand.Status.RESOLVED, unit=city.west)

`by` collects and acts on every step, so give someone whose roster scope holds both the
collecting organization and the responsible unit (district_admin, city_admin), or pass
`handler` for the unit's steps.
"""

from typing import Any

from lianxin.accounts.models import User
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory, FollowUp
from lianxin.demands.services.followup import demand_follow_up
from lianxin.demands.services.handling import (
    demand_accept,
    demand_assign,
    demand_close_unresolvable,
    demand_create,
    demand_reject,
    demand_resolve,
)
from lianxin.organizations.models import Organization

Status = Demand.Status

# How far along the loop each status lies; `until` walks the steps up to it.
_ORDER = [Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.RESOLVED, Status.CLOSED]


def category(code: str = "environment") -> DemandCategory:
    """One of the default categories; a database flushed by a transactional test gets them again."""
    default_demand_categories_seed(DemandCategory)
    return DemandCategory.objects.get(code=code)


def make_demand(
    organization: Organization,
    *,
    by: User | None,
    until: str = Status.SUBMITTED,
    unit: Organization | None = None,
    handler: User | None = None,
    days: int | None = None,
    follow_up: str = Demand.Satisfaction.SATISFIED,
    duplicate_of: Demand | None = None,
    **overrides: Any,
) -> Demand:
    """A demand collected by `organization` and walked through the services up to `until`."""
    values: dict[str, Any] = {
        "source": Demand.Source.STAFF if by is not None else Demand.Source.PUBLIC,
        "title": "小区门口路灯不亮",
        "description": "幸福小区南门的两盏路灯坏了一周，晚上老人出门不方便。",
        "category": "facilities",
        "area": organization.area,
        "submitter_name": "张桂兰",
        "submitter_phone": "13912345678",
    }
    values.update(overrides)
    default_demand_categories_seed(DemandCategory)
    demand = demand_create(actor=by, organization=organization, **values)
    if until == Status.SUBMITTED:
        return demand
    assert by is not None, "only a signed-in account takes a demand past its collection"
    if until in (Status.NOT_OURS, Status.DUPLICATE):
        if until == Status.DUPLICATE and duplicate_of is None:
            duplicate_of = make_demand(organization, by=by, area=values["area"])
        return demand_reject(
            demand=demand,
            actor=by,
            kind=until,
            reason="不属于本单位职责" if until == Status.NOT_OURS else "重复反映",
            duplicate_of=duplicate_of,
        )
    demand_accept(demand=demand, actor=by)
    if until == Status.ACCEPTED:
        return demand
    demand_assign(demand=demand, actor=by, unit=unit or organization, days=days)
    if until == Status.ASSIGNED:
        return demand
    worker = handler or by
    if until == Status.UNRESOLVABLE:
        return demand_close_unresolvable(demand=demand, actor=worker, explanation="涉及规划调整，近期无法实施")
    demand_resolve(demand=demand, actor=worker, resolution="联系供电所更换了两盏路灯")
    if until == Status.RESOLVED:
        return demand
    demand_follow_up(demand=demand, actor=by, result=follow_up, comment="已经亮了")
    demand.refresh_from_db()
    return demand


def latest_follow_up(demand: Demand) -> FollowUp | None:
    return demand.follow_ups.order_by("-round").first()

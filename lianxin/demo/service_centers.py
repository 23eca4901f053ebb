"""The demo city's 党群服务阵地: centres of the city, districts and towns, island stations and the seafarers' wharf,
each created by the organizations service."""

import random

from lianxin.demo.names import ROADS
from lianxin.demo.places import DISTRICTS, SEAFARER_WHARF, SEAFARER_WHARF_DISTRICT
from lianxin.demo.plan import Planner
from lianxin.demo.tree import OrgNode
from lianxin.organizations.models import Area, ServiceCenter
from lianxin.organizations.services import service_center_create

HOURS = "周一至周五 8:30–17:30，周六 9:00–16:00"
Center = tuple[str, str, Area, OrgNode, str, str]


def service_centers_build(*, planner: Planner, rng: random.Random, nodes: list[OrgNode]) -> None:
    for name, kind, area, node, address, opening in _city_centers(planner, nodes) + _local_centers(planner, rng):
        service_center_create(
            name=name, kind=kind, area=area, organization=node.obj, address=address, opening_hours=opening
        )


def _city_centers(planner: Planner, nodes: list[OrgNode]) -> list[Center]:
    named, root = planner.named, nodes[0]
    Kind = ServiceCenter.Kind
    centers: list[Center] = [
        ("舟山市党群服务中心", Kind.CENTER, root.obj.area, root, "舟山市定海区千岛街道海港路1号", HOURS),
        (
            "舟山市新就业群体党群服务中心",
            Kind.CENTER,
            root.obj.area,
            named["两新工委"],
            "舟山市定海区千岛街道兴岛路18号",
            "每日 9:00–21:00",
        ),
    ]
    for district in DISTRICTS:
        node = named[district.name]
        name, address = f"{district.name}党群服务中心", f"{district.name}人民路8号"
        centers.append((name, Kind.CENTER, node.obj.area, node, address, HOURS))
    return centers


def _local_centers(planner: Planner, rng: random.Random) -> list[Center]:
    """Towns' centres and their islands' stations, two model units, and the seafarers' wharf."""
    named = planner.named
    Kind = ServiceCenter.Kind
    centers: list[Center] = []
    for town in planner.towns:
        node = named[town.place.name]
        road = rng.choice(ROADS)
        address = f"{town.district.name}{town.place.name}{road}{rng.randint(1, 99)}号"
        centers.append((f"{town.place.name}党群服务中心", Kind.CENTER, town.area, node, address, HOURS))
        for island in town.islands:
            where = f"{town.district.name}{town.place.name}{island.name}"
            opening = "每周二、周五 9:00–16:00（党员轮值）"
            centers.append((f"{island.name}“小岛有我”服务站", Kind.STATION, island, node, where, opening))
    for unit_name, label in (("平峧村", "六横镇平峧村党群服务中心"), ("莲安社区", "东港街道莲安社区党群服务中心")):
        node = named[unit_name]
        centers.append((label, Kind.CENTER, node.obj.area, node, f"普陀区{label[:-6]}", HOURS))
    ship = named["航行的支部"]
    wharf = planner.district_areas[SEAFARER_WHARF_DISTRICT]
    address = f"{SEAFARER_WHARF_DISTRICT}{SEAFARER_WHARF}"
    centers.append((f"{SEAFARER_WHARF}船员驿站", Kind.STATION, wharf, ship, address, "每日 8:00–20:00"))
    centers.append((f"{SEAFARER_WHARF}24小时自助驿站", Kind.POST, wharf, ship, address, "24小时"))
    return centers

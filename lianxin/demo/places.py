"""The geography of the demo city: the districts, towns, villages and islands the seeds name.

The small demo uses only the places the articles mention; the city-scale demo adds
invented towns so that the counts reach the seeds' size (全市39个乡镇（街道）).
"""

import random
from dataclasses import dataclass, field

CITY_NAME = "舟山市"
CITY_CODE = "330900"
# Where the demo accounts sit, by the names the seeds use: the secretary's and the member's branch,
# and the community the demo resident lives in.
SECRETARY_BRANCH = "怡岛社区"


@dataclass(frozen=True)
class TownPlace:
    name: str
    # 街道 have a Party working committee (党工委) and mostly communities;
    # 镇 and 乡 have a Party committee (党委) and mostly villages.
    is_street: bool
    villages: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    islands: tuple[str, ...] = ()
    # Communities big enough for a community Party committee (社区党委) with branches.
    community_committees: tuple[str, ...] = ()
    fishing: bool = False


@dataclass(frozen=True)
class DistrictPlace:
    name: str
    short: str  # 定海 — used in organization names
    code: str  # ID-number region prefix and area code
    is_county: bool
    phone_digit: str  # first digit of its 0580- office numbers
    towns: tuple[TownPlace, ...]
    invented_towns: tuple[TownPlace, ...] = field(default=())
    # Share of the city's residents, to place members of city-level organizations.
    weight: int = 1


DISTRICTS: tuple[DistrictPlace, ...] = (
    DistrictPlace(
        "定海区",
        "定海",
        "330902",
        False,
        "2",
        towns=(
            TownPlace("千岛街道", True, communities=("怡岛社区", "海宇社区")),
            TownPlace("小沙街道", True, villages=("庙桥村", "光华村")),
            TownPlace("白泉镇", False, villages=("皋泄村", "北蝉村")),
            TownPlace("金塘镇", False, villages=("沥港村", "大鹏村"), islands=("大鹏岛",), fishing=True),
            TownPlace("干览镇", False, villages=("新建村", "西码头村"), fishing=True),
        ),
        invented_towns=(
            TownPlace("海山街道", True),
            TownPlace("城澳街道", True),
            TownPlace("岑屿街道", True),
            TownPlace("临湖街道", True),
            TownPlace("双峰街道", True),
            TownPlace("盐港街道", True),
            TownPlace("长岙镇", False, islands=("鹰屿岛",), fishing=True),
            TownPlace("北礁镇", False, fishing=True),
        ),
        weight=45,
    ),
    DistrictPlace(
        "普陀区",
        "普陀",
        "330903",
        False,
        "3",
        towns=(
            TownPlace("东港街道", True, communities=("莲安社区", "东海社区"), community_committees=("莲安社区",)),
            TownPlace(
                "六横镇",
                False,
                villages=("平峧村", "悬山村", "峧头村"),
                islands=("悬山岛", "佛渡岛"),
                fishing=True,
            ),
        ),
        invented_towns=(
            TownPlace("沈港街道", True),
            TownPlace("朱湾街道", True),
            TownPlace("展岙街道", True),
            TownPlace("桃屿镇", False, islands=("桃礁岛",), fishing=True),
            TownPlace("虾礁镇", False, islands=("横山岛",), fishing=True),
            TownPlace("白沙乡", False, islands=("白沙岛",), fishing=True),
            TownPlace("东极镇", False, islands=("青浜岛", "庙子湖岛"), fishing=True),
            TownPlace("蚂蚁乡", False, islands=("蚂蚁岛",), fishing=True),
        ),
        weight=35,
    ),
    DistrictPlace(
        "岱山县",
        "岱山",
        "330921",
        True,
        "4",
        towns=(
            TownPlace("岱西镇", False, villages=("后岸村", "双峰村"), fishing=True),
            TownPlace("衢山镇", False, villages=("渔耕碗村", "岛斗村"), islands=("鼠浪湖岛",), fishing=True),
        ),
        invented_towns=(
            TownPlace("高港镇", False),
            TownPlace("东岙镇", False),
            TownPlace("岱东镇", False, fishing=True),
            TownPlace("长礁镇", False, islands=("长礁岛",), fishing=True),
            TownPlace("秀峰乡", False, islands=("秀峰岛",), fishing=True),
            TownPlace("南浦乡", False, fishing=True),
            TownPlace("高亭街道", True),
        ),
        weight=12,
    ),
    DistrictPlace(
        "嵊泗县",
        "嵊泗",
        "330922",
        True,
        "5",
        towns=(
            TownPlace("菜园镇", False, villages=("金平村",), communities=("基湖社区",)),
            TownPlace("枸杞乡", False, villages=("奇观村", "干斜村"), islands=("枸杞岛",), fishing=True),
            TownPlace("嵊山镇", False, villages=("箱子岙村", "泗洲塘村"), islands=("嵊山岛", "壁下岛"), fishing=True),
        ),
        invented_towns=(
            TownPlace("洋港镇", False, islands=("小洋屿",), fishing=True),
            TownPlace("五龙乡", False, fishing=True),
            TownPlace("黄礁乡", False, islands=("黄礁岛",), fishing=True),
            TownPlace("花屿乡", False, islands=("花屿岛",), fishing=True),
            TownPlace("绿华乡", False, islands=("绿华岛",), fishing=True),
        ),
        weight=8,
    ),
)

# Where the seafarers' stations stand (seed 003: 定海老塘山码头).
SEAFARER_WHARF = "老塘山码头"
SEAFARER_WHARF_DISTRICT = "定海区"

_VILLAGE_FIRST = "东西南北上下前后大小新长石沙金青黄白岙塘港峰岭礁海渔桃柳松竹兴和安平宁福泰丰顺"
_VILLAGE_SECOND = "岙塘港湾峰岭礁山浦桥河田家园兴和安平海洋沙林头门口岸峧蒲墩湖"
_COMMUNITY_FIRST = "海怡莲金银锦和瑞福康悦丽滨港东南新文安翠明星阳景"
_COMMUNITY_SECOND = "宇岛安湾苑城园庭晖华盛泰和海港晟澜航轩山江湖"


def invent_place_names(rng: random.Random, count: int, *, community: bool, taken: set[str]) -> list[str]:
    """`count` new village (XX村) or community (XX社区) names not in `taken`; adds them to it."""
    first, second, suffix = (
        (_COMMUNITY_FIRST, _COMMUNITY_SECOND, "社区") if community else (_VILLAGE_FIRST, _VILLAGE_SECOND, "村")
    )
    names: list[str] = []
    while len(names) < count:
        a, b = rng.choice(first), rng.choice(second)
        if a == b:
            continue
        name = f"{a}{b}{suffix}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names

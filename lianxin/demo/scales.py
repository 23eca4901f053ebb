"""How big the demo city is, and the sizes and kinds of unit it is made of."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from lianxin.demo import names
from lianxin.demo.places import CITY_NAME, DistrictPlace
from lianxin.organizations.models import Organization

Sector = Organization.Sector


@dataclass(frozen=True)
class Scale:
    name: str
    members: int  # target roster size, every category included
    invented_towns: bool
    units_per_town: tuple[int, int]  # villages + communities
    enterprises_per_town: tuple[int, int]
    social_per_town: tuple[int, int]
    departments: int
    full_structure: bool  # 机关党委 with branches, 区直机关工委, schools, health centres
    industry_branches: tuple[int, int]  # per city industry committee (两新)
    fleets: int  # city-level 航行的支部
    state_enterprises: int
    schools: int
    hospitals: int
    transfers: int
    member_events: bool  # "created" timeline rows per member (the roster is the record at city scale)


SCALES = {
    "small": Scale(
        name="small",
        members=2000,
        invented_towns=False,
        units_per_town=(3, 4),
        enterprises_per_town=(0, 1),
        social_per_town=(0, 0),
        departments=names.SMALL_DEPARTMENT_COUNT,
        full_structure=False,
        industry_branches=(1, 1),
        fleets=2,
        state_enterprises=1,
        schools=1,
        hospitals=1,
        transfers=12,
        member_events=True,
    ),
    "city": Scale(
        name="city",
        members=90000,
        invented_towns=True,
        units_per_town=(17, 27),
        enterprises_per_town=(31, 51),
        social_per_town=(3, 7),
        departments=len(names.CITY_DEPARTMENTS),
        full_structure=True,
        industry_branches=(22, 40),
        fleets=60,
        state_enterprises=len(names.STATE_ENTERPRISES),
        schools=len(names.CITY_SCHOOLS),
        hospitals=len(names.CITY_HOSPITALS),
        transfers=300,
        member_events=False,
    ),
}


# Planned members per branch as (fewest, most, most likely); scaled to the target afterwards.
SIZES: dict[str, tuple[float, float, float]] = {
    "village": (12, 70, 28),
    "village_big": (60, 140, 85),
    "community": (15, 70, 32),
    "community_sub": (20, 60, 32),
    "organ": (8, 45, 20),
    "organ_sub": (12, 45, 24),
    "retired": (20, 70, 35),
    "public": (8, 30, 14),
    "enterprise": (3, 28, 7),
    "enterprise_big": (30, 80, 45),
    "joint": (8, 30, 15),
    "social": (3, 15, 6),
    "school": (8, 45, 20),
    "hospital": (15, 60, 30),
    "clinic": (8, 30, 15),
    "state": (10, 50, 24),
    "temporary": (5, 20, 10),
    "mobile": (5, 30, 12),
}
SOCIAL_KINDS = ("物业服务有限公司", "社会工作服务中心", "志愿者协会", "快递服务站", "网约配送站")
TOWN_FLEETS = ("近海捕捞船队", "远洋渔业船队", "海上运输船队")


def _property(rng: random.Random, d: DistrictPlace) -> str:
    return f"{d.short}{rng.choice(names.COMPANY_BRANDS)}物业服务有限公司"


def _law(rng: random.Random, d: DistrictPlace) -> str:
    return f"浙江{rng.choice(names.COMPANY_BRANDS)}{rng.choice(('', '联合', '海事'))}律师事务所"


def _courier(rng: random.Random, d: DistrictPlace) -> str:
    return f"{d.short}{rng.choice(names.COMPANY_BRANDS)}快递服务站"


def _gig(rng: random.Random, d: DistrictPlace) -> str:
    return f"{d.short}{rng.choice(names.COMPANY_BRANDS)}{rng.choice(('网约配送站', '网约车服务中心'))}"


def _social(rng: random.Random, d: DistrictPlace) -> str:
    return f"{CITY_NAME}{d.short}{rng.choice(names.COMPANY_BRANDS)}{rng.choice(('社会工作服务中心', '志愿者协会'))}"


# City industry committees under 两新工委: (name inside 中共…委员会, short name, sector, unit name maker).
INDUSTRIES: tuple[tuple[str, str, str, Callable[[random.Random, DistrictPlace], str]], ...] = (
    ("物业行业", "市物业行业党委", Sector.SOCIAL_ORGANIZATION, _property),
    ("律师行业", "市律师行业党委", Sector.SOCIAL_ORGANIZATION, _law),
    ("快递物流行业", "市快递物流行业党委", Sector.PRIVATE_ENTERPRISE, _courier),
    ("新就业群体", "市新就业群体党委", Sector.SOCIAL_ORGANIZATION, _gig),
    ("社会组织综合", "市社会组织综合党委", Sector.SOCIAL_ORGANIZATION, _social),
)

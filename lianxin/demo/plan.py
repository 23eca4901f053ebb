"""The shape of the demo city: its areas and its Party organization tree, planned in memory.

中共舟山市委 ─┬─ 4 district/county committees ── town/street Party (working) committees
             │     └─ 机关 branches, village and community branches (党总支, 社区党委,
             │        党小组), enterprises, joint branches, schools, health centres, 航行的支部
             ├─ 市直机关工委 ── department branches (large departments: 机关党委 → branches)
             ├─ 市委两新工委 ── industry committees ── private hospitals, 物业, lawyers, 航行的支部 …
             ├─ 市国资委党委 ── state enterprises, project 临时党支部
             ├─ 市教育局党委 ── schools
             └─ 市卫健系统党委 ── hospitals
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from lianxin.demo import names
from lianxin.demo.people import BranchProfile
from lianxin.demo.places import CITY_CODE, CITY_NAME, DISTRICTS, DistrictPlace, TownPlace, invent_place_names
from lianxin.demo.scales import INDUSTRIES, SIZES, SOCIAL_KINDS, TOWN_FLEETS, Scale
from lianxin.demo.tree import Node, OrgNode
from lianxin.organizations.models import Area, Organization

Kind = Organization.Kind
Sector = Organization.Sector


@dataclass
class TownInfo:
    place: TownPlace
    district: DistrictPlace
    area: Area
    units: list[Area]  # villages and communities
    islands: list[Area]


class Planner:
    """Plans areas first (they are saved before organizations), then the organization tree."""

    def __init__(self, *, scale: Scale, rng: random.Random, today: date) -> None:
        self.scale = scale
        self.rng = rng
        self.today = today
        self.towns: list[TownInfo] = []
        self.district_areas: dict[str, Area] = {}
        self.named: dict[str, OrgNode] = {}  # organizations the demo accounts and stations need
        self._names: set[str] = set()

    # ------------------------------------------------------------------ areas

    def plan_areas(self) -> Node[Area]:
        rng, scale = self.rng, self.scale
        city = Node(Area(name=CITY_NAME, code=CITY_CODE, kind=Area.Kind.CITY))
        for district in DISTRICTS:
            d_area = Area(name=district.name, code=district.code, kind=Area.Kind.DISTRICT)
            self.district_areas[district.name] = d_area
            d_node = Node(d_area)
            city.children.append(d_node)
            taken: set[str] = set()
            towns = district.towns + (district.invented_towns if scale.invented_towns else ())
            for t_index, town in enumerate(towns, start=1):
                t_code = f"{district.code}{t_index:03d}"
                t_node = Node(Area(name=town.name, code=t_code, kind=Area.Kind.TOWN))
                d_node.children.append(t_node)
                villages, communities = list(town.villages), list(town.communities)
                taken.update(villages + communities)
                wanted = rng.randint(*scale.units_per_town) - len(villages) - len(communities)
                if wanted > 0:
                    # Streets are mostly communities; towns mostly villages, with one or two communities.
                    n_comm = round(wanted * (0.8 if town.is_street else 0.1))
                    communities += invent_place_names(rng, n_comm, community=True, taken=taken)
                    villages += invent_place_names(rng, wanted - n_comm, community=False, taken=taken)
                units: list[Area] = []
                for i, name in enumerate(communities, start=1):
                    units.append(Area(name=name, code=f"{t_code}{i:03d}", kind=Area.Kind.COMMUNITY))
                for i, name in enumerate(villages, start=201):
                    units.append(Area(name=name, code=f"{t_code}{i:03d}", kind=Area.Kind.VILLAGE))
                islands = [
                    Area(name=name, code=f"{t_code}{i:03d}", kind=Area.Kind.ISLAND)
                    for i, name in enumerate(town.islands, start=901)
                ]
                t_node.children.extend(Node(a) for a in units + islands)
                self.towns.append(TownInfo(town, district, t_node.obj, units, islands))
        self.city_area = city.obj
        return city

    # ------------------------------------------------------------------ helpers

    def _phone(self, district: DistrictPlace | None) -> str:
        digit = district.phone_digit if district else "2"
        return f"0580-{digit}{self.rng.randint(0, 999_999):06d}"

    def _founded(self, sector: str, kind: str) -> date:
        rng = self.rng
        if sector == Sector.MOBILE:
            # The city started its 航行的支部 in July 2023 (seed 003).
            start = date(2023, 7, 1)
            return start + timedelta(days=rng.randint(0, max(0, min(540, (self.today - start).days))))
        first_year, last_year = {
            Sector.VILLAGE: (1950, 1985),
            Sector.COMMUNITY: (1985, 2015),
            Sector.ORGAN: (1950, 2000),
            Sector.PUBLIC_INSTITUTION: (1970, 2010),
            Sector.SCHOOL: (1955, 2005),
            Sector.HOSPITAL: (1955, 2010),
            Sector.STATE_ENTERPRISE: (1990, 2018),
            Sector.PRIVATE_ENTERPRISE: (2000, 2023),
            Sector.SOCIAL_ORGANIZATION: (2008, 2023),
        }[Sector(sector)]
        if sector == Sector.ORGAN and kind in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE):
            first_year, last_year = 1950, 1985
        if kind == Kind.TEMPORARY_BRANCH:
            first_year, last_year = self.today.year - 3, self.today.year - 1
        return date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))

    def _term_ends(self, kind: str) -> date | None:
        if kind == Kind.GROUP:
            return None
        years = 5 if kind in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE) else 3
        # Spread over a whole term, starting a little overdue: some fall within the 90-day warning.
        return self.today + timedelta(days=self.rng.randint(-45, years * 365 - 45))

    def _unique(self, make: Callable[[], str]) -> str:
        for _attempt in range(60):
            name = make()
            if name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("ran out of invented names")

    def _org(
        self,
        parent: OrgNode | None,
        *,
        name: str,
        short_name: str,
        kind: str,
        sector: str,
        area: Area,
        district: DistrictPlace | None,
        profile: BranchProfile | None = None,
        size: tuple[float, float, float] | None = None,
    ) -> OrgNode:
        org = Organization(
            name=name,
            short_name=short_name,
            kind=kind,
            sector=sector,
            area=area,
            contact_phone=self._phone(district) if kind != Kind.GROUP else "",
            founded_on=self._founded(sector, kind),
            term_ends_on=self._term_ends(kind),
        )
        if parent is None:
            org.code = "ZS"
            node = OrgNode(obj=org)
        else:
            node = parent.add(org)
        if district is not None:
            node.district = district.name
        if profile is not None and size is not None:
            node.profile = profile
            low, high, mode = size
            node.size = self.rng.triangular(low, high, mode)
        return node

    def _branch(
        self,
        parent: OrgNode,
        name: str,
        short_name: str,
        profile: BranchProfile,
        size: tuple[float, float, float],
        *,
        area: Area,
        kind: str = Kind.BRANCH,
    ) -> OrgNode:
        return self._org(
            parent,
            name=name,
            short_name=short_name,
            kind=kind,
            sector=profile.sector,
            area=area,
            district=profile.district,
            profile=profile,
            size=size,
        )

    def _groups(self, node: OrgNode, count: int) -> None:
        for n in range(1, count + 1):
            label = f"第{names.ordinal(n)}党小组"
            self._org(
                node,
                name=f"{node.obj.name}{label}",
                short_name=label,
                kind=Kind.GROUP,
                sector=node.obj.sector,
                area=node.obj.area,
                district=None,
            )

    # ------------------------------------------------------------------ organizations

    def plan_orgs(self) -> OrgNode:
        root = self._org(
            None,
            name=f"中共{CITY_NAME}委员会",
            short_name=f"{CITY_NAME}委",
            kind=Kind.COMMITTEE,
            sector=Sector.ORGAN,
            area=self.city_area,
            district=None,
        )
        for district in DISTRICTS:
            self._plan_district(root, district)
        self._plan_city_organs(root)
        self._plan_two_new(root)
        self._plan_state_enterprises(root)
        self._plan_city_schools(root)
        self._plan_city_hospitals(root)
        return root

    def _container(
        self, parent: OrgNode, name: str, short_name: str, sector: str, *, area: Area | None = None, kind: str = ""
    ) -> OrgNode:
        return self._org(
            parent,
            name=name,
            short_name=short_name,
            kind=kind or Kind.COMMITTEE,
            sector=sector,
            area=area or parent.obj.area,
            district=None,
        )

    def _plan_district(self, root: OrgNode, district: DistrictPlace) -> None:
        full = self.scale.full_structure
        area = self.district_areas[district.name]
        prefix = district.name if district.is_county else f"{CITY_NAME}{district.name}"
        node = self._org(
            root,
            name=f"中共{prefix}委员会",
            short_name=f"{district.name}委",
            kind=Kind.COMMITTEE,
            sector=Sector.ORGAN,
            area=area,
            district=district,
        )
        self.named.setdefault(district.name, node)
        if full:
            organs = self._container(
                node, f"中共{prefix}直属机关工作委员会", f"{district.name}直机关工委", Sector.ORGAN
            )
            organs.obj.kind = Kind.WORKING_COMMITTEE
            for dept in names.DISTRICT_DEPARTMENTS:
                unit = district.short + (dept.replace("区", "县") if district.is_county else dept)
                profile = BranchProfile(Sector.ORGAN, district, unit)
                self._branch(organs, f"{unit}机关党支部", f"{unit}机关党支部", profile, SIZES["organ"], area=area)
            retired = BranchProfile(Sector.ORGAN, district, f"{district.name}委机关", retired=True)
            label = f"{district.name}机关离退休干部党支部"
            self._branch(organs, label, label, retired, SIZES["retired"], area=area)
            education = self._container(node, f"中共{prefix}教育局委员会", f"{district.name}教育局党委", Sector.SCHOOL)
            for n in range(1, district.weight // 3 + 4):
                school = f"{district.name}第{names.ordinal((n + 2) // 3)}{('小学', '初级中学', '幼儿园')[n % 3]}"
                profile = BranchProfile(Sector.SCHOOL, district, school)
                self._branch(education, f"{school}党支部", f"{school}党支部", profile, SIZES["school"], area=area)
        else:
            unit = f"{district.name}委机关"
            profile = BranchProfile(Sector.ORGAN, district, unit)
            self._branch(node, f"{unit}党支部", f"{unit}党支部", profile, SIZES["organ"], area=area)
        for town in self.towns:
            if town.district is district:
                self._plan_town(node, town, prefix)

    def _plan_town(self, parent: OrgNode, info: TownInfo, prefix: str) -> None:
        rng, scale, full = self.rng, self.scale, self.scale.full_structure
        town, district, area = info.place, info.district, info.area
        if town.is_street:
            name, short, kind = f"中共{prefix}{town.name}工作委员会", f"{town.name}党工委", Kind.WORKING_COMMITTEE
        else:
            name, short, kind = f"中共{prefix}{town.name}委员会", f"{town.name}党委", Kind.COMMITTEE
        node = self._org(
            parent, name=name, short_name=short, kind=kind, sector=Sector.ORGAN, area=area, district=district
        )
        self.named.setdefault(town.name, node)
        stem = town.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        government = f"{district.name}{town.name}{'办事处' if town.is_street else '人民政府'}"
        organ = BranchProfile(Sector.ORGAN, district, government, town=town.name)
        self._branch(node, f"{town.name}机关党支部", f"{town.name}机关党支部", organ, SIZES["organ"], area=area)
        if full:
            public = BranchProfile(Sector.PUBLIC_INSTITUTION, district, f"{town.name}综合服务中心", town=town.name)
            label = f"{town.name}事业单位党支部"
            self._branch(node, label, label, public, SIZES["public"], area=area)
            retired = BranchProfile(Sector.ORGAN, district, government, town=town.name, retired=True)
            label = f"{town.name}离退休干部党支部"
            self._branch(node, label, label, retired, SIZES["retired"], area=area)
        for unit in info.units:
            self._plan_unit(node, info, unit)
        for i in range(rng.randint(*scale.enterprises_per_town)):
            if i == 0 and (full or rng.random() < 0.5):
                firms = tuple(self._company(stem) for _n in range(rng.randint(3, 6)))
                profile = BranchProfile(Sector.PRIVATE_ENTERPRISE, district, firms[0], town=town.name, work_units=firms)
                label = f"{town.name}非公企业联合党支部"
                self._branch(node, label, label, profile, SIZES["joint"], area=area, kind=Kind.JOINT_BRANCH)
                continue
            company = self._company(stem)
            profile = BranchProfile(Sector.PRIVATE_ENTERPRISE, district, company, town=town.name)
            size = SIZES["enterprise_big"] if rng.random() < 0.08 else SIZES["enterprise"]
            self._branch(node, f"{company}党支部", "", profile, size, area=area)
        for _i in range(rng.randint(*scale.social_per_town)):
            unit_name = self._unique(lambda: f"{stem}{rng.choice(names.COMPANY_BRANDS)}{rng.choice(SOCIAL_KINDS)}")
            profile = BranchProfile(Sector.SOCIAL_ORGANIZATION, district, unit_name, town=town.name)
            self._branch(node, f"{unit_name}党支部", "", profile, SIZES["social"], area=area)
        if full:
            for school in (f"{stem}中心小学", f"{stem}初级中学")[: rng.randint(1, 2)]:
                profile = BranchProfile(Sector.SCHOOL, district, school, town=town.name)
                self._branch(node, f"{school}党支部", f"{school}党支部", profile, SIZES["school"], area=area)
            clinic = f"{town.name}{'社区卫生服务中心' if town.is_street else '卫生院'}"
            profile = BranchProfile(Sector.HOSPITAL, district, clinic, town=town.name)
            self._branch(node, f"{clinic}党支部", f"{clinic}党支部", profile, SIZES["clinic"], area=area)
            if town.fishing:
                for fleet in rng.sample(TOWN_FLEETS, rng.randint(1, 3)):
                    label = f"{stem}{fleet}航行的支部"
                    profile = BranchProfile(Sector.MOBILE, district, f"{stem}{fleet}", town=town.name)
                    self._branch(node, label, label, profile, SIZES["mobile"], area=area)

    def _company(self, stem: str) -> str:
        rng = self.rng
        return self._unique(lambda: f"{stem}{rng.choice(names.COMPANY_BRANDS)}{rng.choice(names.COMPANY_TRADES)}")

    def _plan_unit(self, parent: OrgNode, info: TownInfo, unit: Area) -> None:
        rng, full = self.rng, self.scale.full_structure
        town = info.place
        named = unit.name in town.villages or unit.name in town.communities
        if unit.kind == Area.Kind.COMMUNITY:
            profile = BranchProfile(
                Sector.COMMUNITY,
                info.district,
                f"{unit.name}居民委员会",
                town=town.name,
                home=unit,
                work_units=(f"{unit.name}居民委员会", "个体经营", "灵活就业", f"{town.name}综合服务中心"),
            )
            if unit.name in town.community_committees or (full and not named and rng.random() < 0.15):
                committee = self._container(
                    parent, f"中共{town.name}{unit.name}委员会", f"{unit.name}党委", Sector.COMMUNITY, area=unit
                )
                self.named.setdefault(unit.name, committee)
                for n in range(1, rng.randint(3, 5) + 1):
                    label = f"{unit.name}第{names.ordinal(n)}党支部"
                    self._branch(committee, f"{town.name}{label}", label, profile, SIZES["community_sub"], area=unit)
                return
            size = SIZES["community"]
        else:
            profile = BranchProfile(
                Sector.VILLAGE, info.district, unit.name, town=town.name, home=unit, fishing=town.fishing
            )
            if full and not named and rng.random() < 0.12:
                label = f"{unit.name}党总支"
                general = self._branch(
                    parent,
                    f"{town.name}{label}",
                    label,
                    profile,
                    SIZES["village_big"],
                    area=unit,
                    kind=Kind.GENERAL_BRANCH,
                )
                self._groups(general, rng.randint(3, 5))
                return
            size = SIZES["village"]
        label = f"{unit.name}党支部"
        branch = self._branch(parent, f"{town.name}{label}", label, profile, size, area=unit)
        self.named.setdefault(unit.name, branch)
        if branch.size >= 35 and rng.random() < 0.35:
            self._groups(branch, rng.randint(2, 4))

    def _plan_city_organs(self, root: OrgNode) -> None:
        rng, full = self.rng, self.scale.full_structure
        organs = self._container(root, f"中共{CITY_NAME}直属机关工作委员会", "市直机关工委", Sector.ORGAN)
        organs.obj.kind = Kind.WORKING_COMMITTEE
        for dept, large in names.CITY_DEPARTMENTS[: self.scale.departments]:
            sector = Sector.PUBLIC_INSTITUTION if dept.endswith(("中心", "馆")) else Sector.ORGAN
            unit = "舟山" + dept if dept.startswith("市") else dept
            profile = BranchProfile(sector, None, unit)
            if not (large and full):
                self._branch(
                    organs, f"{unit}机关党支部", f"{dept}机关党支部", profile, SIZES["organ"], area=self.city_area
                )
                continue
            committee = self._container(organs, f"中共{unit}机关委员会", f"{dept}机关党委", sector)
            for n in range(1, rng.randint(3, 6) + 1):
                label = f"机关第{names.ordinal(n)}党支部"
                self._branch(
                    committee, f"{unit}{label}", f"{dept}{label}", profile, SIZES["organ_sub"], area=self.city_area
                )
            retired = BranchProfile(sector, None, unit, retired=True)
            label = "离退休干部党支部"
            self._branch(committee, f"{unit}{label}", f"{dept}{label}", retired, SIZES["retired"], area=self.city_area)

    def _district_named(self, text: str) -> DistrictPlace | None:
        return next((d for d in DISTRICTS if d.short in text), None)

    def _random_district(self) -> DistrictPlace:
        return self.rng.choices(DISTRICTS, weights=[d.weight for d in DISTRICTS])[0]

    def _plan_two_new(self, root: OrgNode) -> None:
        rng, scale, full = self.rng, self.scale, self.scale.full_structure
        two_new = self._container(root, f"中共{CITY_NAME}委两新工作委员会", "市委两新工委", Sector.ORGAN)
        two_new.obj.kind = Kind.WORKING_COMMITTEE
        self.named["两新工委"] = two_new
        medical = self._container(two_new, f"中共{CITY_NAME}民营医疗行业委员会", "市民营医疗行业党委", Sector.HOSPITAL)
        for hospital in names.PRIVATE_HOSPITALS[: (None if full else 2)]:
            district = self._district_named(hospital) or self._random_district()
            profile = BranchProfile(Sector.HOSPITAL, district, hospital)
            area = self.district_areas[district.name]
            self._branch(medical, f"{hospital}党支部", f"{hospital}党支部", profile, SIZES["hospital"], area=area)
        shipping = self._container(two_new, f"中共{CITY_NAME}航运业委员会", "市航运业党委", Sector.MOBILE)
        for n in range(scale.fleets):
            if n == 0:
                label, unit = "江海联运船航行的支部", "舟山江海联运船务有限公司"
            else:
                fleet = self._unique(
                    lambda: f"{rng.choice(names.COMPANY_BRANDS)}{rng.choice(names.SHIPPING_FLEETS[1:])}"
                )
                label, unit = f"{fleet}航行的支部", f"舟山{fleet[:2]}船务有限公司"
            profile = BranchProfile(Sector.MOBILE, None, unit)
            node = self._branch(shipping, label, label, profile, SIZES["mobile"], area=self.city_area)
            self.named.setdefault("航行的支部", node)
        for committee_name, short, sector, make in INDUSTRIES[: (None if full else 1)]:
            committee = self._container(two_new, f"中共{CITY_NAME}{committee_name}委员会", short, sector)
            for _n in range(rng.randint(*scale.industry_branches)):
                district = self._random_district()
                unit = self._unique(partial(make, rng, district))
                profile = BranchProfile(sector, district, unit)
                self._branch(
                    committee, f"{unit}党支部", "", profile, SIZES["social"], area=self.district_areas[district.name]
                )

    def _plan_state_enterprises(self, root: OrgNode) -> None:
        full = self.scale.full_structure
        sasac = self._container(root, f"中共{CITY_NAME}国资委委员会", "市国资委党委", Sector.STATE_ENTERPRISE)
        for enterprise in names.STATE_ENTERPRISES[: self.scale.state_enterprises]:
            committee = self._container(sasac, f"中共{enterprise}委员会", f"{enterprise}党委", Sector.STATE_ENTERPRISE)
            for unit in names.STATE_ENTERPRISE_UNITS[: (None if full else 2)]:
                retired = unit.startswith("离退休")
                profile = BranchProfile(Sector.STATE_ENTERPRISE, None, enterprise, retired=retired)
                size = SIZES["retired" if retired else "state"]
                self._branch(
                    committee, f"{enterprise}{unit}党支部", f"{unit}党支部", profile, size, area=self.city_area
                )
        for project, district_name in names.TEMPORARY_PROJECTS[: (None if full else 1)]:
            district = next(d for d in DISTRICTS if d.name == district_name)
            profile = BranchProfile(Sector.STATE_ENTERPRISE, district, f"{project}指挥部")
            label = f"{project}临时党支部"
            self._branch(
                sasac,
                label,
                label,
                profile,
                SIZES["temporary"],
                area=self.district_areas[district.name],
                kind=Kind.TEMPORARY_BRANCH,
            )

    def _plan_city_schools(self, root: OrgNode) -> None:
        rng, full = self.rng, self.scale.full_structure
        education = self._container(root, f"中共{CITY_NAME}教育局委员会", "市教育局党委", Sector.SCHOOL)
        for school in names.CITY_SCHOOLS[: self.scale.schools]:
            profile = BranchProfile(Sector.SCHOOL, None, school)
            if full and rng.random() < 0.4:
                committee = self._container(education, f"中共{school}委员会", f"{school}党委", Sector.SCHOOL)
                for n in range(1, rng.randint(2, 4) + 1):
                    label = f"第{names.ordinal(n)}党支部"
                    self._branch(committee, f"{school}{label}", label, profile, SIZES["school"], area=self.city_area)
            else:
                label = f"{school}党支部"
                self._branch(education, label, label, profile, SIZES["school"], area=self.city_area)

    def _plan_city_hospitals(self, root: OrgNode) -> None:
        full = self.scale.full_structure
        health = self._container(root, f"中共{CITY_NAME}卫生健康系统委员会", "市卫健系统党委", Sector.HOSPITAL)
        for hospital in names.CITY_HOSPITALS[: self.scale.hospitals]:
            profile = BranchProfile(Sector.HOSPITAL, None, hospital)
            if not full:
                label = f"{hospital}党支部"
                self._branch(health, label, label, profile, SIZES["hospital"], area=self.city_area)
                continue
            committee = self._container(health, f"中共{hospital}委员会", f"{hospital}党委", Sector.HOSPITAL)
            for dept in names.HOSPITAL_DEPARTMENTS:
                retired = dept == "离退休"
                dept_profile = BranchProfile(Sector.HOSPITAL, None, hospital, retired=retired)
                size = SIZES["retired" if retired else "hospital"]
                self._branch(
                    committee, f"{hospital}{dept}党支部", f"{dept}党支部", dept_profile, size, area=self.city_area
                )

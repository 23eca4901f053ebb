"""Invented members whose dates exercise the roster rules.

Every date is relative to `today`, so the demo keeps showing 50-year members, overdue
probations and long lost contacts whatever day it is built. Dates are drawn so that
`lianxin.members.rules.roster.date_errors` finds nothing: applications at 18 or older, the
pipeline in order, full membership a year after joining.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from lianxin.core.parsing import id_checksum
from lianxin.demo.names import (
    ELSEWHERE,
    ETHNICITIES,
    GIVEN_ANY,
    GIVEN_FEMALE,
    GIVEN_MALE,
    POSTS,
    RETIRED_POST,
    ROADS,
    SURNAMES,
)
from lianxin.demo.places import DistrictPlace
from lianxin.members.models import Member, whole_years_between
from lianxin.members.rules.roster import add_months
from lianxin.members.services.roster import MemberData
from lianxin.organizations.models import Area, Organization

Category = Member.Category
Education = Member.Education
Occupation = Member.Occupation

# Share of each category in a branch's roster (the rest are full members).
CATEGORY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (Category.PROBATIONARY, 0.03),
    (Category.CANDIDATE, 0.015),
    (Category.ACTIVIST, 0.025),
    (Category.APPLICANT, 0.02),
    (Category.FORMER, 0.045),
)
OVERDUE_PROBATION_SHARE = 0.15
MEDAL_THIS_YEAR_SHARE = 0.12  # of elderly full members: party age reaches exactly 50 on 1 July

# (youngest, oldest, share of elderly members aged 70-95) by sector.
AGE_PROFILES: dict[str, tuple[int, int, float]] = {
    "village": (25, 69, 0.28),
    "community": (25, 69, 0.25),
    "organ": (24, 59, 0.0),
    "public_institution": (24, 59, 0.0),
    "school": (24, 59, 0.0),
    "hospital": (24, 59, 0.0),
    "state_enterprise": (23, 59, 0.0),
    "private_enterprise": (22, 55, 0.0),
    "social_organization": (22, 60, 0.04),
    "mobile": (22, 58, 0.0),
}
RETIRED_AGES = (60, 92)
FEMALE_SHARE = {"school": 0.6, "hospital": 0.6, "community": 0.45, "mobile": 0.04, "village": 0.25}

_EDUCATION: dict[str, tuple[tuple[str, int], ...]] = {
    "elderly": ((Education.PRIMARY, 45), (Education.JUNIOR, 35), (Education.SENIOR, 15), (Education.COLLEGE, 5)),
    "village": ((Education.JUNIOR, 35), (Education.SENIOR, 30), (Education.COLLEGE, 20), (Education.BACHELOR, 15)),
    "community": ((Education.JUNIOR, 15), (Education.SENIOR, 30), (Education.COLLEGE, 30), (Education.BACHELOR, 25)),
    "office": ((Education.COLLEGE, 8), (Education.BACHELOR, 60), (Education.MASTER, 30), (Education.DOCTOR, 2)),
    "hospital": ((Education.COLLEGE, 15), (Education.BACHELOR, 55), (Education.MASTER, 25), (Education.DOCTOR, 5)),
    "company": ((Education.SENIOR, 20), (Education.COLLEGE, 35), (Education.BACHELOR, 38), (Education.MASTER, 7)),
    "mobile": ((Education.JUNIOR, 5), (Education.SENIOR, 40), (Education.COLLEGE, 40), (Education.BACHELOR, 15)),
}
_EDUCATION_GROUP = {
    "organ": "office",
    "public_institution": "office",
    "school": "office",
    "hospital": "hospital",
    "state_enterprise": "company",
    "private_enterprise": "company",
    "social_organization": "company",
    "village": "village",
    "community": "community",
    "mobile": "mobile",
}
# 职业/身份 by the post drawn for a working member (names.POSTS); students and the retired go by age.
# Worked out from what was drawn, with no draw of its own, so the rest of the city stays as the seed makes it.
OCCUPATION_OF_POST: dict[str, str] = {
    **dict.fromkeys(POSTS["organ"], Occupation.OFFICIAL),
    **dict.fromkeys(("专技人员", "工程师", "助理工程师", "技术员", "会计", "社工", "律师"), Occupation.PROFESSIONAL),
    **dict.fromkeys(("教师", "班主任", "教研组长"), Occupation.PROFESSIONAL),
    **dict.fromkeys(("医师", "主治医师", "副主任医师", "护士", "护师", "药剂师"), Occupation.PROFESSIONAL),
    **dict.fromkeys(("船长", "大副", "二副", "轮机长"), Occupation.PROFESSIONAL),
    **dict.fromkeys(("管理岗", "中心主任", "副主任", "部门经理", "车间主任", "销售经理"), Occupation.MANAGER),
    **dict.fromkeys(("行政专员", "总经理", "项目主管", "教导主任", "副校长", "校长", "护士长"), Occupation.MANAGER),
    **dict.fromkeys(("调度员", "安全员", "码头操作员", "焊工", "质检员", "水手", "船员", "机工"), Occupation.WORKER),
    # Village cadres are counted with the villagers they come from.
    **dict.fromkeys(("村民", "渔民", "养殖户", "村委委员"), Occupation.FARMER),
    **dict.fromkeys(("个体工商户", "民宿经营户", "网格员", "社区工作者", "居民", "灵活就业"), Occupation.OTHER),
    **dict.fromkeys(("楼道长", "物业管理员", "快递员", "网约车司机", "外卖骑手"), Occupation.OTHER),
}
STUDENTS_UNDER = 23  # the youngest applicants and activists are at college
RETIRING_AGE = 60  # outside a village: villagers farm on until the post says 退休 (at 70)


def occupation_of(*, post: str, age: int, sector: str) -> str:
    """The occupation of a member of `age` whose post was drawn as `post` in a branch of `sector`."""
    if post == RETIRED_POST or (age >= RETIRING_AGE and sector != "village"):
        return Occupation.RETIRED
    if age < STUDENTS_UNDER and sector != "mobile":
        return Occupation.STUDENT
    return OCCUPATION_OF_POST[post]


# Reserved for the demo accounts, so no invented member shares them.
RESERVED_MOBILE_PREFIX = "138000000"


@dataclass
class BranchProfile:
    """Who the members of one branch are: where they live and work."""

    sector: str
    district: DistrictPlace | None  # None for city-level organizations
    work_unit: str
    town: str = ""
    home: Area | None = None  # the branch's own village or community
    retired: bool = False
    fishing: bool = False
    work_units: tuple[str, ...] = field(default=())  # for joint branches: several small firms


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class PeopleFactory:
    """Makes MemberData for a branch; ID and mobile numbers never repeat."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: date,
        residences: dict[str, list[Area]],
        town_of: dict[int, str],
        districts: tuple[DistrictPlace, ...],
    ) -> None:
        self.rng = rng
        self.today = today
        self.residences = residences  # district name -> village/community areas
        self.town_of = town_of  # area pk -> town name, for home addresses
        self.districts = districts
        self.roster_start = today - timedelta(days=1100)
        self._ids: set[str] = set()
        self._mobiles: set[str] = set()
        self._surnames = [s for s, _w in SURNAMES]
        self._surname_weights = [w for _s, w in SURNAMES]

    # ------------------------------------------------------------------ basics

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def _name(self, female: bool) -> str:
        rng = self.rng
        surname = rng.choices(self._surnames, weights=self._surname_weights)[0]
        pool = (GIVEN_FEMALE if female else GIVEN_MALE) + GIVEN_ANY
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        return surname + given

    def _id_number(self, region: str, birth: date, female: bool) -> str:
        while True:
            # The 17th digit is odd for men, even for women (GB 11643).
            serial = self.rng.randint(0, 499) * 2 + (0 if female else 1)
            first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
            number = first17 + id_checksum(first17)
            if number not in self._ids:
                self._ids.add(number)
                return number

    def mobile(self) -> str:
        while True:
            number = f"1{self.rng.choice('3456789')}{self.rng.randint(0, 999_999_999):09d}"
            if number not in self._mobiles and not number.startswith(RESERVED_MOBILE_PREFIX):
                self._mobiles.add(number)
                return number

    def _birth(self, age: int) -> date:
        return add_months(self.today, -12 * age) - timedelta(days=self.rng.randint(0, 360))

    def _birth_before(self, d: date, age: int) -> date:
        """A birth date making the person at least `age` on `d`."""
        return add_months(d, -12 * age) - timedelta(days=self.rng.randint(0, 300))

    # ------------------------------------------------------------------ dates

    def _pipeline_before(self, joined: date) -> tuple[date, date, date]:
        candidate = joined - timedelta(days=self.rng.randint(90, 330))
        activist = candidate - timedelta(days=self.rng.randint(365, 540))
        applied = activist - timedelta(days=self.rng.randint(60, 365))
        return applied, activist, candidate

    def _full_member_dates(self, data: MemberData, age: int, elderly: bool) -> None:
        """Birth, joining and full membership dates of someone who became a full member."""
        rng = self.rng
        if elderly and rng.random() < MEDAL_THIS_YEAR_SHARE:
            # Party age reaches exactly 50 on 1 July this year (光荣在党50年).
            window_end = date(self.today.year - 50, 7, 1)
            full_on = window_end - timedelta(days=rng.randint(0, 364))
            joined = full_on - timedelta(days=365 + rng.randint(0, 20))
            data.birth_date = self._birth_before(joined, rng.randint(20, 30))
            data.joined_on, data.full_on = joined, full_on
            return
        birth = self._birth(age)
        high = max(21, min(age - 2, 45))
        join_age = round(rng.triangular(20, high, min(26, high)))
        joined = add_months(birth, 12 * join_age) + timedelta(days=rng.randint(0, 330))
        latest = self.today - timedelta(days=400)
        if joined > latest:
            joined = latest - timedelta(days=rng.randint(0, 200))
        full_on = min(joined + timedelta(days=365 + rng.randint(0, 60)), self.today)
        data.birth_date, data.joined_on, data.full_on = birth, joined, full_on
        # Rosters from before the 1990s rarely kept the application dates.
        if joined.year >= 1990 and rng.random() < 0.85:
            applied, activist, candidate = self._pipeline_before(joined)
            if whole_years_between(birth, applied) >= 18:
                data.applied_on, data.activist_on, data.candidate_on = applied, activist, candidate

    def _pipeline_member_dates(self, data: MemberData) -> None:
        """Dates for the development pipeline and probationary members, then a fitting birth date."""
        rng, category = self.rng, data.category
        if category == Category.PROBATIONARY:
            if rng.random() < OVERDUE_PROBATION_SHARE:
                # Joined over 15 months ago and still not full: the overdue warning fires.
                joined = add_months(self.today, -16) - timedelta(days=rng.randint(0, 150))
            else:
                joined = self.days_ago(20, 360)
            data.joined_on = joined
            data.applied_on, data.activist_on, data.candidate_on = self._pipeline_before(joined)
        elif category == Category.CANDIDATE:
            data.candidate_on = self.days_ago(0, 330)
            data.activist_on = data.candidate_on - timedelta(days=rng.randint(365, 540))
            data.applied_on = data.activist_on - timedelta(days=rng.randint(60, 365))
        elif category == Category.ACTIVIST:
            data.activist_on = self.days_ago(0, 700)
            data.applied_on = data.activist_on - timedelta(days=rng.randint(60, 365))
        else:
            data.applied_on = self.days_ago(0, 360)
        assert data.applied_on is not None
        data.birth_date = self._birth_before(data.applied_on, round(rng.triangular(18, 45, 23)))

    # ------------------------------------------------------------------ people

    def _category(self) -> str:
        roll = self.rng.random()
        for category, share in CATEGORY_WEIGHTS:
            if roll < share:
                return category
            roll -= share
        return Category.FULL

    def _residence(self, profile: BranchProfile) -> tuple[Area, DistrictPlace]:
        rng = self.rng
        district = profile.district
        if district is None:
            district = rng.choices(self.districts, weights=[d.weight for d in self.districts])[0]
        if profile.home is not None and rng.random() < 0.93:
            return profile.home, district
        return rng.choice(self.residences[district.name]), district

    def member(self, organization: Organization, profile: BranchProfile, *, category: str = "") -> MemberData:
        rng = self.rng
        sector = profile.sector
        category = category or self._category()
        youngest, oldest, elderly_share = AGE_PROFILES[sector]
        if profile.retired:
            youngest, oldest, elderly_share = RETIRED_AGES[0], RETIRED_AGES[1], 0.5
        leave_reason = ""
        if category == Category.FORMER:
            leave_reason = Member.LeaveReason.DECEASED if rng.random() < 0.6 else Member.LeaveReason.TRANSFERRED_OUT
        elderly = leave_reason == Member.LeaveReason.DECEASED or (
            category == Category.FULL and rng.random() < elderly_share
        )
        age = rng.randint(70, 95) if elderly else rng.randint(youngest, oldest)
        female = rng.random() < FEMALE_SHARE.get(sector, 0.3)
        community, district = self._residence(profile)
        data = MemberData(name=self._name(female), id_number="", category=category, organization=organization)
        if category in (Category.FULL, Category.FORMER):
            self._full_member_dates(data, age, elderly)
        else:
            self._pipeline_member_dates(data)
        if leave_reason:
            assert data.full_on is not None
            data.leave_reason = leave_reason
            earliest = max(data.full_on, self.roster_start) + timedelta(days=30)
            data.left_on = earliest + timedelta(days=rng.randint(0, max(0, (self.today - earliest).days - 1)))
        assert data.birth_date is not None
        if rng.random() < 0.88:
            region, data.native_place = district.code, "浙江舟山"
        else:
            data.native_place, region, _w = rng.choices(ELSEWHERE, weights=[e[2] for e in ELSEWHERE])[0]
        data.id_number = self._id_number(region, data.birth_date, female)
        data.sex = Member.Sex.FEMALE if female else Member.Sex.MALE
        data.ethnicity = _weighted(rng, ETHNICITIES)
        years = whole_years_between(data.birth_date, self.today)
        old = years >= 70
        data.education = _weighted(rng, _EDUCATION["elderly" if old else _EDUCATION_GROUP[sector]])
        data.work_unit = rng.choice(profile.work_units) if profile.work_units else profile.work_unit
        data.post = RETIRED_POST if (old or profile.retired) else rng.choice(POSTS[sector])
        data.occupation = occupation_of(post=data.post, age=years, sector=sector)
        data.community = community
        town = self.town_of.get(community.pk, "")
        street = "" if community.kind == Area.Kind.VILLAGE else rng.choice(ROADS)
        data.home_address = f"{district.name}{town}{community.name}{street}{rng.randint(1, 160)}号"
        if leave_reason != Member.LeaveReason.DECEASED and rng.random() < (0.6 if old else 0.93):
            data.mobile = self.mobile()
        if category != Category.FORMER:
            self._flags(data, profile, old)
        return data

    def _flags(self, data: MemberData, profile: BranchProfile, old: bool) -> None:
        rng = self.rng
        if profile.sector == "mobile":
            data.is_at_sea = rng.random() < 0.8
        elif profile.fishing and not old and data.sex == Member.Sex.MALE:
            data.is_at_sea = rng.random() < 0.15
        if not old and not data.is_at_sea:
            data.is_mobile = rng.random() < (0.06 if profile.sector in ("village", "community") else 0.01)
            data.is_abroad = rng.random() < 0.004
        if category_is_member(data.category) and rng.random() < 0.003:
            data.is_lost_contact = True
            # Mostly beyond the 6-month rule, a few not yet.
            data.lost_contact_since = self.days_ago(60, 1100)


def category_is_member(category: str) -> bool:
    return category in Member.PARTY_MEMBER_CATEGORIES

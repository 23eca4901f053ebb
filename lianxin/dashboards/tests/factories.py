"""A small, hand-counted service record of 城区 (D1) for 2025, with decoys outside it.

Every row that a figure should count, and every row that it must not, is made here with
Model.objects.create, so each expected number in the tests can be checked by reading this file.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization
from lianxin.volunteering.categories import default_categories_seed
from lianxin.volunteering.models import (
    Order,
    ServiceCategory,
    ServiceItem,
    Session,
    SignUp,
    Team,
    Tour,
    TourStop,
)
from lianxin.wishes.models import Wish, WishClaim

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


def at(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> datetime:
    """A moment in the site's time zone."""
    return datetime(y, m, d, h, minute, tzinfo=SHANGHAI)


@dataclass
class Record:
    volunteer_one: User
    volunteer_two: User
    team: Team
    sessions: dict[str, Session] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)


def _team(org: Organization, name: str) -> tuple[Team, ServiceItem]:
    team = Team.objects.create(name=name, organization=org)
    default_categories_seed(ServiceCategory)
    category = ServiceCategory.objects.order_by("position", "id").first()
    assert category is not None
    item = ServiceItem.objects.create(team=team, category=category, title=f"{name}的服务")
    return team, item


def _session(team: Team, title: str, starts: datetime, status: str, **extra: Any) -> Session:
    return Session.objects.create(
        team=team,
        title=title,
        area=team.organization.area,
        place="社区广场",
        starts_at=starts,
        ends_at=starts.replace(hour=starts.hour + 1) if starts.hour < 23 else starts.replace(minute=59),
        slots=10,
        status=status,
        **extra,
    )


def _signup(session: Session, user: User, *, checked_in: bool, hours: str = "0", left: bool = False) -> SignUp:
    return SignUp.objects.create(
        session=session,
        user=user,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        checked_in_at=session.starts_at if checked_in else None,
        hours=Decimal(hours),
        left_at=session.starts_at if left else None,
    )


def _order(owner: Organization, item: ServiceItem, team: Team, status: str, placed: datetime, **extra: Any) -> Order:
    order = Order.objects.create(
        item=item,
        owner=owner,
        area=owner.area,
        place="社区活动室",
        starts_on=placed.date(),
        ends_on=placed.date(),
        expected_beneficiaries=20,
        team=team,
        status=status,
        **extra,
    )
    Order.objects.filter(pk=order.pk).update(created_at=placed)  # created_at is set on insert
    order.refresh_from_db()
    return order


def _wish(org: Organization, title: str, status: str, posted: datetime, **extra: Any) -> Wish:
    wish = Wish.objects.create(
        organization=org,
        title=title,
        category=Wish.Category.DAILY_NEEDS,
        beneficiary_name="王秀英",
        beneficiary_phone="13912345678",
        status=status,
        **extra,
    )
    Wish.objects.filter(pk=wish.pk).update(created_at=posted)
    return wish


def _report(member: Member, community: Organization, status: str, on: date, decided: bool = True) -> CommunityReport:
    assert member.organization is not None
    return CommunityReport.objects.create(
        member=member,
        community=community,
        home_organization=member.organization,
        status=status,
        reported_on=on,
        decided_at=at(on.year, on.month, on.day) if decided else None,
    )


def make_service_record(city: City) -> Record:
    """城区 (D1: 东社区 and 西社区) in 2025, and decoys: another district, other years, other states."""
    one = user_create(username="vol_one", password=None, display_name="赵志愿", mobile="13912345678")
    two = user_create(username="vol_two", password=None, display_name="钱志愿", mobile="13987654321")
    three = user_create(username="vol_three", password=None, display_name="孙志愿")
    team, item = _team(city.east, "东社区服务队")
    far_team, far_item = _team(city.other_branch, "渔村服务队")
    record = Record(one, two, team)

    _orders(record, city, item, far_team, far_item)
    _sessions(record, three, far_team)
    _tours(city)
    _community(city)
    _wishes(city, one, two, three)
    return record


def _orders(record: Record, city: City, item: ServiceItem, far_team: Team, far_item: ServiceItem) -> None:
    team = record.team
    # Orders of 东社区: placed in 2025 unless said otherwise.
    o = record.orders
    o["rated_5"] = _order(
        city.east,
        item,
        team,
        Order.Status.RATED,
        at(2025, 3, 20),
        served_at=at(2025, 4, 1),
        rating=5,
        beneficiaries=40,
    )
    o["rated_2"] = _order(
        city.east,
        item,
        team,
        Order.Status.RATED,
        at(2025, 6, 1),
        served_at=at(2025, 6, 3),
        rating=2,
        beneficiaries=10,
    )
    o["unrated"] = _order(
        city.east, item, team, Order.Status.UNRATED, at(2025, 7, 1), served_at=at(2025, 7, 2), beneficiaries=5
    )
    o["ordered"] = _order(city.east, item, team, Order.Status.ORDERED, at(2025, 8, 1))
    o["cancelled"] = _order(city.east, item, team, Order.Status.CANCELLED, at(2025, 9, 1))
    # Placed in 2024, served in 2025: its beneficiaries count in 2025, its state and rating do not.
    o["placed_2024"] = _order(
        city.east,
        item,
        team,
        Order.Status.RATED,
        at(2024, 12, 20),
        served_at=at(2025, 1, 5),
        rating=1,
        beneficiaries=7,
    )
    # Another district's order: counts nowhere in D1.
    o["far"] = _order(
        city.other_branch,
        far_item,
        far_team,
        Order.Status.RATED,
        at(2025, 5, 1),
        served_at=at(2025, 5, 2),
        rating=1,
        beneficiaries=1000,
    )


def _sessions(record: Record, three: User, far_team: Team) -> None:
    team, one, two = record.team, record.volunteer_one, record.volunteer_two
    o = record.orders
    s = record.sessions
    s["free"] = _session(team, "义诊", at(2025, 3, 1), Session.Status.HELD, beneficiaries=30)
    s["of_order"] = _session(
        team, "点单服务", at(2025, 4, 1), Session.Status.HELD, order=o["rated_5"], beneficiaries=99
    )
    s["cancelled"] = _session(team, "取消的活动", at(2025, 5, 1), Session.Status.CANCELLED)
    s["planned"] = _session(team, "计划中的活动", at(2025, 11, 1), Session.Status.PLANNED)
    # 07:00 on 1 January in Shanghai is still 31 December in UTC: inside 2025 here.
    s["new_year"] = _session(team, "元旦早晨巡逻", at(2025, 1, 1, 7), Session.Status.HELD, beneficiaries=20)
    # 07:00 on 1 January 2026 in Shanghai is 31 December 2025 in UTC: outside 2025 here.
    s["after"] = _session(team, "第二年的活动", at(2026, 1, 1, 7), Session.Status.HELD, beneficiaries=500)
    s["far"] = _session(far_team, "渔村活动", at(2025, 3, 1), Session.Status.HELD, beneficiaries=700)

    _signup(s["free"], one, checked_in=True, hours="2")
    _signup(s["free"], two, checked_in=True, hours="2")
    _signup(s["free"], three, checked_in=False)  # signed up, never came
    _signup(s["of_order"], one, checked_in=True, hours="1.5")
    _signup(s["of_order"], three, checked_in=False, left=True)  # withdrew
    _signup(s["new_year"], two, checked_in=False, hours="3")  # hours recorded by hand, no check-in
    _signup(s["cancelled"], two, checked_in=True, hours="1")
    _signup(s["after"], one, checked_in=True, hours="4")
    _signup(s["far"], three, checked_in=True, hours="5")


def _tours(city: City) -> None:
    tour = Tour.objects.create(
        title="城区巡回服务", organization=city.district, starts_on=date(2025, 5, 1), ends_on=date(2026, 1, 1)
    )
    TourStop.objects.create(tour=tour, area=city.east.area, date=date(2025, 5, 1), place="礼堂", beneficiaries=100)
    TourStop.objects.create(tour=tour, area=city.east.area, date=date(2026, 1, 1), place="礼堂", beneficiaries=60)
    far_tour = Tour.objects.create(
        title="岛县巡回服务", organization=city.other_district, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 2)
    )
    TourStop.objects.create(
        tour=far_tour, area=city.other_branch.area, date=date(2025, 5, 1), place="码头", beneficiaries=900
    )


def _community(city: City) -> None:
    east_member = make_member(city.east, name="李红")
    west_member = make_member(city.west, name="周青")
    far_member = make_member(city.other_branch, name="陈渔")
    far_member_two = make_member(city.other_branch, name="吴海")
    ServiceRecord.objects.create(
        member=east_member, community=city.east, served_on=date(2025, 2, 1), hours=Decimal("3"), description="打扫楼道"
    )
    ServiceRecord.objects.create(
        member=west_member,
        community=city.west,
        served_on=date(2025, 10, 10),
        hours=Decimal("1.5"),
        description="政策宣讲",
    )
    ServiceRecord.objects.create(
        member=east_member, community=city.east, served_on=date(2024, 12, 31), hours=Decimal("8"), description="去年"
    )
    ServiceRecord.objects.create(
        member=far_member,
        community=city.other_branch,
        served_on=date(2025, 2, 1),
        hours=Decimal("9"),
        description="渔村",
    )

    # Reports: 陈渔 (岛县) to 东社区; 周青 (西社区) to 渔村; 李红 from 东 to 西; 吴海 (岛县) to 东, ended since.
    _report(far_member, city.east, CommunityReport.Status.APPROVED, date(2025, 3, 1))
    _report(west_member, city.other_branch, CommunityReport.Status.APPROVED, date(2025, 3, 2))
    _report(east_member, city.west, CommunityReport.Status.APPROVED, date(2025, 3, 3))
    _report(far_member_two, city.east, CommunityReport.Status.ENDED, date(2025, 3, 4))
    pending_one = make_member(city.east, name="郑待")
    _report(pending_one, city.east, CommunityReport.Status.PENDING, date(2025, 3, 5), decided=False)
    withdrawn = make_member(city.east, name="冯撤")
    _report(withdrawn, city.west, CommunityReport.Status.ENDED, date(2025, 3, 6), decided=False)
    rejected = make_member(city.east, name="何拒")
    _report(rejected, city.west, CommunityReport.Status.REJECTED, date(2025, 3, 7))

    post = ServicePost.objects.create(
        community=city.east, title="楼道长", category=ServicePost.Category.GOVERNANCE, capacity=5
    )
    for member, claimed, withdrawn_at in (
        (east_member, at(2025, 4, 1), None),
        (west_member, at(2025, 4, 2), at(2025, 4, 3)),
        (far_member, at(2024, 4, 1), None),
    ):
        claim = PostClaim.objects.create(post=post, member=member, withdrawn_at=withdrawn_at)
        PostClaim.objects.filter(pk=claim.pk).update(claimed_at=claimed)


def _wishes(city: City, one: User, two: User, three: User) -> None:
    _wish(city.east, "公开的心愿", Wish.Status.PUBLISHED, at(2025, 2, 1))
    task = _wish(
        city.east,
        "三人的暖心任务",
        Wish.Status.CLAIMED,
        at(2025, 2, 2),
        kind=Wish.Kind.WARM_TASK,
        capacity=3,
        claimed_count=3,
    )
    for user in (one, two, three):
        WishClaim.objects.create(wish=task, claimer=user)
    _wish(city.west, "已实现的心愿", Wish.Status.FULFILLED, at(2025, 2, 3), claimed_count=1)
    _wish(city.west, "已确认的心愿", Wish.Status.CONFIRMED, at(2025, 2, 4), claimed_count=1)
    _wish(city.east, "待审核的心愿", Wish.Status.SUBMITTED, at(2025, 2, 5))
    _wish(city.east, "被退回的心愿", Wish.Status.REJECTED, at(2025, 2, 6))
    _wish(city.east, "去年的心愿", Wish.Status.PUBLISHED, at(2024, 2, 1))
    _wish(city.other_branch, "渔村的心愿", Wish.Status.FULFILLED, at(2025, 2, 1), claimed_count=1)


# The year the hand-counted record falls in, as a figures page's query.
YEAR_QUERY = "from=2025-01-01&to=2025-12-31"


def logged_in_english(client: Client, user: User) -> Client:
    """`client` logged in as `user`, reading the pages in English (their msgids)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client

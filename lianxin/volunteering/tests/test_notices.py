"""Who is told what as an order and a session move on: the right people, on their channels, and nobody else."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_set_mobile
from lianxin.notifications.models import Delivery, GroupRobot
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.tests.helpers import channels_of, told
from lianxin.residents.tests.factories import make_community, make_resident
from lianxin.volunteering import notices
from lianxin.volunteering.models import Order, ServiceItem, Session, Team
from lianxin.volunteering.services.orders import (
    order_accept,
    order_decline,
    order_dispatch,
    order_serve,
)
from lianxin.volunteering.services.sessions import session_cancel, session_update, signup_leave
from lianxin.volunteering.tests.factories import leader_of, make_item, make_leader, make_order, make_team, make_user
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, make_volunteer, signed_up

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def _reachable(user: User, *, email: str = "", mobile: str = "") -> User:
    """Give a person an e-mail address and a mobile number, so their channels have somewhere to go."""
    if email:
        user.email = email
        user.save(update_fields=["email"])
    if mobile:
        user_set_mobile(user=user, mobile=mobile)
    return user


@pytest.fixture
def dispatcher(city: City) -> User:
    return _reachable(make_user("dispatcher", role=Role.ORG_ADMIN, organization=city.district), email="d@example.cn")


@pytest.fixture
def team(city: City) -> Team:
    return make_team(city.district, leader=_reachable(make_leader("captain"), email="captain@example.cn"))


@pytest.fixture
def item(team: Team) -> ServiceItem:
    return make_item(team, title="义诊服务")


@pytest.fixture
def orderer(city: City) -> User:
    """A registered resident with a mobile number: told by text message about their own order."""
    return make_resident(make_community(city.city_area), mobile="13912345678").user


@pytest.fixture
def outsiders(city: City) -> list[User]:
    """Admins of a branch below and of another district, and another resident: none of them is concerned."""
    return [
        _reachable(make_user("east_admin", role=Role.ORG_ADMIN, organization=city.east), email="e@example.cn"),
        _reachable(make_user("island_admin", role=Role.ORG_ADMIN, organization=city.other_district), email="i@x.cn"),
        make_resident(make_community(city.city_area, name="渔港社区"), mobile="13900001111").user,
    ]


# ------------------------------------------------------------------ orders


def test_a_placed_order_reaches_the_owning_organizations_dispatchers_and_its_group(
    city: City,
    dispatcher: User,
    item: ServiceItem,
    orderer: User,
    outsiders: list[User],
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    robot = GroupRobot.objects.create(
        organization=city.district, platform=GroupRobot.Platform.DINGTALK, name="城区派单群", webhook_url="https://x/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(item, ordered_by=orderer)
    (notice,) = told(dispatcher)
    assert notice.kind == notices.ORDER_PLACED.code
    assert notice.url == reverse("volunteering:order_detail", args=[order.pk])
    assert str(order.pk) in notice.text and "义诊服务" in notice.text
    assert channels_of(notice) == {"email"}
    assert Delivery.objects.filter(robot=robot, kind=notices.ORDER_PLACED.code).count() == 1
    assert not any(told(user) for user in outsiders)
    assert not told(orderer) and not told(leader_of(item.team))


def test_nobody_above_is_told_when_the_owner_has_its_own_dispatcher(
    city: City, dispatcher: User, orderer: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    # given a team owned by the east branch, which has its own admin
    east_admin = make_user("east_secretary", role=Role.ORG_ADMIN, organization=city.east)
    east_item = make_item(make_team(city.east, leader=make_leader()))
    with django_capture_on_commit_callbacks(execute=True):
        make_order(east_item, ordered_by=orderer, area=city.district.area)
    # then the branch's admin is told, not the district's
    assert [n.kind for n in told(east_admin)] == [notices.ORDER_PLACED.code]
    assert not told(dispatcher)


def test_a_dispatched_order_reaches_the_teams_leader_each_time_it_is_dispatched(
    city: City,
    dispatcher: User,
    team: Team,
    item: ServiceItem,
    orderer: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    other_team = make_team(city.district, leader=make_leader("other_captain"))
    order = make_order(item, ordered_by=orderer)
    captain = leader_of(team)
    with django_capture_on_commit_callbacks(execute=True):
        order_dispatch(order=order, actor=dispatcher, team=team)
    (notice,) = told(captain)
    assert notice.kind == notices.ORDER_DISPATCHED.code
    assert notice.url == reverse("volunteering:order_detail", args=[order.pk])
    assert channels_of(notice) == {"email"}
    assert not told(leader_of(other_team)) and not told(orderer)
    # when the team declines, the dispatchers are told it waits again; dispatched again, the leader is told again
    with django_capture_on_commit_callbacks(execute=True):
        order_decline(order=order, actor=captain, reason="人手不足")
    (declined,) = told(dispatcher, notices.ORDER_DECLINED.code)
    assert declined.url == notice.url
    with django_capture_on_commit_callbacks(execute=True):
        order_dispatch(order=order, actor=dispatcher, team=team)
    assert len(told(captain, notices.ORDER_DISPATCHED.code)) == 2


def test_a_resident_orderer_is_told_by_text_when_the_order_is_accepted_and_served(
    team: Team,
    item: ServiceItem,
    orderer: User,
    outsiders: list[User],
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    order = make_order(item, ordered_by=orderer, until=Order.Status.DISPATCHED)
    captain = leader_of(team)
    with django_capture_on_commit_callbacks(execute=True):
        order_accept(order=order, actor=captain)
        order_serve(order=order, actor=captain, beneficiaries=20)
    accepted, served = told(orderer, notices.ORDER_ACCEPTED_RESIDENT.code) + told(
        orderer, notices.ORDER_SERVED_RESIDENT.code
    )
    page = reverse("volunteering:order_detail", args=[order.pk])
    assert accepted.url == page and served.url == page + "#rate"
    assert channels_of(accepted) == channels_of(served) == {"sms"}
    assert "13912345678" not in served.text and str(order.pk) in served.text
    assert not any(told(user) for user in outsiders)
    assert not told(captain)


def test_a_member_orderer_is_told_by_e_mail(
    city: City, item: ServiceItem, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    member = _reachable(make_volunteer(city.east, "orderer_member"), email="m@example.cn", mobile="13700002222")
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(item, ordered_by=member, until=Order.Status.SERVED)
    kinds = sorted(n.kind for n in told(member))
    assert kinds == [notices.ORDER_ACCEPTED.code, notices.ORDER_SERVED.code]
    assert all(channels_of(n) == {"email"} for n in told(member))
    assert told(member, notices.ORDER_SERVED.code)[0].url.endswith(f"/orders/{order.pk}/#rate")


def test_the_same_step_raised_twice_tells_each_person_once(
    dispatcher: User, item: ServiceItem, orderer: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    order = make_order(item, ordered_by=orderer)
    with django_capture_on_commit_callbacks(execute=True):
        notices.tell_order_placed(order, actor=orderer)
        notices.tell_order_placed(order, actor=orderer)
    with django_capture_on_commit_callbacks(execute=True):
        notices.tell_order_placed(order, actor=orderer)
    assert len(told(dispatcher)) == 1
    assert Delivery.objects.filter(notification__recipient=dispatcher).count() == 1


# ------------------------------------------------------------------ sessions


def _in(days: float) -> datetime:
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def _update(session: Session, actor: User, **changes: Any) -> Session:
    values: dict[str, Any] = {
        "title": session.title,
        "area": session.area,
        "place": session.place,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "slots": session.slots,
    }
    values.update(changes)
    return session_update(session=session, actor=actor, **values)


def test_everyone_signed_up_is_told_of_each_change_of_time_or_place(
    city: City, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    team = make_led_team(city.district)
    session = make_session(team, starts_at=_in(3))
    staying = _reachable(make_volunteer(city.east, "staying"), email="s@example.cn")
    leaving = make_volunteer(city.east, "leaving")
    stranger = make_volunteer(city.east, "stranger")
    for user in (staying, leaving):
        signed_up(session, user)
    signup_leave(session=session, actor=leaving)
    leader, later = leader_of(team), _in(4)
    with django_capture_on_commit_callbacks(execute=True):
        _update(session, leader, starts_at=later, ends_at=later + timedelta(hours=2))
        _update(session, leader, place="西社区广场")
        _update(session, leader, title="重阳义诊", slots=8)  # neither time nor place: nobody needs telling
    changes = told(staying, notices.SESSION_CHANGED.code)
    assert len(changes) == 2
    assert {n.url for n in changes} == {reverse("volunteering:session_detail", args=[session.pk])}
    assert all(channels_of(n) == {"email"} for n in changes)
    assert timezone.localtime(later).strftime("%Y-%m-%d %H:%M") in changes[-1].text
    assert not told(leaving) and not told(stranger) and not told(leader)


def test_a_cancellation_days_ahead_is_an_ordinary_message(
    city: City, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    team = make_led_team(city.district)
    session = make_session(team, starts_at=_in(3))
    volunteer = _reachable(make_volunteer(city.east), email="v@example.cn", mobile="13700003333")
    signed_up(session, volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, actor=leader_of(team), reason="场地维修")
    (notice,) = told(volunteer)
    assert notice.kind == notices.SESSION_CANCELLED.code and not notice.urgent
    assert channels_of(notice) == {"email"}


def test_a_cancellation_within_a_day_is_urgent_and_sent_by_text_too(
    city: City, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    team = make_led_team(city.district)
    session = make_session(team, starts_at=timezone.now() + timedelta(hours=5))
    volunteer = _reachable(make_volunteer(city.east), email="v@example.cn", mobile="13700004444")
    other_session = make_session(team, starts_at=timezone.now() + timedelta(hours=5), title="另一场")
    elsewhere = make_volunteer(city.east)
    signed_up(session, volunteer)
    signed_up(other_session, elsewhere)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, actor=leader_of(team), reason="台风预警")
    (notice,) = told(volunteer)
    assert notice.kind == notices.SESSION_CANCELLED_SOON.code and notice.urgent
    assert channels_of(notice) == {"email", "sms"}
    assert set(Delivery.objects.filter(notification=notice).values_list("status", flat=True)) == {"sent"}
    assert not told(elsewhere)

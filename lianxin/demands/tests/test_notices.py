"""Who hears of each step of a demand that waits on them, on which channels, and that nobody else does.

The unit's handlers hear of an assignment, a reassignment, a demand sent back, a deadline
coming up and a deadline passed; the parent organization's admins of an escalation; the
resident's own account of the resolution, with the page where they answer.
"""

from collections.abc import Iterator
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.core import sms
from lianxin.core.selectors import event_list_for
from lianxin.demands import notices
from lianxin.demands.models import Demand
from lianxin.demands.services.deadlines import demand_remind_due
from lianxin.demands.services.followup import demand_follow_up
from lianxin.demands.services.handling import demand_reassign, demand_resolve
from lianxin.demands.services.notifying import notify_resolved
from lianxin.demands.tasks import remind_demands_task
from lianxin.demands.tests.factories import make_demand
from lianxin.notifications.kinds import Kind
from lianxin.notifications.models import Delivery, GroupRobot, Notification
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.tests.helpers import channels_of, told
from lianxin.organizations.models import Organization

Role = RoleAssignment.Role
Status = Demand.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")
WEDNESDAY = datetime(2026, 6, 10, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def office_hours() -> Iterator[None]:
    """A working Wednesday morning: no quiet hours, and known working days around it."""
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def _person(username: str, role: str, organization: Organization | None = None, *, mobile: str = "") -> User:
    user = user_create(username=username, password="x-lianxin-9", mobile=mobile)
    user.email = f"{username}@example.cn"
    user.save(update_fields=["email"])
    given_role(user=user, role=role, organization=organization)
    return user


@pytest.fixture
def east_handler(city: City) -> User:
    return _person("east_handler", Role.HANDLER, city.east, mobile="13800000001")


@pytest.fixture
def west_handler(city: City) -> User:
    return _person("west_handler", Role.HANDLER, city.west, mobile="13800000002")


@pytest.fixture
def island_admin(city: City) -> User:
    """An admin of the other district: never concerned by 城区's demands."""
    return _person("island_admin", Role.ORG_ADMIN, city.other_district, mobile="13800000003")


def _told(kind: Kind, user: User) -> list[Notification]:
    return told(user, kind.code)


def _assigned(city: City, by: User, unit: Organization | None = None) -> Demand:
    return make_demand(city.east, by=by, until=Status.ASSIGNED, unit=unit or city.east)


def _due_on(demand: Demand, deadline: date) -> Demand:
    Demand.objects.filter(pk=demand.pk).update(deadline=deadline)
    demand.refresh_from_db()
    return demand


# ---------------------------------------------------------------- assigned and reassigned


def test_an_assigned_demand_reaches_the_units_own_handlers_by_email_and_no_one_else(
    city: City,
    district_admin: User,
    handler: User,
    east_handler: User,
    west_handler: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        demand = _assigned(city, district_admin)

    [told] = _told(notices.ASSIGNED, east_handler)
    assert told.url == reverse("demands:detail", args=[demand.pk])
    assert told.event_key == f"demand:{demand.pk}:assigned"
    assert told.params["number"] == str(demand.pk) and told.params["unit"] == city.east.name
    assert channels_of(told) == {"email"}  # staff get e-mail by default; no text for a new demand
    # The district's handler is served by the unit's own; another unit's handler has no part in it.
    assert not _told(notices.ASSIGNED, handler) and not _told(notices.ASSIGNED, west_handler)
    assert not Notification.objects.exclude(recipient=east_handler).exists()


def test_a_unit_without_handlers_of_its_own_is_served_by_the_nearest_above(
    city: City,
    district_admin: User,
    handler: User,
    east_handler: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        demand = _assigned(city, district_admin, unit=city.west)

    assert [n.event_key for n in _told(notices.ASSIGNED, handler)] == [f"demand:{demand.pk}:assigned"]
    assert not _told(notices.ASSIGNED, east_handler)


def test_a_unit_with_no_handler_above_it_is_handled_by_its_admins_not_the_citys(
    city: City, city_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    secretary = _person("fishing_secretary", Role.ORG_ADMIN, city.other_branch)

    with django_capture_on_commit_callbacks(execute=True):
        make_demand(city.other_branch, by=city_admin, until=Status.ASSIGNED, unit=city.other_branch)

    assert len(_told(notices.ASSIGNED, secretary)) == 1
    assert not _told(notices.ASSIGNED, city_admin)


def test_each_reassignment_reaches_the_new_units_handlers_again(
    city: City,
    district_admin: User,
    east_handler: User,
    west_handler: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        demand = _assigned(city, district_admin)
        demand_reassign(demand=demand, actor=district_admin, unit=city.west, reason="属西社区")
        demand_reassign(demand=demand, actor=district_admin, unit=city.east, reason="又属东社区")

    moves = list(event_list_for(demand).filter(verb="reassigned").order_by("id").values_list("pk", flat=True))
    assert [n.event_key for n in _told(notices.ASSIGNED, west_handler)] == [f"demand:{demand.pk}:reassigned:{moves[0]}"]
    assert [n.event_key for n in _told(notices.ASSIGNED, east_handler)] == [
        f"demand:{demand.pk}:assigned",
        f"demand:{demand.pk}:reassigned:{moves[1]}",
    ]


# ---------------------------------------------------------------- resolved and sent back


def test_the_resolution_reaches_the_residents_own_account_by_text_with_the_follow_up_link(
    city: City,
    district_admin: User,
    east_handler: User,
    resident: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    resident.mobile, resident.email = "13911112222", ""
    resident.save(update_fields=["mobile", "email"])
    another = _person("another_resident", Role.RESIDENT, mobile="13911113333")
    demand = _assigned(city, district_admin)
    Demand.objects.filter(pk=demand.pk).update(resident=resident)
    demand.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        demand_resolve(demand=demand, actor=east_handler, resolution="已更换路灯")

    [told] = _told(notices.RESOLVED, resident)
    assert told.url == reverse("demands:mine_detail", args=[demand.pk]) + "#follow-up"
    assert channels_of(told) == {"sms"}
    # The text names the demand by number and category: no name, phone, title or lookup code.
    assert str(demand.pk) in told.text and demand.category.name in told.text
    for private in ("张桂兰", "13912345678", demand.title, demand.lookup_code):
        assert private not in told.text
    assert not Notification.objects.filter(kind=notices.RESOLVED.code).exclude(recipient=resident).exists()
    assert not Notification.objects.filter(recipient=another).exists()


def test_a_demand_sent_without_an_account_is_texted_to_the_number_given_with_it(
    city: City, district_admin: User, east_handler: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    demand = _assigned(city, district_admin)
    landline = _assigned(city, district_admin)
    Demand.objects.filter(pk=landline.pk).update(submitter_phone="0580-2021234")
    landline.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        demand_resolve(demand=demand, actor=east_handler, resolution="已更换路灯")
        notify_resolved(demand=demand)  # raised again: the number is not texted twice
        demand_resolve(demand=landline, actor=east_handler, resolution="已修复")

    assert not Notification.objects.filter(kind=notices.RESOLVED.code).exists()  # no account to keep it in
    [text] = Delivery.objects.filter(kind=notices.RESOLVED.code)
    assert (text.channel, text.status, text.mobile, text.url) == (
        "sms",
        Delivery.Status.SENT,
        demand.submitter_phone,
        reverse("demands:lookup"),
    )
    [sent] = sms.outbox
    assert sent.mobile == demand.submitter_phone and sent.template == notices.RESOLVED.sms_template
    assert str(demand.pk) in sent.text and demand.title not in sent.text and demand.lookup_code not in sent.text


def test_each_round_sent_back_reaches_the_handlers_and_each_resolution_the_resident(
    city: City,
    district_admin: User,
    east_handler: User,
    west_handler: User,
    resident: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    demand = _assigned(city, district_admin)
    Demand.objects.filter(pk=demand.pk).update(resident=resident)
    demand.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        for _round in range(2):
            demand_resolve(demand=demand, actor=east_handler, resolution="已处理")
            demand_follow_up(demand=demand, actor=resident, result=Demand.Satisfaction.UNSATISFIED, comment="还没亮")

    sent_back = _told(notices.SENT_BACK, east_handler)
    assert [n.event_key for n in sent_back] == [f"demand:{demand.pk}:sent_back:1", f"demand:{demand.pk}:sent_back:2"]
    assert demand.deadline is not None and sent_back[-1].params["deadline"] == demand.deadline.isoformat()
    assert sent_back[0].url == reverse("demands:detail", args=[demand.pk])
    assert len(_told(notices.RESOLVED, resident)) == 2
    assert not _told(notices.SENT_BACK, west_handler) and not _told(notices.SENT_BACK, resident)


# ---------------------------------------------------------------- due soon


def test_a_demand_due_tomorrow_reminds_its_handlers_once_however_often_the_run_goes(
    city: City,
    district_admin: User,
    east_handler: User,
    west_handler: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    tomorrow = _due_on(_assigned(city, district_admin), date(2026, 6, 11))
    later = _due_on(_assigned(city, district_admin), date(2026, 6, 12))
    elsewhere = _due_on(_assigned(city, district_admin, unit=city.west), date(2026, 6, 11))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_demands", stdout=out)
        call_command("remind_demands", stdout=out)

    assert "2 demand(s) due soon reminded" in out.getvalue()
    assert "0 demand(s) due soon reminded" in out.getvalue()
    [told] = _told(notices.DUE_SOON, east_handler)
    assert told.event_key == f"demand:{tomorrow.pk}:due:2026-06-11"
    assert told.url == reverse("demands:detail", args=[tomorrow.pk]) and channels_of(told) == {"email"}
    assert [n.event_key for n in _told(notices.DUE_SOON, west_handler)] == [f"demand:{elsewhere.pk}:due:2026-06-11"]
    assert list(event_list_for(tomorrow).filter(verb="reminded").values_list("data", flat=True)) == [
        {"unit": city.east.name, "deadline": "2026-06-11"}
    ]
    assert not event_list_for(later).filter(verb="reminded").exists()


def test_on_a_friday_the_handlers_hear_of_mondays_deadline_and_again_for_a_new_deadline(
    city: City, district_admin: User, east_handler: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    demand = _due_on(_assigned(city, district_admin), date(2026, 6, 15))

    with django_capture_on_commit_callbacks(execute=True):
        assert demand_remind_due(today=date(2026, 6, 11)) == 0  # Thursday: Monday is two working days off
        assert demand_remind_due(today=date(2026, 6, 12)) == 1  # Friday
        assert demand_remind_due(today=date(2026, 6, 14)) == 0  # Sunday: already told for this deadline
        _due_on(demand, date(2026, 6, 16))
        assert demand_remind_due(today=date(2026, 6, 15)) == 1

    keys = [n.event_key for n in _told(notices.DUE_SOON, east_handler)]
    assert keys == [f"demand:{demand.pk}:due:2026-06-15", f"demand:{demand.pk}:due:2026-06-16"]


def test_a_resolved_demand_due_tomorrow_reminds_no_one(
    city: City, district_admin: User, east_handler: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    demand = _assigned(city, district_admin)
    demand_resolve(demand=demand, actor=east_handler, resolution="已处理")
    _due_on(demand, date(2026, 6, 11))

    with django_capture_on_commit_callbacks(execute=True):
        assert demand_remind_due() == 0

    assert not Notification.objects.filter(kind=notices.DUE_SOON.code).exists()


# ---------------------------------------------------------------- overdue and escalated


def test_an_overdue_demand_reminds_the_handlers_and_the_units_group_and_escalates_to_the_parents_admins_once(
    city: City,
    district_admin: User,
    branch_secretary: User,
    island_admin: User,
    east_handler: User,
    west_handler: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    robot = GroupRobot.objects.create(
        organization=city.east,
        platform=GroupRobot.Platform.DINGTALK,
        name="东社区工作群",
        webhook_url="https://x.test/",
    )
    district_admin.mobile, district_admin.email = "13800000009", "district@example.cn"
    district_admin.save(update_fields=["mobile", "email"])
    late = _due_on(_assigned(city, district_admin), date(2026, 6, 8))

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_demands_task.call() == {"due_soon": 0, "escalated": 1}
        assert remind_demands_task.call() == {"due_soon": 0, "escalated": 0}

    [overdue] = _told(notices.OVERDUE, east_handler)
    assert overdue.event_key == f"demand:{late.pk}:overdue:2026-06-08"
    assert overdue.params["days"] == "2" and overdue.params["parent"] == city.district.name
    assert channels_of(overdue) == {"email", "sms"}
    assert Delivery.objects.filter(robot=robot, kind=notices.OVERDUE.code).count() == 1
    [escalated] = _told(notices.ESCALATED, district_admin)
    assert escalated.url == reverse("demands:detail", args=[late.pk]) and not escalated.urgent
    assert escalated.params["unit"] == city.east.name and channels_of(escalated) == {"email", "sms"}
    # The unit's own secretary is not the parent; the other district and other units hear nothing.
    for outsider in (branch_secretary, island_admin, west_handler):
        assert not Notification.objects.filter(recipient=outsider).exists()
    assert not _told(notices.ESCALATED, east_handler)


def test_an_escalation_at_night_keeps_the_text_until_morning(
    city: City, district_admin: User, east_handler: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    _due_on(_assigned(city, district_admin), date(2026, 6, 8))
    night = time_machine.travel(datetime(2026, 6, 10, 23, 30, tzinfo=SHANGHAI), tick=False)

    with night, django_capture_on_commit_callbacks(execute=True):
        call_command("remind_demands", stdout=StringIO())

    [overdue] = _told(notices.OVERDUE, east_handler)
    text = overdue.deliveries.get(channel="sms")
    assert text.status == Delivery.Status.HELD
    assert text.next_attempt_at == datetime(2026, 6, 11, 7, 0, tzinfo=SHANGHAI)

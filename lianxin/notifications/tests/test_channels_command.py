"""`send_test_notification USERNAME` and the admin: a test message through every channel a person has."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django.fixtures import Settings

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign
from lianxin.notifications import trial
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import Delivery, GroupRobot, Notification
from lianxin.notifications.services import group_robot_test
from lianxin.notifications.tests.servers import FarEnd, Mailbox, far_end, smtp_server

__all__ = ["far_end", "smtp_server"]  # the fixtures, used by name
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]


def _secretary(city: City, far: FarEnd) -> User:
    user = User.objects.create_user(
        username="secretary", password="x-lianxin-9", email="sec@example.cn", mobile="13800003333"
    )
    role_assign(user=user, role=RoleAssignment.Role.ORG_ADMIN, organization=city.east)
    GroupRobot.objects.create(
        organization=city.east,
        platform=GroupRobot.Platform.WECOM,
        name="东社区群",
        webhook_url=f"{far.url}/cgi-bin/webhook/send?key=wecom-key",
    )
    GroupRobot.objects.create(  # another organization's robot: not this person's
        organization=city.west, platform=GroupRobot.Platform.WECOM, name="西社区群", webhook_url=f"{far.url}/x"
    )
    return user


def test_every_channel_answers_and_the_command_says_so(city: City, smtp_server: Mailbox, far_end: FarEnd) -> None:
    _secretary(city, far_end)
    out = StringIO()
    call_command("send_test_notification", "secretary", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "ok     in the app: kept in the app"
    assert lines[1].startswith("ok     e-mail to sec@example.cn: accepted by the mail server 127.0.0.1:")
    assert lines[2].startswith('ok     SMS to 138****3333: {"ok": true')
    assert lines[3] == 'ok     WeCom group robot “东社区群”: {"errcode": 0, "errmsg": "ok"}'
    assert lines[4] == "All 4 channels delivered."
    assert len(smtp_server.messages) == 1 and [r.path for r in far_end.received] == ["/sms", "/cgi-bin/webhook/send"]
    assert Notification.objects.get().kind == TEST.code


def test_a_channel_that_fails_makes_the_command_exit_1_and_is_not_retried(
    city: City, settings: Settings, smtp_server: Mailbox, far_end: FarEnd
) -> None:
    _secretary(city, far_end)
    settings.SMS_GATEWAY_SECRET = "wrong"
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 4 channels failed"):
        call_command("send_test_notification", "secretary", stdout=out)
    assert "FAILED SMS to 138****3333: SMS gateway answered HTTP 401" in out.getvalue()
    assert Delivery.objects.get(channel="sms").status == Delivery.Status.FAILED


def test_a_person_with_no_address_gets_the_test_in_the_app_only(city: City) -> None:
    User.objects.create_user(username="plain", password="x-lianxin-9")
    out = StringIO()
    call_command("send_test_notification", "plain", stdout=out)
    assert out.getvalue().splitlines() == ["ok     in the app: kept in the app", "All 1 channels delivered."]


def test_an_unknown_username_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("send_test_notification", "nobody")


def _admin_client() -> Client:
    User.objects.create_superuser(username="root", password="x-lianxin-9", email="")
    client = Client()
    client.force_login(User.objects.get(username="root"))
    return client


def test_the_admin_shows_a_robot_without_its_token_and_sends_it_a_test(city: City, far_end: FarEnd) -> None:
    robot = GroupRobot.objects.create(
        organization=city.east,
        platform=GroupRobot.Platform.WECOM,
        name="东社区群",
        webhook_url=f"{far_end.url}/cgi-bin/webhook/send?key=wecom-key",
    )
    client = _admin_client()
    for url in ("/admin/notifications/grouprobot/", f"/admin/notifications/grouprobot/{robot.pk}/change/"):
        page = client.get(url)
        assert page.status_code == 200 and "wecom-key" not in page.content.decode()
    answer = client.post(
        "/admin/notifications/grouprobot/",
        {"action": "send_test_message", "_selected_action": [robot.pk]},
        follow=True,
    )
    assert "东社区群: {&quot;errcode&quot;: 0" in answer.content.decode()
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_the_admin_lists_failed_deliveries_with_their_tries_and_retries_them(
    city: City, settings: Settings, far_end: FarEnd
) -> None:
    user = _secretary(city, far_end)
    settings.SMS_GATEWAY_SECRET = "wrong"
    with pytest.raises(CommandError):
        call_command("send_test_notification", user.username, stdout=StringIO())
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    client = _admin_client()
    listing = client.get("/admin/notifications/delivery/?status__exact=failed").content.decode()
    assert "HTTP 401" in listing and listing.count('name="_selected_action"') == 1
    assert "HTTP 401" in client.get(f"/admin/notifications/delivery/{failed.pk}/change/").content.decode()
    settings.SMS_GATEWAY_SECRET = "gateway-shared-secret"
    client.post("/admin/notifications/delivery/", {"action": "retry_now", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Delivery.Status.SENT, 1)


def test_the_notifications_admin_sends_the_test_to_the_recipients(city: City) -> None:
    plain = User.objects.create_user(username="plain", password="x-lianxin-9")
    client = _admin_client()
    [first] = trial.test_message_send(user=plain)
    assert first.ok
    notification = Notification.objects.get(recipient=plain)
    answer = client.post(
        "/admin/notifications/notification/",
        {"action": "send_test_message", "_selected_action": [notification.pk]},
        follow=True,
    )
    assert answer.status_code == 200 and "kept in the app" in answer.content.decode()
    assert Notification.objects.filter(recipient=plain, kind=TEST.code).count() == 2


def test_the_robots_page_tries_a_robot_through_the_real_channel(city: City, far_end: FarEnd) -> None:
    secretary = User.objects.create_user(username="sec", password="x-lianxin-9")
    role_assign(user=secretary, role=RoleAssignment.Role.ORG_ADMIN, organization=city.east)
    robot = GroupRobot.objects.create(
        organization=city.east,
        platform=GroupRobot.Platform.WECOM,
        name="东社区群",
        webhook_url=f"{far_end.url}/cgi-bin/webhook/send?key=wecom-key",
    )
    assert group_robot_test(actor=secretary, robot=robot) == (True, '{"errcode": 0, "errmsg": "ok"}')
    GroupRobot.objects.filter(pk=robot.pk).update(webhook_url=f"{far_end.url}/cgi-bin/webhook/send?key=old")
    robot.refresh_from_db()
    assert group_robot_test(actor=secretary, robot=robot) == (
        False,
        "WeCom answered errcode 93000: invalid webhook url",
    )
    assert list(Delivery.objects.values_list("status", flat=True).order_by("pk")) == ["sent", "failed"]

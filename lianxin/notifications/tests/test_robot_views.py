"""Group robots: an organization administrator adds, changes, tests and deactivates the robots of the
organizations they manage; the address is masked, the secret never shown, others' robots not found."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry
from lianxin.notifications import services
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import GroupRobot
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db
TOKEN = "access_token=9f8e7d6c5b4a39281706f5e4d3c2b1a0"
DINGTALK = f"https://oapi.dingtalk.com/robot/send?{TOKEN}"
SECRET = "SEC0123456789abcdef0123456789abcdef"


def _as(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _robot(organization: Organization, name: str = "东社区党员群") -> GroupRobot:
    return GroupRobot.objects.create(
        organization=organization, platform=GroupRobot.Platform.DINGTALK, name=name, webhook_url=DINGTALK
    )


def _new(organization: Organization, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organization": organization.code,
        "platform": "dingtalk",
        "name": "东社区支委群",
        "webhook_url": DINGTALK,
        "secret": SECRET,
        "kinds": [TEST.code],
    }
    data.update(changes)
    return data


def test_an_admin_adds_a_robot_whose_address_and_secret_are_never_shown_again(
    city: City, branch_secretary: User
) -> None:
    client = _as(branch_secretary)

    response = client.post(reverse("notifications:robot_new"), _new(city.east), follow=True)

    html = response.content.decode()
    assert "The group robot was added." in html
    robot = GroupRobot.objects.get()
    assert (robot.organization, robot.webhook_url, robot.secret, robot.kinds) == (
        city.east,
        DINGTALK,
        SECRET,
        [TEST.code],
    )
    assert "https://oapi.dingtalk.com/…b1a0" in html
    assert TOKEN not in html and SECRET not in html
    edit = client.get(reverse("notifications:robot_edit", args=[robot.pk])).content.decode()
    assert TOKEN not in edit and SECRET not in edit and "kept (never shown again)" in edit
    entry = AuditEntry.objects.get(action="robot_added")
    assert entry.actor == branch_secretary and entry.target == f"notifications.grouprobot:{robot.pk}"
    assert TOKEN not in str(entry.detail) and entry.detail["host"] == "oapi.dingtalk.com"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"webhook_url": "https://example.com/robot/send?x=1"},
            "The address of a DingTalk custom robot is on oapi.dingtalk.com.",
        ),
        ({"webhook_url": "http://oapi.dingtalk.com/robot/send?x=1"}, "A webhook address starts with https://."),
        ({"webhook_url": "https://user:pw@oapi.dingtalk.com/robot/send"}, "This is not a webhook address."),
        (
            {"platform": "wecom", "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
            "Only DingTalk robots have a signing secret.",
        ),
        ({"kinds": ["demands.nothing"]}, "Not a kind of notification you can choose: demands.nothing."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_a_wrong_robot_is_refused_and_nothing_is_written(
    city: City, branch_secretary: User, changes: dict[str, object], message: str
) -> None:
    response = _as(branch_secretary).post(reverse("notifications:robot_new"), _new(city.east, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not GroupRobot.objects.exists() and not AuditEntry.objects.exists()


def test_a_robots_host_is_refused_in_chinese_too(city: City, branch_secretary: User) -> None:
    data = _new(city.east, platform="wecom", secret="", webhook_url="https://example.com/x")
    html = _as(branch_secretary, "zh-hans").post(reverse("notifications:robot_new"), data).content.decode()
    assert "企业微信群机器人的地址在 qyapi.weixin.qq.com 上。" in html
    assert not GroupRobot.objects.exists()


@override_settings(LIANXIN_ROBOT_HOSTS_ANY=True, DEBUG=True)
def test_local_receivers_are_allowed_when_the_settings_say_so(city: City, branch_secretary: User) -> None:
    data = _new(city.east, webhook_url="http://127.0.0.1:8765/robot/send?access_token=x")
    _as(branch_secretary).post(reverse("notifications:robot_new"), data)
    assert GroupRobot.objects.get().webhook_url.startswith("http://127.0.0.1:8765/")


@override_settings(LIANXIN_ROBOT_HOSTS=["openplatform.dg-work.cn"])
def test_a_deployments_own_robot_gateway_is_allowed_when_named(city: City, branch_secretary: User) -> None:
    """浙政钉 and other government deployments post through a gateway of their own."""
    data = _new(city.east, webhook_url="https://openplatform.dg-work.cn/robot/send?access_token=x")
    _as(branch_secretary).post(reverse("notifications:robot_new"), data)
    assert GroupRobot.objects.get().webhook_url.startswith("https://openplatform.dg-work.cn/")
    elsewhere = _new(city.east, name="别处", webhook_url="https://robot.example.com/send?access_token=y")
    _as(branch_secretary).post(reverse("notifications:robot_new"), elsewhere)
    assert GroupRobot.objects.count() == 1


def test_an_organization_out_of_scope_cannot_be_chosen(city: City, branch_secretary: User) -> None:
    response = _as(branch_secretary).post(reverse("notifications:robot_new"), _new(city.other_branch))
    assert "is not one you can choose here" in response.content.decode()
    assert not GroupRobot.objects.exists()


def test_another_organizations_robot_is_not_found(city: City, branch_secretary: User) -> None:
    mine, theirs = _robot(city.east), _robot(city.other_branch, name="渔村群")
    client = _as(branch_secretary)

    listing = client.get(reverse("notifications:robot_list")).content.decode()

    assert mine.name in listing and theirs.name not in listing
    assert client.get(reverse("notifications:robot_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:robot_deactivate", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:robot_test", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.active


def test_people_who_manage_no_organization_have_no_robots_page(member_user: User, handler: User) -> None:
    for user in (member_user, handler):
        assert _as(user).get(reverse("notifications:robot_list")).status_code == 404
        assert _as(user).get(reverse("notifications:robot_new")).status_code == 404


def test_editing_keeps_the_address_and_secret_when_left_empty(city: City, branch_secretary: User) -> None:
    robot = _robot(city.east)
    GroupRobot.objects.filter(pk=robot.pk).update(secret=SECRET)
    data = {"name": "改名后的群", "webhook_url": "", "secret": "", "kinds": [], "active": "on"}

    _as(branch_secretary).post(reverse("notifications:robot_edit", args=[robot.pk]), data)

    robot.refresh_from_db()
    assert (robot.name, robot.webhook_url, robot.secret, robot.kinds) == ("改名后的群", DINGTALK, SECRET, [])
    assert AuditEntry.objects.get(action="robot_changed").detail["changed"] == ["name"]


def test_an_admin_deactivates_a_robot(city: City, district_admin: User) -> None:
    robot = _robot(city.east)  # the district's admin manages the branches below
    response = _as(district_admin).post(reverse("notifications:robot_deactivate", args=[robot.pk]), follow=True)
    assert "posts nothing more" in response.content.decode()
    robot.refresh_from_db()
    assert not robot.active
    assert AuditEntry.objects.filter(action="robot_deactivated").count() == 1


def test_send_a_test_shows_what_the_platform_answered(
    city: City, branch_secretary: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    robot = _robot(city.east)
    url = reverse("notifications:robot_test", args=[robot.pk])
    monkeypatch.setattr(services, "robot_test", lambda r: (True, f"errcode 0 ({r.name})"))
    html = _as(branch_secretary).post(url, follow=True).content.decode()
    assert "Test message delivered: errcode 0 (东社区党员群)" in html

    monkeypatch.setattr(services, "robot_test", lambda r: (False, "errcode 310000 sign not match"))
    html = _as(branch_secretary).post(url, follow=True).content.decode()
    assert "Test message not delivered: errcode 310000 sign not match" in html

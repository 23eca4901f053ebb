"""The bell in a real browser: a notification raised for the secretary shows as the bell's count on every
page; the list opens from the bell, the item leads to its page, and the count falls. Also the settings
page and the group robots page on a desktop and on a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import GroupRobot, Notification
from lianxin.notifications.services import notify
from lianxin.notifications.tests.helpers import given_notification
from lianxin.volunteering.models import Order
from lianxin.volunteering.tests.factories import make_item, make_leader, make_order, make_team
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)


def _count(page: Page) -> str:
    return page.locator("a.bell").get_attribute("data-unread") or ""


def test_the_secretary_sees_the_bell_opens_the_notification_and_the_count_falls(
    page: Page, live_server: object, city: City, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    tree = reverse("organizations:tree")
    # Raised as a service raises it: after commit, through the task.
    notify(kind=TEST, recipients=[branch_secretary], event="e2e:1", url=tree)
    notify(kind=TEST, recipients=[branch_secretary], event="e2e:2", url=reverse("home"))
    assert Notification.objects.filter(recipient=branch_secretary).count() == 2

    login(page, base, "branch_secretary", PASSWORD)
    assert _count(page) == "2"
    expect(page.locator("a.bell .bell-badge")).to_have_text("2")
    expect(page.locator("a.bell")).to_have_attribute("aria-label", "2 条未读通知")
    shot(page, "notifications-bell")
    phone_shot(page, "notifications-bell-phone")

    page.click("a.bell")
    expect(page.locator("ul.inbox li.unread")).to_have_count(2)
    shot(page, "notifications-list")
    phone_shot(page, "notifications-list-phone")

    # The older one leads to the organization tree; opening it marks it read.
    with page.expect_navigation():
        page.locator("ul.inbox li").nth(1).locator("a.inbox-text").click()
    assert page.url.endswith(tree)
    assert _count(page) == "1"

    # The other is marked read in place; the bell follows without a reload.
    page.click("a.bell")
    page.locator("ul.inbox li.unread button[type=submit]").click()
    expect(page.locator("ul.inbox li.unread")).to_have_count(0)
    expect(page.locator("a.bell")).to_have_attribute("data-unread", "0")
    expect(page.locator("a.bell .bell-badge")).to_have_count(0)
    shot(page, "notifications-list-read")


def test_the_settings_and_robots_pages_on_a_desktop_and_a_phone(
    page: Page, live_server: object, city: City, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    branch_secretary.email = "secretary@example.cn"
    branch_secretary.save()
    GroupRobot.objects.create(
        organization=city.east,
        platform=GroupRobot.Platform.DINGTALK,
        name="东社区支委群",
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef",
        secret="SEC0123",
    )
    for _ in range(120):
        given_notification(branch_secretary, text="订单待派单：城区红马甲服务队·社区义诊")

    login(page, base, "branch_secretary", PASSWORD)
    expect(page.locator("a.bell .bell-badge")).to_have_text("99+")
    page.goto(f"{base}{reverse('notifications:settings')}")
    expect(page.locator(f"input[name=email][value='{TEST.code}']")).to_be_checked()
    expect(page.locator(f"input[name=sms][value='{TEST.code}']")).to_be_disabled()
    shot(page, "notifications-settings")
    phone_shot(page, "notifications-settings-phone")
    page.fill("#id_quiet_start", "23:00")
    with page.expect_navigation():
        page.click("form.prefs-form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()

    page.goto(f"{base}{reverse('notifications:robot_list')}")
    expect(page.locator("main table")).to_contain_text("https://oapi.dingtalk.com/…cdef")
    shot(page, "notifications-robots")
    phone_shot(page, "notifications-robots-phone")
    page.goto(f"{base}{reverse('notifications:robot_new')}")
    shot(page, "notifications-robot-new")
    phone_shot(page, "notifications-robot-new-phone")


def test_a_leader_sees_the_bell_rise_when_an_order_is_dispatched_and_lands_on_the_order(
    page: Page, live_server: object, city: City, resident: User, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    leader = make_leader("captain")
    team = make_team(city.district, leader=leader, name="城区红马甲服务队")
    order = make_order(make_item(team, title="社区义诊"), ordered_by=resident)

    # The leader's page is open before anything waits on them.
    leader_page = page.context.browser.new_context(locale="zh-CN").new_page()  # type: ignore[union-attr]
    login(leader_page, base, "captain", PASSWORD)
    assert _count(leader_page) == "0"

    # The district's administrator dispatches the order to the leader's team.
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/volunteering/orders/{order.pk}/")
    with page.expect_navigation():
        page.locator("form[action$='/dispatch/'] input[name=team]").first.locator("xpath=..").locator("button").click()
    order.refresh_from_db()
    assert order.status == Order.Status.DISPATCHED

    # The leader's bell counts it on the next page they open, and the notification leads to the order.
    leader_page.reload()
    assert _count(leader_page) == "1"
    shot(leader_page, "notifications-leader-bell")
    leader_page.click("a.bell")
    expect(leader_page.locator("ul.inbox li.unread")).to_contain_text(str(order.pk))
    phone_shot(leader_page, "notifications-leader-list-phone")
    with leader_page.expect_navigation():
        leader_page.locator("ul.inbox li.unread a.inbox-text").first.click()
    assert leader_page.url.endswith(f"/volunteering/orders/{order.pk}/")
    expect(leader_page.locator("form[action$='/accept/']")).to_be_visible()
    assert _count(leader_page) == "0"
    leader_page.context.close()

"""点单 → 派单 → 接单 → a session for the order with sign-up and check-in → 服务 → 评单, in a real browser.

The order's own steps are walked in test_orders.py and a session's in test_sessions.py; this
test follows one order through both, so the pieces are shown to fit: the session is scheduled
from the accepted order's page, and its people served feed the order's record.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import Order, ServiceItem, Session, SignUp
from lianxin.volunteering.tests.factories import make_item, make_leader, make_team
from tests.e2e.conftest import login, phone_shot, shot, switch_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_order_is_served_by_a_session_that_members_sign_up_and_check_in_to(
    page: Page, browser: Browser, live_server: object, city: City, district_admin: User, member_user: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    leader = make_leader("captain")
    team = make_team(city.district, leader=leader, name="城区红马甲服务队")
    item = make_item(team, title="社区义诊")
    today = timezone.localdate()

    order = _the_community_orders_for_today_and_tomorrow(page, base, city, item, today)

    # 派单 to the suggested team.
    page.goto(f"{base}/volunteering/orders/{order.pk}/")
    with page.expect_navigation():
        page.locator("form[action$='/dispatch/'] input[name=team]").first.locator("xpath=..").locator("button").click()

    # 接单, then the leader schedules a session from the order's page; the form comes prefilled.
    switch_user(page, base, "captain", PASSWORD)
    page.goto(f"{base}/volunteering/orders/{order.pk}/")
    with page.expect_navigation():
        page.click("form[action$='/accept/'] button[type=submit]")
    page.click(f"a[href='/volunteering/sessions/new/?order={order.pk}']")
    expect(page.locator("#id_place")).to_have_value("东社区文化礼堂")
    starts = timezone.localtime() + timedelta(minutes=20)
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_slots", "5")
    shot(page, "flow-session-from-order")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    session = Session.objects.get()
    assert session.order_id == order.pk and session.team_id == team.pk

    _a_member_signs_up_and_checks_in_with_the_venues_code(browser, base, session, member_user)

    # 服务: the leader records what was done on the order.
    page.goto(f"{base}/volunteering/orders/{order.pk}/")
    page.fill("#id_beneficiaries", "38")
    page.fill("#id_service_note", "为38位居民量血压、测血糖")
    with page.expect_navigation():
        page.click("form[action$='/serve/'] button[type=submit]")

    # 评单 by the orderer.
    switch_user(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/volunteering/orders/{order.pk}/")
    page.check("form[action$='/rate/'] input[name=rating][value='4']")
    with page.expect_navigation():
        page.click("form[action$='/rate/'] button[type=submit]")
    order.refresh_from_db()
    assert (order.status, order.rating, order.beneficiaries) == (Order.Status.RATED, 4, 38)
    # Ordered, dispatched, accepted, session scheduled, served, rated.
    expect(page.locator(".timeline li")).to_have_count(6)
    expect(page.locator(f"a[href='/volunteering/sessions/{session.pk}/']")).to_be_visible()
    shot(page, "flow-order-rated")


def _the_community_orders_for_today_and_tomorrow(
    page: Page, base: str, city: City, item: ServiceItem, today: date
) -> Order:
    """点单: the community's secretary orders for today and tomorrow."""
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/volunteering/orders/new/?item={item.pk}")
    page.select_option("#id_area", str(city.district.area.pk))
    page.fill("#id_place", "东社区文化礼堂")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + timedelta(days=1)).isoformat())
    page.fill("#id_expected_beneficiaries", "40")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    order = Order.objects.get()
    return order


def _a_member_signs_up_and_checks_in_with_the_venues_code(
    browser: Browser, base: str, session: Session, member_user: User
) -> None:
    """A member signs up and checks in with the code the venue shows."""
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    member = phone.new_page()
    try:
        login(member, base, "member", PASSWORD)
        member.goto(f"{base}/volunteering/sessions/{session.pk}/")
        with member.expect_navigation():
            member.click(f"form[action='/volunteering/sessions/{session.pk}/signup/'] button")
        member.goto(f"{base}/volunteering/sessions/{session.pk}/checkin/")
        member.fill("input[name=code]", "000000" if session.checkin_code != "000000" else "111111")
        with member.expect_navigation():
            member.click("main form button[type=submit]")
        expect(member.locator(".alert-error")).to_be_visible()
        assert SignUp.objects.get(session=session, user=member_user).checked_in_at is None
        member.fill("input[name=code]", session.checkin_code)
        with member.expect_navigation():
            member.click("main form button[type=submit]")
        expect(member.locator(".alert-success")).to_be_visible()
        phone_shot(member, "flow-checked-in-phone")
    finally:
        phone.close()
    assert SignUp.objects.get(session=session, user=member_user).checked_in_at is not None

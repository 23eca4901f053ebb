"""The public menu and an order's whole life in a real browser: order → dispatch → accept → serve → rate.

Selectors use form actions and field names, not words, so the test reads the same in either language.
"""

import struct
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import Order
from lianxin.volunteering.tests.factories import make_item, make_leader, make_team
from tests.e2e.conftest import login, phone_shot, shot, switch_user

pytestmark = pytest.mark.django_db(transaction=True)


def tiny_png(width: int = 48, height: int = 32) -> bytes:
    """A real PNG (a red block), so the photo shows on the page."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xc8\x1e\x28" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_the_public_menu_filters_by_category_without_a_login(page: Page, live_server: object, city: City) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    team = make_team(city.district, name="城区红马甲服务队")
    make_item(team, title="社区义诊", description="测血压、量血糖")
    make_item(team, title="法律咨询进社区", category_code="legal_advice")
    page.goto(f"{base}/volunteering/menu/")
    expect(page.locator("table")).to_contain_text("社区义诊")
    expect(page.locator("table")).to_contain_text("法律咨询进社区")
    shot(page, "orders-menu")
    phone_shot(page, "orders-menu-phone")
    page.select_option("#category", "legal_advice")
    page.click("form.filters button[type=submit]")
    expect(page.locator("table")).to_contain_text("法律咨询进社区")
    expect(page.locator("table")).not_to_contain_text("社区义诊")


def test_an_order_from_the_menu_to_the_rating(
    page: Page, live_server: object, city: City, resident: User, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    leader = make_leader("captain")
    team = make_team(city.district, leader=leader, name="城区红马甲服务队")
    item = make_item(team, title="社区义诊")

    # The resident orders from the menu.
    login(page, base, "resident", PASSWORD)
    page.goto(f"{base}/volunteering/menu/{item.pk}/")
    page.click(f"a[href='/volunteering/orders/new/?item={item.pk}']")
    start = timezone.localdate() + timedelta(days=2)
    page.select_option("#id_area", str(city.district.area.pk))
    page.fill("#id_place", "东社区文化礼堂")
    page.fill("#id_starts_on", start.isoformat())
    page.fill("#id_ends_on", (start + timedelta(days=1)).isoformat())
    page.fill("#id_expected_beneficiaries", "40")
    page.fill("#id_note", "老年人较多，需要测血压")
    phone_shot(page, "orders-new-phone")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    order = Order.objects.get()
    expect(page.locator(".alert-success")).to_be_visible()
    shot(page, "orders-placed")

    # The district admin dispatches to the suggested team.
    switch_user(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/volunteering/orders/")
    page.click(f"a[href='/volunteering/orders/{order.pk}/']")
    expect(page.locator("main")).to_contain_text("城区红马甲服务队")
    shot(page, "orders-dispatch")
    phone_shot(page, "orders-dispatch-phone")
    with page.expect_navigation():
        page.locator("form[action$='/dispatch/'] input[name=team]").first.locator("xpath=..").locator("button").click()
    order.refresh_from_db()
    assert order.status == Order.Status.DISPATCHED and order.team == team

    _the_leader_accepts_and_records_the_service(page, base, order)

    # The resident rates it from their orders.
    switch_user(page, base, "resident", PASSWORD)
    page.goto(f"{base}/volunteering/orders/mine/")
    phone_shot(page, "orders-mine-phone")
    page.click(f"a[href='/volunteering/orders/{order.pk}/']")
    page.check("form[action$='/rate/'] input[name=rating][value='5']")
    page.fill("#id_comment", "很及时，谢谢")
    with page.expect_navigation():
        page.click("form[action$='/rate/'] button[type=submit]")
    order.refresh_from_db()
    assert order.status == Order.Status.RATED and order.rating == 5
    expect(page.locator(".timeline li")).to_have_count(5)
    shot(page, "orders-rated")
    phone_shot(page, "orders-rated-phone")


def _the_leader_accepts_and_records_the_service(page: Page, base: str, order: Order) -> None:
    """The team leader accepts from their inbox, then records the service with a photo."""
    switch_user(page, base, "captain", PASSWORD)
    page.goto(f"{base}/volunteering/orders/team/")
    shot(page, "orders-team-inbox")
    page.click(f"a[href='/volunteering/orders/{order.pk}/']")
    with page.expect_navigation():
        page.click("form[action$='/accept/'] button[type=submit]")
    expect(page.locator(f"a[href='/volunteering/sessions/new/?order={order.pk}']")).to_be_visible()
    page.fill("#id_beneficiaries", "36")
    page.fill("#id_service_note", "为36位老人量血压、测血糖")
    page.set_input_files("#id_photos", files=[FilePayload(name="现场.png", mimeType="image/png", buffer=tiny_png())])
    shot(page, "orders-serve")
    with page.expect_navigation():
        page.click("form[action$='/serve/'] button[type=submit]")
    order.refresh_from_db()
    assert order.status == Order.Status.SERVED and order.beneficiaries == 36 and order.photos.count() == 1

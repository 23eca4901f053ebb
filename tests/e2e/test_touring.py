"""An organizer plans a touring schedule and publishes it; residents book a slot of an appointment service.

Real browser: the public schedule and its print view, and two people who opened the same free
slot: the first books it, the second is told clearly that it has just been taken.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import Booking, Tour
from lianxin.volunteering.tests.factories_touring import (
    make_appointment_service,
    make_slot,
    make_tour_team,
    make_town,
)
from tests.e2e.conftest import login, phone_shot, shot
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_organizer_plans_a_tour_with_stops_and_the_public_sees_the_schedule_and_print_view(
    page: Page, browser: Browser, live_server: object, city: City, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    gaolou = make_town(city.district.area, "高楼镇")
    make_town(city.district.area, "玉海街道")
    medical = make_tour_team(city.district, "医疗卫生系统服务队", ("医疗义诊", "测血糖量血压"))
    make_tour_team(city.district, "司法系统服务队", ("法律咨询",))
    first = timezone.localdate() + timedelta(days=3)

    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/volunteering/tours/new/")
    page.fill("#id_title", "红七月·服务月 巡回服务")
    pick(page, "#id_organization", "城区", "城区委员会")
    page.fill("#id_starts_on", first.isoformat())
    page.fill("#id_ends_on", (first + timedelta(days=19)).isoformat())
    page.fill("#id_description", "市直机关党员志愿服务队与镇街联动，深入基层一线巡回服务。")
    shot(page, "tour-new")
    page.click("main form button[type=submit]")
    tour = Tour.objects.get()
    expect(page).to_have_url(f"{base}/volunteering/tours/{tour.pk}/")

    # A stop outside the dates is refused on the form (the date field's min/max, which the
    # browser enforces, are lifted so the server's own check answers).
    page.goto(f"{base}/volunteering/tours/{tour.pk}/stops/new/")
    page.eval_on_selector("#id_date", "el => { el.removeAttribute('min'); el.removeAttribute('max'); }")
    page.select_option("#id_area", str(gaolou.pk))
    page.fill("#id_date", (first + timedelta(days=30)).isoformat())
    page.fill("#id_place", "发银广场")
    page.check(f"input[name=teams][value='{medical.pk}']")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("不在巡回服务日期范围内")
    shot(page, "tour-stop-refused")

    page.fill("#id_date", first.isoformat())
    page.fill("#id_starts_at", "08:30")
    page.fill("#id_ends_at", "11:30")
    for item in medical.items.all():
        page.check(f"input[name=items][value='{item.pk}']")
    shot(page, "tour-stop-form")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{base}/volunteering/tours/{tour.pk}/")
    expect(page.locator("main table")).to_contain_text("发银广场")
    page.click(f"form[action='/volunteering/tours/{tour.pk}/publish/'] button")
    expect(page.locator(".alert-success")).to_be_visible()
    shot(page, "tour-detail")
    phone_shot(page, "tour-detail-phone")

    _the_public_reads_the_schedule_and_its_print_view(browser, base, tour)


def _the_public_reads_the_schedule_and_its_print_view(browser: Browser, base: str, tour: Tour) -> None:
    """Anyone, not logged in, reads the schedule and its print view."""
    public = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860}).new_page()
    try:
        public.goto(f"{base}/volunteering/tours/")
        public.click(f"a[href='/volunteering/tours/{tour.pk}/schedule/']")
        schedule = public.locator("table.tour-schedule")
        expect(schedule).to_contain_text("高楼镇")
        expect(schedule).to_contain_text("医疗卫生系统服务队")
        expect(schedule).to_contain_text("医疗义诊")
        expect(public.locator("main")).not_to_contain_text("district_admin")
        shot(public, "tour-public")
        phone_shot(public, "tour-public-phone")
        public.goto(f"{base}/volunteering/tours/{tour.pk}/print/")
        public.emulate_media(media="print")
        expect(public.locator(".topbar")).to_be_hidden()
        expect(public.locator(".print-sheet h1")).to_have_text("红七月·服务月 巡回服务")
        shot(public, "tour-print")
    finally:
        public.context.close()


def test_a_resident_books_a_slot_and_a_second_booking_of_it_is_refused(
    page: Page,
    browser: Browser,
    live_server: object,
    city: City,
    district_admin: User,
    resident: User,
    member_user: User,
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    service = make_appointment_service(city.district, unit=district_admin)
    slot = make_slot(service, unit=district_admin, hour=9)
    make_slot(service, unit=district_admin, hour=14)

    page.goto(f"{base}/volunteering/appointments/")
    shot(page, "appointments-public")
    page.click(f"a[href='/volunteering/appointments/{service.pk}/']")
    expect(page.locator(".slot-list li")).to_have_count(2)
    shot(page, "appointment-detail")
    phone_shot(page, "appointment-detail-phone")

    # Both people open the booking form of the same free slot.
    login(page, base, "resident", PASSWORD)
    page.goto(f"{base}/volunteering/appointments/slots/{slot.pk}/book/")
    other = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    try:
        login(other, base, "member", PASSWORD)
        other.goto(f"{base}/volunteering/appointments/slots/{slot.pk}/book/")
        other.fill("#id_contact_name", "李船长")
        other.fill("#id_contact_phone", "13900001111")

        page.fill("#id_contact_name", "张海明")
        page.fill("#id_contact_phone", "138 1234 5678")
        page.fill("#id_unit_name", "海城远洋渔业有限公司")
        page.fill("#id_note", "想咨询船员党员组织关系转接")
        shot(page, "booking-form")
        page.click("main form button[type=submit]")
        expect(page.locator(".alert-success")).to_be_visible()
        expect(page.locator("dd.masked")).to_have_text("138****5678")
        shot(page, "booking-detail")

        other.click("main form button[type=submit]")
        expect(other.locator(".alert-error")).to_contain_text("该时段刚被他人预约")
        expect(other.locator(".slot-list li")).to_have_count(1)
        shot(other, "booking-refused-phone")
    finally:
        other.context.close()
    assert Booking.objects.count() == 1

    # The unit sees the booking with the phone masked.
    page.context.clear_cookies()
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/volunteering/appointments/{service.pk}/bookings/")
    expect(page.locator("main table")).to_contain_text("138****5678")
    expect(page.locator("main table")).not_to_contain_text("13812345678")
    shot(page, "appointment-bookings")
    phone_shot(page, "appointment-bookings-phone")
    page.goto(f"{base}/volunteering/appointments/{service.pk}/slots/")
    shot(page, "appointment-slots")
    phone_shot(page, "appointment-slots-phone")

"""A leader schedules a session, a member signs up, the venue shows the code and QR, the member
checks in on a phone by opening the QR's link, checks out, and the hours appear on their record."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import Session, SignUp, Team
from lianxin.volunteering.tests.factories_sessions import make_led_team
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_session_from_scheduling_to_hours_on_the_record(
    page: Page, browser: Browser, live_server: object, city: City, member_user: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    team = make_led_team(city.east)
    starts = timezone.localtime() + timedelta(minutes=20)

    session = _the_leader_schedules_a_session(page, base, team, starts)

    # A member signs up on a phone.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    member = phone.new_page()
    member.set_default_timeout(10_000)
    login(member, base, "member", PASSWORD)
    member.goto(f"{base}/volunteering/sessions/")
    phone_shot(member, "session-list-phone")
    member.click(f"a[href='/volunteering/sessions/{session.pk}/']")
    member.click(f"form[action='/volunteering/sessions/{session.pk}/signup/'] button")
    expect(member.locator(".alert-success")).to_be_visible()
    assert SignUp.objects.filter(session=session, user=member_user).exists()

    # The venue screen shows the code and the QR code of the check-in page.
    page.goto(f"{base}/volunteering/sessions/{session.pk}/venue/")
    expect(page.locator(".venue .code")).to_have_text(session.checkin_code)
    expect(page.locator(".venue .qr svg")).to_be_visible()
    checkin_url = page.locator(".venue .url").inner_text().strip()
    assert checkin_url.endswith(f"/volunteering/sessions/{session.pk}/checkin/?code={session.checkin_code}")
    shot(page, "session-venue")
    phone_shot(page, "session-venue-phone")

    # The member opens the QR's link: the code is filled in; one press checks in.
    member.goto(checkin_url)
    expect(member.locator("input[name=code]")).to_have_value(session.checkin_code)
    phone_shot(member, "session-checkin-phone")
    member.click("main form button[type=submit]")
    expect(member.locator(".alert-success")).to_be_visible()
    assert SignUp.objects.get(session=session, user=member_user).checked_in_at is not None

    # An hour and 20 minutes later (the clock is moved on in the database), the member checks out.
    SignUp.objects.filter(session=session, user=member_user).update(
        checked_in_at=timezone.now() - timedelta(minutes=80)
    )
    member.goto(f"{base}/volunteering/sessions/{session.pk}/")
    phone_shot(member, "session-detail-phone")
    member.click(f"form[action='/volunteering/sessions/{session.pk}/checkout/'] button")
    # The session has not ended: the page says what will be counted and asks first.
    expect(member.locator(".confirm-step")).to_contain_text("1.5")
    phone_shot(member, "session-checkout-early-phone")
    assert SignUp.objects.get(session=session, user=member_user).checked_out_at is None
    member.click(".confirm-step form button[type=submit]")
    expect(member.locator(".alert-success")).to_be_visible()

    _the_record_and_the_certificate_show_the_hours(member, base)
    phone.close()

    # The leader's attendance sheet shows the hours.
    page.goto(f"{base}/volunteering/sessions/{session.pk}/attendance/")
    expect(page.locator(".attendance-row .row-hours")).to_contain_text("1.5")
    shot(page, "session-attendance")


def _the_leader_schedules_a_session(page: Page, base: str, team: Team, starts: datetime) -> Session:
    """The leader schedules a session starting in 20 minutes: check-in is already open."""
    assert team.leader is not None
    login(page, base, team.leader.username, PASSWORD)
    page.goto(f"{base}/volunteering/sessions/new/")
    page.select_option("#id_team", str(team.pk))
    page.fill("#id_title", "东社区义诊·测血压")
    page.select_option("#id_area", str(team.organization.area.pk))
    page.fill("#id_place", "东社区文化礼堂, 一楼")
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_slots", "3")
    shot(page, "session-new")
    page.click("main form button[type=submit]")
    session = Session.objects.get()
    expect(page).to_have_url(f"{base}/volunteering/sessions/{session.pk}/")
    shot(page, "session-detail-leader")
    return session


def _the_record_and_the_certificate_show_the_hours(member: Page, base: str) -> None:
    """80 minutes: one hour, and 20 minutes that count half an hour."""
    member.goto(f"{base}/volunteering/record/")
    expect(member.locator("#total-hours")).to_have_text("1.5")
    phone_shot(member, "record-phone")
    member.goto(f"{base}/volunteering/record/certificate/")
    expect(member.locator(".certificate")).to_contain_text("东社区义诊·测血压")
    phone_shot(member, "certificate-phone")
    member.emulate_media(media="print")
    shot(member, "certificate-print")

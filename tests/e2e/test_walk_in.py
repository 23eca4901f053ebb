"""At the venue: a member who never signed up opens the check-in link and signs up and checks
in in one step (phone and desktop); a full session says so. After the session the leader
confirms everyone present at once and marks one absent, in place, without a reload."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import Session, SignUp
from lianxin.volunteering.tests.factories import leader_of
from lianxin.volunteering.tests.factories_sessions import (
    make_led_team,
    make_session,
    make_volunteer,
    move_session,
    signed_up,
)
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_walk_in_signs_up_and_checks_in_at_the_venue_in_one_step(
    browser: Browser, live_server: object, city: City, member_user: User, width: int
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    session = make_session(make_led_team(city.east), title="东社区义诊·测血压", slots=3)
    session = move_session(session, timezone.now() - timedelta(minutes=15))
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 844 if width == 390 else 860}, is_mobile=width == 390
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    login(page, base, "member", PASSWORD)

    # The QR code at the venue opens the check-in page with the code filled in.
    page.goto(f"{base}/volunteering/sessions/{session.pk}/checkin/?code={session.checkin_code}")
    walk_in = page.locator(f"form[action='/volunteering/sessions/{session.pk}/walk-in/']")
    expect(walk_in.locator("input[name=code]")).to_have_value(session.checkin_code)
    expect(walk_in.locator("button[type=submit]")).to_be_in_viewport()
    if width == 390:
        phone_shot(page, "walk-in-checkin-phone")
    else:
        shot(page, "walk-in-checkin")

    walk_in.locator("button[type=submit]").click()

    expect(page.locator(".alert-success")).to_be_visible()
    expect(page).to_have_url(f"{base}/volunteering/sessions/{session.pk}/")
    signup = SignUp.objects.get(session=session, user=member_user)
    assert signup.checked_in_at is not None and signup.left_at is None
    assert Session.objects.get(pk=session.pk).signed_up_count == 1
    if width == 390:
        phone_shot(page, "walk-in-done-phone")
    else:
        shot(page, "walk-in-done")
    context.close()


def test_a_full_session_tells_the_walk_in_on_a_phone(
    browser: Browser, live_server: object, city: City, member_user: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    session = make_session(make_led_team(city.east), slots=1)
    signed_up(session, make_volunteer(city.east))
    move_session(session, timezone.now() - timedelta(minutes=15))
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    login(page, base, "member", PASSWORD)
    page.goto(f"{base}/volunteering/sessions/{session.pk}/checkin/?code={session.checkin_code}")
    expect(page.locator(".checkin .alert-warning")).to_be_visible()
    assert page.locator(f"form[action='/volunteering/sessions/{session.pk}/walk-in/']").count() == 0
    phone_shot(page, "walk-in-full-phone")
    assert not SignUp.objects.filter(session=session, user=member_user).exists()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_leader_confirms_everyone_present_then_marks_one_absent_in_place(
    browser: Browser, live_server: object, city: City, width: int
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    session = make_session(make_led_team(city.east), title="清扫楼道", hours=2, slots=8)
    volunteers = [make_volunteer(city.east, f"walker{n}") for n in range(6)]
    for volunteer in volunteers:
        signed_up(session, volunteer)
    session = move_session(session, timezone.now() - timedelta(days=1))
    leader = leader_of(session.team)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 844 if width == 390 else 860}, is_mobile=width == 390
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    login(page, base, leader.username, PASSWORD)
    page.goto(f"{base}/volunteering/sessions/{session.pk}/attendance/")
    page.evaluate("window.stillTheSamePage = true")
    (phone_shot if width == 390 else shot)(page, f"attendance-before-{width}")

    page.click(".all-present button")
    expect(page.locator(".attendance-row .badge-ok")).to_have_count(6)
    assert set(SignUp.objects.filter(session=session).values_list("hours", flat=True)) == {2}

    third = page.locator(".attendance-row").nth(2)
    third.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    third.locator("button.btn-danger").click()
    expect(page.locator(".attendance-row").nth(2).locator(".badge-red")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True  # no reload
    assert page.evaluate("window.scrollY") == scrolled  # no jump to the top
    absent = SignUp.objects.filter(session=session).order_by("id")[2]
    assert absent.hours == 0 and absent.hours_confirmed_at is not None
    (phone_shot if width == 390 else shot)(page, f"attendance-after-{width}")
    context.close()


def test_the_changed_volunteering_pages_fit_a_phone_and_ask_before_cancelling(
    page: Page, live_server: object, city: City, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    team = make_led_team(city.east)
    session = make_session(team, title="东社区义诊·测血压", hours=2.5)
    signed_up(session, make_volunteer(city.east))
    login(page, base, leader_of(team).username, PASSWORD)
    for name, path in [
        ("teams", "/volunteering/teams/"),
        ("menu", "/volunteering/menu/"),
        ("sessions", "/volunteering/sessions/"),
        ("session", f"/volunteering/sessions/{session.pk}/"),
    ]:
        page.goto(f"{base}{path}")
        shot(page, f"volunteering-{name}")
        phone_shot(page, f"volunteering-{name}-phone")
    expect(page.locator("main")).to_contain_text("东社区义诊·测血压")

    page.goto(f"{base}/volunteering/sessions/")
    expect(page.locator(".session-time").first).to_have_text(
        f"{timezone.localtime(session.starts_at):%H:%M}–{timezone.localtime(session.ends_at):%H:%M}"
    )

    page.goto(f"{base}/volunteering/sessions/{session.pk}/")
    page.fill(f"form[action='/volunteering/sessions/{session.pk}/cancel/'] input[name=reason]", "台风预警")
    page.click(f"form[action='/volunteering/sessions/{session.pk}/cancel/'] button[type=submit]")
    expect(page.locator(".confirm-step")).to_contain_text("台风预警")
    shot(page, "volunteering-cancel-confirm")
    phone_shot(page, "volunteering-cancel-confirm-phone")
    assert Session.objects.get(pk=session.pk).status == Session.Status.PLANNED
    page.click(".confirm-step form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED

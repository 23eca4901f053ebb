"""A branch secretary plans a branch congress, members check in on a phone with the venue's QR
link, the secretary records the others by hand, sees the quorum reached, and records the minutes;
takes someone wrongly listed off a list, resets the calendar link, and seats the branch committee."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Dialog, Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance, OrganizationFeed
from lianxin.activities.selectors.planning import feed_of
from lianxin.activities.services import planning as services
from lianxin.activities.tests.factories import make_activity
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import CommitteeSeat
from tests.e2e.conftest import login, phone_shot, shot
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_branch_congress_from_planning_to_minutes(
    page: Page, browser: Browser, live_server: object, city: City, branch_secretary: User, member_user: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    present_by_hand = make_member(city.east, name="周明")
    absent = make_member(city.east, name="吴芳")
    starts = timezone.localtime() - timedelta(minutes=10)

    # The secretary plans the congress; the branch's members are expected.
    login(page, base, branch_secretary.username, PASSWORD)
    page.goto(f"{base}/activities/new/")
    pick(page, "#id_organization", "东社区")
    page.select_option("#id_kind", "branch_congress")
    page.fill("#id_title", "第四季度支部党员大会")
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "东社区党群服务中心二楼")
    shot(page, "activity-new")
    page.click("main form button[type=submit]")
    activity = Activity.objects.get()
    expect(page).to_have_url(f"{base}/activities/{activity.pk}/")
    assert activity.attendance.count() == 3
    expect(page.locator(".alert-warning")).to_be_visible()
    shot(page, "activity-detail-planned")

    # The venue screen shows the code and the QR code of the check-in page.
    page.goto(f"{base}/activities/{activity.pk}/venue/")
    expect(page.locator(".venue .code")).to_have_text(activity.checkin_code)
    expect(page.locator(".venue .qr svg")).to_be_visible()
    checkin_url = page.locator(".venue .url").inner_text().strip()
    shot(page, "activity-venue")

    _a_member_checks_in_by_the_qr_code_on_a_phone(browser, base, activity, member_user, checkin_url)

    # The secretary records one member present and one absent with a reason, in place.
    page.goto(f"{base}/activities/{activity.pk}/")
    page.locator(f"#attendee-{present_by_hand.pk} button[value=present]").click()
    expect(page.locator(f"#attendee-{present_by_hand.pk}")).to_have_attribute("data-status", "present")
    page.locator(f"#attendee-{absent.pk} input[name=reason]").fill("外出务工")
    page.locator(f"#attendee-{absent.pk} button[value=absent]").click()
    expect(page.locator(f"#attendee-{absent.pk}")).to_have_attribute("data-status", "absent")

    # Two of three full members present: the quorum is reached; the minutes are recorded after a preview.
    expect(page.locator("#attendance-line")).to_have_class(re.compile("alert-success"))
    page.fill("#id_host", "张书记")
    page.fill("#id_recorder", "李委员")
    page.fill("#id_topic", "讨论确定发展对象")
    page.fill("#id_minutes", "应到3人，实到2人。会议讨论确定发展对象1名。")
    page.click(f"form[action='/activities/{activity.pk}/hold/'] button")
    page.click("#confirm button[name=confirm]")
    expect(page.locator("main .alert-success").first).to_be_visible()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD and activity.host == "张书记"
    assert "会议讨论确定发展对象1名" in page.locator("main").inner_text()
    shot(page, "activity-detail-held")
    phone_shot(page, "activity-detail-held-phone")


def _a_member_checks_in_by_the_qr_code_on_a_phone(
    browser: Browser, base: str, activity: Activity, member_user: User, checkin_url: str
) -> None:
    """A member opens the QR's link on a phone: the code is filled in; one press checks in."""
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    member = phone.new_page()
    member.set_default_timeout(10_000)
    login(member, base, member_user.username, PASSWORD)
    member.goto(checkin_url)
    expect(member.locator("input[name=code]")).to_have_value(activity.checkin_code)
    phone_shot(member, "activity-checkin-phone")
    member.click("main form button[type=submit]")
    expect(member.locator(".alert-success").first).to_be_visible()
    phone_shot(member, "activity-checked-in-phone")
    assert activity.attendance.get(member=member_user.member).status == Attendance.Status.PRESENT
    phone.close()


def test_a_joint_event_gives_each_branch_its_part_and_the_list_fits_a_phone(
    page: Page, live_server: object, city: City, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    make_member(city.east)
    make_member(city.west)
    starts = timezone.localtime() + timedelta(days=3)

    login(page, base, district_admin.username, PASSWORD)
    page.goto(f"{base}/activities/joint/new/")
    pick(page, "#id_organizer", "城区", "城区委员会")
    page.select_option("#id_organizations", [str(city.east.pk), str(city.west.pk)])
    page.select_option("#id_kind", "political_birthday")
    page.fill("#id_title", "七一集体过政治生日")
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.check("#id_is_online")
    shot(page, "joint-new")
    page.click("main form button[type=submit]")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert Activity.objects.filter(joint_event__isnull=False).count() == 2
    shot(page, "joint-detail")
    phone_shot(page, "joint-detail-phone")

    page.goto(f"{base}/activities/?organization={city.east.pk}")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main a[href$='.ics']")).to_be_visible()
    shot(page, "activity-list")
    phone_shot(page, "activity-list-phone")


def test_a_secretary_takes_someone_wrongly_listed_off_and_the_quorum_follows(
    page: Page, live_server: object, city: City, branch_secretary: User, member_user: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    wrong = make_member(city.east, name="错列人")
    present = make_member(city.east, name="郑强")
    make_member(city.east, name="钱多")
    activity = make_activity(city.east, planner=branch_secretary, title="支部党员大会")
    services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    services.attendance_record(activity=activity, actor=branch_secretary, member=present, status="present")

    # Two of four entitled present: no quorum yet; the checked-in row has no remove button.
    login(page, base, branch_secretary.username, PASSWORD)
    page.goto(f"{base}/activities/{activity.pk}/")
    expect(page.locator("main .alert-warning")).to_be_visible()
    checked_in = page.locator(f"#attendee-{member_user.member.pk}")
    expect(checked_in.locator(".attendance-remove")).to_have_count(0)
    expect(page.locator(".attendance-remove")).to_have_count(3)
    shot(page, "activity-detail-remove-buttons")

    questions: list[str] = []

    def answer(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.locator(f"#attendee-{wrong.pk} .attendance-remove button").click()

    # The list and the quorum follow without a reload: two of three entitled present.
    expect(page.locator("main .alert-success").first).to_contain_text("错列人")
    assert questions and "错列人" in questions[0]
    expect(page.locator("main li.attendance-row")).to_have_count(3)
    expect(page.locator("main .alert-warning")).to_have_count(0)
    expect(page.locator("#attendance-line")).to_have_text(re.compile(r"3\D+2\D+2\D+3"))
    assert not activity.attendance.filter(member=wrong).exists()
    shot(page, "activity-detail-after-remove")


def test_a_secretary_resets_the_calendar_link_and_seats_the_branch_committee(
    page: Page, live_server: object, city: City, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    people = [make_member(city.east, name=f"委员{i}") for i in range(7)]
    old = feed_of(city.east).token

    login(page, base, branch_secretary.username, PASSWORD)
    page.goto(f"{base}/activities/?organization={city.east.pk}")
    expect(page.locator(f"main a[href$='{old}.ics']")).to_be_visible()
    shot(page, "activity-list-feed-reset")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".feed-reset button")
    new = ""
    for _attempt in range(50):
        new = OrganizationFeed.objects.get(organization=city.east).token
        if new != old:
            break
        page.wait_for_timeout(100)
    assert new != old
    expect(page.locator(f"main a[href$='{new}.ics']")).to_be_visible()
    assert page.request.get(f"{base}/activities/feeds/{old}.ics").status == 404
    assert page.request.get(f"{base}/activities/feeds/{new}.ics").status == 200
    shot(page, "activity-list-feed-was-reset")

    page.goto(f"{base}/organizations/{city.east.pk}/")
    for person, role in ((people[0], "secretary"), (people[1], "organization"), (people[2], "propaganda")):
        page.select_option("#id_member", str(person.pk))
        page.select_option("#id_role", role)
        page.click("#committee form.filters button[type=submit]")
        expect(page.locator("#committee tbody tr", has_text=person.name)).to_be_visible()
    assert CommitteeSeat.objects.filter(organization=city.east, until__isnull=True).count() == 3
    expect(page.locator("main .facts")).to_contain_text("委员0")
    shot(page, "organization-committee")

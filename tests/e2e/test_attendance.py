"""A branch secretary records a 26-member branch congress: "all expected present" in one tap,
then two exceptions, in place (no reload, no jump to the top), on an office screen and on a
phone; the quorum line says who counts. Holding it is previewed before it is written. The
compliance board reads on a phone."""

import re

import pytest
from playwright.sync_api import Page, Request, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.activities.tests.factories import make_activity, make_branch_congress
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from tests.e2e.conftest import login, phone_shot, shot
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)

# 应到 26，实到 24（预备党员 2），有表决权 22 / 24，至少 13: the same order in Chinese and English.
QUORUM_LINE = re.compile(r"26\D+24\D+2\D+22\D+24\D+13")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_secretary_records_a_26_member_meeting_with_all_present_and_two_exceptions(
    page: Page, live_server: object, city: City, branch_secretary: User, width: int
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    activity, people = make_branch_congress(city.east, planner=branch_secretary, full=24, probationary=2)
    ill, away = people[20], people[22]
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 860})
    login(page, base, branch_secretary.username, PASSWORD)
    page.goto(f"{base}/activities/{activity.pk}/")
    shot(page, f"attendance-{width}-before")

    # From here on, every request the page makes is counted, and a reload would lose the marker.
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.evaluate("window.attendanceMarker = 1")
    page.locator(".attendance-all button").scroll_into_view_if_needed()

    page.locator(".attendance-all button").click()
    expect(page.locator("#attendance div.alert-success[role=status]")).to_be_visible()
    expect(page.locator("#attendance li[data-status=present]")).to_have_count(26)
    expect(page.locator(".attendance-all")).to_have_count(0)

    for person, status, reason in ((ill, "absent", "生病住院"), (away, "excused", "出差")):
        row = page.locator(f"#attendee-{person.pk}")
        row.scroll_into_view_if_needed()
        before = page.evaluate("window.scrollY")
        row.locator("input[name=reason]").fill(reason)
        row.locator(f"button[value={status}]").click()
        expect(page.locator(f"#attendee-{person.pk}")).to_have_attribute("data-status", status)
        # The panel was swapped in place: the page did not jump back to the top.
        assert page.evaluate("window.scrollY") >= before - 5 and before > 0

    expect(page.locator("#attendance-line")).to_have_text(QUORUM_LINE)
    assert page.evaluate("window.attendanceMarker") == 1
    posts = [r for r in requests if r.method == "POST"]
    assert len(posts) == 3 and not [r for r in requests if r.resource_type == "document"]
    statuses = dict(Attendance.objects.filter(activity=activity).values_list("member_id", "status"))
    assert sorted(statuses.values()).count("present") == 24
    assert (statuses[ill.pk], statuses[away.pk]) == ("absent", "excused")

    page.locator(f"#attendee-{away.pk}").scroll_into_view_if_needed()
    shot(page, f"attendance-{width}-recorded")
    if width < 600:
        phone_shot(page, "attendance-390-recorded-phone")
        for button in page.locator(f"#attendee-{ill.pk} button").all():
            box = button.bounding_box()
            assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 390

    _holding_is_previewed_before_it_is_written(page, base, activity, width)


def _holding_is_previewed_before_it_is_written(page: Page, base: str, activity: Activity, width: int) -> None:
    page.fill("#id_host", "张书记")
    page.fill("#id_recorder", "李委员")
    page.fill("#id_minutes", "应到26人，实到24人。会议讨论确定发展对象1名。")
    page.click(f"form[action='/activities/{activity.pk}/hold/'] button")
    expect(page.locator("#confirm")).to_be_visible()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED
    shot(page, f"attendance-{width}-hold-preview")
    page.click("#confirm button[name=confirm]")
    expect(page.locator("main .alert-success").first).to_be_visible()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD


@pytest.mark.parametrize("width", [1280, 390])
def test_a_secretary_adds_an_activist_found_by_pinyin_initials_as_an_observer(
    page: Page, live_server: object, city: City, branch_secretary: User, width: int
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    activist = make_member(
        city.east, name="周晓梅", category=Member.Category.ACTIVIST, candidate_on=None, joined_on=None, full_on=None
    )
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE)
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 860})
    login(page, base, branch_secretary.username, PASSWORD)
    page.goto(f"{base}/activities/{activity.pk}/")

    pick(page, "#id_member", "zxm", choose="周晓梅")
    expect(page.locator("#id_member")).to_have_value("周晓梅")
    page.select_option("#id_role", Attendance.Role.OBSERVER)
    shot(page, f"attendance-{width}-add-picked")
    page.click(f"form[action='/activities/{activity.pk}/add/'] button[type=submit]")

    expect(page.locator("main .alert-success").first).to_contain_text("周晓梅")
    assert Attendance.objects.get(activity=activity, member=activist).role == Attendance.Role.OBSERVER
    if width < 600:
        phone_shot(page, "attendance-390-added-phone")


def test_the_compliance_board_reads_on_a_phone(
    page: Page, live_server: object, city: City, district_admin: User, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    make_branch_congress(city.west, planner=district_admin, full=8)
    make_activity(city.east, planner=branch_secretary, held=True)
    login(page, base, district_admin.username, PASSWORD)
    page.goto(f"{base}/activities/compliance/?org=D1")
    shot(page, "compliance-board-1280")
    phone_shot(page, "compliance-board-390")

    page.set_viewport_size({"width": 390, "height": 844})
    board = page.locator("#compliance-board")
    expect(board.locator("thead")).to_be_hidden()
    # Each kind is named beside its marks on one line, never one character per line.
    for cell in board.locator("td[data-label]").all()[:12]:
        assert cell.get_attribute("data-label")
        box = cell.bounding_box()
        assert box is not None and box["height"] < 80 and box["x"] + box["width"] <= 390
    for badge in board.locator(".badge").all()[:12]:
        box = badge.bounding_box()
        assert box is not None and box["height"] < 30

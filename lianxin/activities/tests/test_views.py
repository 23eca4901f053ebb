"""Activity pages: planning, the page with quorum and attendance, actions, venue screen and check-in, joint events."""

import io
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance, JointEvent, Kind
from lianxin.activities.services import planning as services
from lianxin.activities.tests.factories import make_activity
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def confirmed(client: Client, url: str, data: dict[str, str]) -> "Answer":
    """A step that cannot be undone, as a person takes it: the preview first, then the confirmation."""
    preview = client.post(url, data).content.decode()
    found = re.search(r'name="confirm" value="([0-9a-f]+)"', preview)
    assert found, "the preview offers no confirmation"
    return client.post(url, {**data, "confirm": found.group(1)}, follow=True)


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_secretary_plans_a_branch_congress_from_the_form(
    client: Client, city: City, branch_secretary: User, east_member: Member
) -> None:
    starts = timezone.now() + timedelta(days=2)
    response = _as(client, branch_secretary).post(
        reverse("activities:activity_new"),
        {
            "organization": city.east.code,
            "kind": Kind.BRANCH_CONGRESS,
            "title": "十月支部党员大会",
            "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=2)),
            "place": "党群服务中心",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "activities:activity_detail", args=[activity.pk]
    )
    assert list(activity.attendance.values_list("member__name", flat=True)) == ["李红"]
    html = client.get(response["Location"]).content.decode()
    assert "十月支部党员大会" in html and "李红" in html and "no quorum." in html
    assert f"?organization={city.east.pk}" in html


def test_the_plan_form_shows_the_services_refusal_and_writes_nothing(
    client: Client, city: City, branch_secretary: User
) -> None:
    starts = timezone.now() + timedelta(days=2)
    response = _as(client, branch_secretary).post(
        reverse("activities:activity_new"),
        {
            "organization": city.east.code,
            "kind": Kind.PARTY_LECTURE,
            "title": "党课",
            "starts_at": _local(starts),
            "ends_at": _local(starts - timedelta(hours=1)),
        },
    )
    assert response.status_code == 200 and "must end after it starts" in response.content.decode()
    assert not Activity.objects.exists()


def test_an_admin_cannot_plan_for_an_organization_outside_their_subtree(
    client: Client, city: City, branch_secretary: User
) -> None:
    starts = timezone.now() + timedelta(days=2)
    response = _as(client, branch_secretary).post(
        reverse("activities:activity_new"),
        {
            "organization": city.west.code,
            "kind": Kind.PARTY_LECTURE,
            "title": "党课",
            "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=1)),
        },
    )
    assert response.status_code == 200 and not Activity.objects.exists()


def test_an_activity_is_not_found_outside_the_viewers_reach(
    client: Client, city: City, district_admin: User, member_user: User
) -> None:
    activity = make_activity(city.west, planner=district_admin)
    assert _as(client, member_user).get(reverse("activities:activity_detail", args=[activity.pk])).status_code == 404
    assert client.get(reverse("activities:activity_venue", args=[activity.pk])).status_code == 404


def test_a_member_on_the_list_sees_the_page_but_not_the_others_attendance(
    client: Client, city: City, branch_secretary: User, member_user: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    html = _as(client, member_user).get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    assert "My attendance" in html and "李红" not in html
    assert client.get(reverse("activities:activity_venue", args=[activity.pk])).status_code == 404


def test_a_member_checks_in_on_the_page_the_qr_code_opens(
    client: Client, city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    venue = _as(client, branch_secretary).get(reverse("activities:activity_venue", args=[activity.pk])).content.decode()
    assert activity.checkin_code in venue and "<svg" in venue
    client.logout()
    url = reverse("activities:activity_checkin", args=[activity.pk])
    page = _as(client, member_user).get(url + f"?code={activity.checkin_code}").content.decode()
    assert f'value="{activity.checkin_code}"' in page
    response = client.post(url, {"code": activity.checkin_code}, follow=True)
    assert "You checked in at" in response.content.decode()
    assert activity.attendance.get(member=member_user.member).status == Attendance.Status.PRESENT


def test_a_wrong_code_on_the_check_in_page_is_shown_and_nothing_is_written(
    client: Client, city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    wrong = "000000" if activity.checkin_code != "000000" else "111111"
    url = reverse("activities:activity_checkin", args=[activity.pk])
    response = _as(client, member_user).post(url, {"code": wrong}, follow=True)
    assert "not this activity&#x27;s check-in code" in response.content.decode()
    assert activity.attendance.get(member=member_user.member).checked_in_at is None


def test_recording_attendance_holding_and_the_quorum_flag(client: Client, city: City, branch_secretary: User) -> None:
    people = [make_member(city.east) for _ in range(3)]
    activity = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() - timedelta(hours=1))
    _as(client, branch_secretary)
    record = reverse("activities:activity_record", args=[activity.pk])
    client.post(record, {"member": people[0].pk, "status": "present"})
    response = client.post(record, {"member": people[1].pk, "status": "absent", "reason": ""}, follow=True)
    assert "Give the reason for the absence" in response.content.decode()
    client.post(record, {"member": people[1].pk, "status": "absent", "reason": "生病"})
    response = confirmed(
        client,
        reverse("activities:activity_hold", args=[activity.pk]),
        {"minutes": "讨论发展对象", "host": "张书记", "recorder": "李委员", "topic": "发展党员"},
    )
    html = response.content.decode()
    assert "Held without quorum" in html and "讨论发展对象" in html
    activity.refresh_from_db()
    assert activity.status == "held"
    assert dict(activity.attendance.values_list("member_id", "status")) == {
        people[0].pk: "present",
        people[1].pk: "absent",
        people[2].pk: "unknown",
    }


def test_cancelling_needs_a_reason(client: Client, city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    url = reverse("activities:activity_cancel", args=[activity.pk])
    response = _as(client, branch_secretary).post(url, {"reason": ""}, follow=True)
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.status == "planned"
    confirmed(client, url, {"reason": "台风"})
    activity.refresh_from_db()
    assert (activity.status, activity.cancel_reason) == ("cancelled", "台风")


def test_an_observer_of_this_organization_is_chosen_and_a_guest_found_by_mobile_number(
    client: Client, city: City, district_admin: User
) -> None:
    activist = make_member(
        city.east, name="积极分子", category=Member.Category.ACTIVIST, candidate_on=None, joined_on=None, full_on=None
    )
    guest = make_member(city.west, name="西边来宾", mobile="13987654321")
    activity = make_activity(city.east, planner=district_admin, kind=Kind.PARTY_LECTURE)
    url = reverse("activities:activity_add", args=[activity.pk])
    _as(client, district_admin)
    page = client.get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    # The people are no longer listed on the page: a picker finds them by name or pinyin initials.
    assert "积极分子" not in page and 'name="member_q"' in page and reverse("picker_search", args=["member"]) in page
    client.post(url, {"member": activist.pk, "role": "observer"})
    response = client.post(url, {"number": "139 8765 4321", "role": "invited"}, follow=True)
    assert "西边来宾" in response.content.decode()
    assert dict(activity.attendance.exclude(role="expected").values_list("member_id", "role")) == {
        activist.pk: "observer",
        guest.pk: "invited",
    }


def test_a_number_nobody_in_scope_has_is_refused_and_nothing_is_added(
    client: Client, city: City, branch_secretary: User
) -> None:
    outsider = make_member(city.other_branch, mobile="13911112222")
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE)
    response = _as(client, branch_secretary).post(
        reverse("activities:activity_add", args=[activity.pk]),
        {"number": "13911112222", "role": "invited"},
        follow=True,
    )
    assert "Nobody on the roster you manage" in response.content.decode()
    assert not activity.attendance.filter(member=outsider).exists()


def test_the_list_filters_by_organization_and_shows_its_calendar_feed(
    client: Client, city: City, district_admin: User
) -> None:
    make_activity(city.east, planner=district_admin, title="东边的党课", kind=Kind.PARTY_LECTURE)
    make_activity(city.west, planner=district_admin, title="西边的主题党日", kind=Kind.THEME_DAY)
    html = (
        _as(client, district_admin)
        .get(reverse("activities:activity_list"), {"organization": city.east.pk})
        .content.decode()
    )
    assert "东边的党课" in html and "西边的主题党日" not in html
    assert city.east.activity_feed.token in html


def test_a_member_sees_their_branchs_activities_without_filter_links_they_cannot_open(
    client: Client, city: City, district_admin: User, member_user: User
) -> None:
    make_activity(city.east, planner=district_admin, title="东边的党课", kind=Kind.PARTY_LECTURE)
    html = _as(client, member_user).get(reverse("activities:activity_list")).content.decode()
    assert "东边的党课" in html
    assert f"?organization={city.east.pk}" not in html
    assert client.get(reverse("activities:activity_list"), {"organization": city.east.pk}).status_code == 404


def test_a_joint_event_is_planned_for_many_organizations(
    client: Client, city: City, district_admin: User, east_member: Member
) -> None:
    starts = timezone.now() + timedelta(days=1)
    response = _as(client, district_admin).post(
        reverse("activities:joint_new"),
        {
            "organizer": city.district.code,
            "organizations": [city.east.pk, city.west.pk],
            "kind": Kind.POLITICAL_BIRTHDAY,
            "title": "集体过政治生日",
            "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=2)),
            "is_online": "on",
        },
        follow=True,
    )
    event = JointEvent.objects.get()
    assert event.activities.count() == 2
    html = response.content.decode()
    assert "东社区党支部" in html and "西社区党支部" in html
    parts = {a.organization_id: (a.present, a.listed) for a in response.context["page"]}
    assert parts == {city.east.pk: (0, 1), city.west.pk: (0, 0)}


def test_the_admin_lists_and_opens_activities(client: Client, city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, title="后台可见的党课")
    admin = User.objects.create_superuser(username="root", password=PASSWORD)
    client.force_login(admin)
    assert "后台可见的党课" in client.get(reverse("admin:activities_activity_changelist")).content.decode()
    assert client.get(reverse("admin:activities_activity_change", args=[activity.pk])).status_code == 200
    for name in ("jointevent", "frequencyrule", "organizationfeed"):
        assert client.get(reverse(f"admin:activities_{name}_changelist")).status_code == 200


def test_a_planned_activity_is_changed_from_its_form(client: Client, city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    starts = timezone.now() + timedelta(days=3)
    url = reverse("activities:activity_edit", args=[activity.pk])
    _as(client, branch_secretary)
    assert 'value="第三季度支部党员大会"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": Kind.BRANCH_CONGRESS,
            "title": "改期的支部党员大会",
            "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=2)),
            "place": "新地点",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.place) == ("改期的支部党员大会", "新地点")


def test_the_activity_list_and_a_sign_in_sheet_download_as_xlsx(
    client: Client, city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary, title="下载的党课", kind=Kind.PARTY_LECTURE)
    services.attendance_record(
        activity=activity, actor=branch_secretary, member=east_member, status="absent", reason="出差"
    )
    _as(client, branch_secretary)
    listing = client.get(reverse("activities:activity_list"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(listing.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # under the title and where-and-when line
    assert rows[1][3] == "下载的党课" and rows[1][6:] == (0, 1)
    signin = client.get(reverse("activities:activity_attendance_xlsx", args=[activity.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(signin.content)).active
    assert sheet is not None
    assert list(sheet.iter_rows(min_row=3, values_only=True))[1][:5] == (
        "李红",
        "full member",
        "expected",
        "absent",
        "出差",
    )
    assert client.get(reverse("activities:activity_attendance_xlsx", args=[activity.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("activities:activity_attendance_xlsx", args=[activity.pk])).status_code == 302


def test_the_list_shows_how_many_were_present_of_those_listed(
    client: Client, city: City, branch_secretary: User, east_member: Member
) -> None:
    make_member(city.east)
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE)
    services.attendance_record(activity=activity, actor=branch_secretary, member=east_member, status="present")
    page = _as(client, branch_secretary).get(reverse("activities:activity_list")).context["page"]
    assert [(a.present, a.listed) for a in page] == [(1, 2)]


def test_the_list_links_the_joint_events_organized_in_the_viewers_subtree(
    client: Client, city: City, district_admin: User, branch_secretary: User
) -> None:
    starts = timezone.now() + timedelta(days=1)
    event = services.joint_event_create(
        actor=district_admin,
        organizer=city.district,
        organizations=[city.east, city.west],
        kind=Kind.THEME_DAY,
        title="全区主题党日",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    html = _as(client, district_admin).get(reverse("activities:activity_list")).content.decode()
    assert reverse("activities:joint_detail", args=[event.pk]) in html
    client.logout()
    html = _as(client, branch_secretary).get(reverse("activities:activity_list")).content.decode()
    assert reverse("activities:joint_detail", args=[event.pk]) not in html
    assert client.get(reverse("activities:joint_detail", args=[event.pk])).status_code == 404
    part = event.activities.get(organization=city.east)
    page = client.get(reverse("activities:activity_detail", args=[part.pk])).content.decode()
    assert "全区主题党日" in page and reverse("activities:joint_detail", args=[event.pk]) not in page


def test_the_check_in_page_says_so_when_the_activity_is_over_or_the_member_joined_since(
    client: Client, city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    Attendance.objects.filter(activity=activity, member=member_user.member).delete()
    url = reverse("activities:activity_checkin", args=[activity.pk])
    _as(client, member_user)
    assert 'name="code"' in client.get(url).content.decode()
    services.activity_cancel(activity=activity, actor=branch_secretary, reason="台风")
    page = client.get(url).content.decode()
    assert "not open for check-in" in page and 'name="code"' not in page


def test_recording_without_choosing_a_status_changes_nothing(
    client: Client, city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    response = _as(client, branch_secretary).post(
        reverse("activities:activity_record", args=[activity.pk]), {"member": east_member.pk, "status": ""}, follow=True
    )
    assert "This field is required" in response.content.decode()
    assert activity.attendance.get(member=east_member).status == Attendance.Status.UNKNOWN


def test_the_minutes_are_corrected_from_the_activity_page(client: Client, city: City, branch_secretary: User) -> None:
    activity = make_activity(city.east, planner=branch_secretary, held=True)
    _as(client, branch_secretary)
    assert (
        "Correct the minutes" in client.get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    )
    response = client.post(
        reverse("activities:activity_minutes", args=[activity.pk]),
        {"minutes": "补充：会议表决通过。", "host": "张书记", "recorder": "李委员", "topic": "学习党章"},
        follow=True,
    )
    assert "补充：会议表决通过。" in response.content.decode()


def test_a_joint_event_for_every_organization_with_members_under_the_organizer(
    client: Client, city: City, district_admin: User
) -> None:
    make_member(city.east)
    make_member(city.west)
    starts = timezone.now() + timedelta(days=1)
    _as(client, district_admin).post(
        reverse("activities:joint_new"),
        {
            "organizer": city.district.code,
            "all_under": "on",
            "kind": Kind.POLITICAL_BIRTHDAY,
            "title": "全区集体过政治生日",
            "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=2)),
        },
    )
    event = JointEvent.objects.get()
    assert set(event.activities.values_list("organization_id", flat=True)) == {city.east.pk, city.west.pk}


def test_a_joint_event_without_organizations_is_refused_and_nothing_is_written(
    client: Client, city: City, district_admin: User
) -> None:
    starts = timezone.now() + timedelta(days=1)
    response = _as(client, district_admin).post(
        reverse("activities:joint_new"),
        {
            "organizer": city.district.code,
            "kind": Kind.THEME_DAY,
            "title": "主题党日",
            "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=2)),
        },
    )
    assert "Choose the organizations taking part" in response.content.decode()
    assert not JointEvent.objects.exists()

"""Activities through the API: list, plan, read one with quorum, record attendance, check in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, Attendance, Kind
from lianxin.activities.services import planning as services
from lianxin.activities.tests.factories import make_activity
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

BASE = "/api/v1/activities"


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_api_needs_a_login(city: City) -> None:
    assert Client().get(BASE).status_code == 401


def test_a_secretary_plans_and_reads_a_congress(city: City, branch_secretary: User, east_member: Member) -> None:
    api = _client(branch_secretary)
    starts = timezone.now() + timedelta(days=1)
    payload = {
        "organization": city.east.pk,
        "kind": Kind.BRANCH_CONGRESS,
        "title": "支部党员大会",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
    }
    created = api.post(BASE, payload, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["organization"] == "东社区党支部" and body["status"] == "planned"
    assert body["quorum"] == {"entitled": 1, "present": 0, "needed": 1, "met": False}
    items = api.get(BASE, {"organization": city.east.pk}).json()["items"]
    assert [i["title"] for i in items] == ["支部党员大会"]
    assert api.get(f"{BASE}/{body['id']}").json()["attendance"]["unknown"] == 1


def test_planning_a_bad_activity_is_refused_with_the_reason_and_writes_nothing(
    city: City, branch_secretary: User
) -> None:
    starts = timezone.now()
    payload = {
        "organization": city.east.pk,
        "kind": Kind.PARTY_LECTURE,
        "title": "党课",
        "starts_at": starts.isoformat(),
        "ends_at": (starts - timedelta(hours=1)).isoformat(),
    }
    refused = _client(branch_secretary).post(BASE, payload, content_type="application/json")
    assert refused.status_code == 422 and "must end after it starts" in refused.json()["detail"]
    assert not Activity.objects.exists()


def test_planning_outside_the_callers_scope_is_not_found(city: City, branch_secretary: User) -> None:
    starts = timezone.now()
    payload = {
        "organization": city.west.pk,
        "kind": Kind.PARTY_LECTURE,
        "title": "党课",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
    }
    assert _client(branch_secretary).post(BASE, payload, content_type="application/json").status_code == 404
    assert not Activity.objects.exists()


def test_attendance_is_recorded_and_an_absence_without_reason_refused(city: City, branch_secretary: User) -> None:
    person = make_member(city.east)
    activity = make_activity(city.east, planner=branch_secretary)
    api = _client(branch_secretary)
    url = f"{BASE}/{activity.pk}/attendance"
    refused = api.post(url, {"member": person.pk, "status": "absent"}, content_type="application/json")
    assert refused.status_code == 422 and "reason" in refused.json()["detail"]
    assert activity.attendance.get(member=person).status == Attendance.Status.UNKNOWN
    done = api.post(url, {"member": person.pk, "status": "excused"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "excused"
    assert [r["status"] for r in api.get(url).json()] == ["excused"]


def test_a_member_checks_in_with_the_code_and_cannot_read_the_list(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    api = _client(member_user)
    wrong = "000000" if activity.checkin_code != "000000" else "111111"
    url = f"{BASE}/{activity.pk}/checkin"
    assert api.post(url, {"code": wrong}, content_type="application/json").status_code == 409
    done = api.post(url, {"code": activity.checkin_code}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "present"
    assert api.get(f"{BASE}/{activity.pk}/attendance").status_code == 404


def test_a_joint_event_is_planned_and_counts_each_person_once(city: City, district_admin: User) -> None:
    person = make_member(city.east)
    api = _client(district_admin)
    starts = timezone.now() - timedelta(minutes=30)
    payload = {
        "organizer": city.district.pk,
        "organizations": [city.east.pk, city.west.pk],
        "kind": Kind.POLITICAL_BIRTHDAY,
        "title": "集体过政治生日",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
    }
    created = api.post(f"{BASE}/joint", payload, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    east_part, west_part = body["parts"]
    # A member of 东社区 also attends 西社区's part as an observer: present in both, counted once.
    services.attendance_add(
        activity=Activity.objects.get(pk=west_part), actor=district_admin, member=person, role="observer"
    )
    for part in (east_part, west_part):
        done = api.post(
            f"{BASE}/{part}/attendance", {"member": person.pk, "status": "present"}, content_type="application/json"
        )
        assert done.status_code == 200
    totals = api.get(f"{BASE}/joint/{body['id']}").json()
    assert (totals["listed"], totals["present"]) == (1, 1)


def test_a_joint_event_with_an_organization_outside_the_callers_scope_is_not_found(
    city: City, district_admin: User
) -> None:
    starts = timezone.now()
    payload = {
        "organizer": city.district.pk,
        "organizations": [city.east.pk, city.other_branch.pk],
        "kind": Kind.THEME_DAY,
        "title": "主题党日",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
    }
    assert _client(district_admin).post(f"{BASE}/joint", payload, content_type="application/json").status_code == 404
    assert not Activity.objects.exists()

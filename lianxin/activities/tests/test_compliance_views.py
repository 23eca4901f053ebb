import io
import zipfile
from datetime import datetime

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Attendance, FrequencyRule, Kind
from lianxin.activities.rules.frequency import REQUIRED_KINDS
from lianxin.activities.services.planning import attendance_record
from lianxin.activities.tests.factories import make_activity
from lianxin.members.tests.factories import make_member


@pytest.fixture
def client() -> Client:
    """Pages answer in English here, so assertions read the messages' msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


Q2 = {"from": "2026-04-01", "to": "2026-06-30"}


def logged_in(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=timezone.get_default_timezone())


def test_the_board_shows_a_held_congress_green_and_a_missing_one_red(
    client: Client, city: City, district_admin: User
) -> None:
    make_activity(city.west, planner=district_admin, starts_at=at(5, 20), held=True)

    response = logged_in(client, district_admin).get(reverse("activities:compliance"), {"org": "D1", **Q2})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-org="D1E"' in html and 'data-org="D1W"' in html
    assert 'data-kind="branch_congress" data-state="held"' in html
    assert 'data-kind="branch_congress" data-state="missed"' in html
    assert "支部工作条例" in html


def test_the_board_without_dates_shows_the_current_quarter(client: Client, city: City, branch_secretary: User) -> None:
    response = logged_in(client, branch_secretary).get(reverse("activities:compliance"))

    assert response.status_code == 200
    assert response.context["period"].start.month in (1, 4, 7, 10)
    assert [r.organization.pk for r in response.context["page"].object_list] == [city.east.pk]


def test_a_branch_secretary_cannot_see_another_branch(client: Client, city: City, branch_secretary: User) -> None:
    response = logged_in(client, branch_secretary).get(reverse("activities:compliance"), {"org": "D1W"})

    assert response.status_code == 404


def test_bad_dates_are_explained_and_nothing_is_shown(client: Client, city: City, district_admin: User) -> None:
    response = logged_in(client, district_admin).get(reverse("activities:compliance"), {"from": "2026-13-01"})

    assert response.status_code == 400
    assert "is not a date" in response.content.decode()
    assert "board" not in response.context


def test_the_board_downloads_as_a_workbook_with_one_row_per_window(
    client: Client, city: City, district_admin: User
) -> None:
    response = logged_in(client, district_admin).get(reverse("activities:compliance_xlsx"), {"org": "D1E", **Q2})

    assert response.status_code == 200
    sheet = zipfile.ZipFile(io.BytesIO(response.getvalue())).read("xl/worksheets/sheet1.xml").decode()
    assert "2026 Q2" in sheet and "2026-06" in sheet and "D1E" in sheet


def test_coverage_links_each_number_to_its_rows(client: Client, city: City, district_admin: User) -> None:
    member = make_member(city.east, name="赵党员")
    activity = make_activity(city.east, planner=district_admin, starts_at=at(5, 2), held=True, kind=Kind.PARTY_LECTURE)
    attendance_record(activity=activity, actor=district_admin, member=member, status=Attendance.Status.PRESENT)
    client = logged_in(client, district_admin)

    page = client.get(reverse("activities:coverage"), {"org": "D1", **Q2})
    members = client.get(
        reverse("activities:coverage_rows", args=["members"]), {"org": "D1", **Q2, "kind": "party_lecture"}
    )
    activities = client.get(reverse("activities:coverage_rows", args=["activities"]), {"org": "D1", **Q2})

    assert page.status_code == 200
    assert page.context["coverage"].members == 1
    assert reverse("activities:coverage_rows", args=["members"]) in page.content.decode()
    assert [m.name for m in members.context["page"].object_list] == ["赵党员"]
    assert [a.pk for a in activities.context["page"].object_list] == [activity.pk]


def test_an_unknown_coverage_figure_or_kind_is_not_found(client: Client, city: City, district_admin: User) -> None:
    client = logged_in(client, district_admin)

    assert client.get(reverse("activities:coverage_rows", args=["people"])).status_code == 404
    assert client.get(reverse("activities:coverage_rows", args=["members"]), {"kind": "party"}).status_code == 404


def test_coverage_attendance_downloads_as_a_workbook(client: Client, city: City, district_admin: User) -> None:
    member = make_member(city.east, name="赵党员")
    activity = make_activity(city.east, planner=district_admin, starts_at=at(5, 2), held=True)
    attendance_record(activity=activity, actor=district_admin, member=member, status=Attendance.Status.PRESENT)

    response = logged_in(client, district_admin).get(reverse("activities:coverage_xlsx"), {"org": "D1", **Q2})

    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    assert response.status_code == 200
    rows = list(sheet.iter_rows(min_row=4, values_only=True))  # under the title, the period and the header
    # the start is a date cell, in local time
    assert rows[0][4] == "赵党员" and rows[0][0] == datetime(2026, 5, 2, 9, 0)


def test_the_coverage_workbook_reads_no_personal_numbers(client: Client, city: City, district_admin: User) -> None:
    member = make_member(city.east, name="赵党员")
    activity = make_activity(city.east, planner=district_admin, starts_at=at(5, 2), held=True)
    attendance_record(activity=activity, actor=district_admin, member=member, status=Attendance.Status.PRESENT)
    client = logged_in(client, district_admin)

    with CaptureQueriesContext(connection) as seen:
        response = client.get(reverse("activities:coverage_xlsx"), {"org": "D1", **Q2})

    # the ledger prints names only: a district's year of rows would otherwise decrypt two numbers a line
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(row[1], row[3], row[4]) for row in rows] == [(city.east.name, activity.title, "赵党员")]
    statements = " ".join(q["sql"] for q in seen.captured_queries)
    assert '"members_member"."id_number"' not in statements
    assert '"members_member"."mobile"' not in statements


def test_people_outside_any_roster_scope_cannot_see_the_board(client: Client, city: City, resident: User) -> None:
    assert logged_in(client, resident).get(reverse("activities:compliance")).status_code == 404


def test_the_api_returns_the_board_as_the_page_shows_it(client: Client, city: City, district_admin: User) -> None:
    make_activity(city.west, planner=district_admin, starts_at=at(5, 20), held=True)

    data = logged_in(client, district_admin).get("/api/v1/activities/compliance", {"org": "D1", **Q2}).json()

    congress = {o["code"]: next(c for c in o["cells"] if c["kind"] == "branch_congress") for o in data["organizations"]}
    assert (data["from"], data["to"], data["count"]) == ("2026-04-01", "2026-06-30", 2)
    assert (congress["D1E"]["state"], congress["D1W"]["state"]) == ("missed", "held")
    assert "第十一条" in congress["D1E"]["source"]
    assert data["totals"]["branch_congress"] == {"held": 1, "missed": 1}


def test_the_api_refuses_a_bad_period_and_another_subtree(client: Client, city: City, branch_secretary: User) -> None:
    client = logged_in(client, branch_secretary)

    bad = client.get("/api/v1/activities/compliance", {"from": "2026-06-30", "to": "2026-04-01"})
    elsewhere = client.get("/api/v1/activities/coverage", {"org": "D1W"})

    assert bad.status_code == 422 and "ends before it starts" in bad.json()["detail"]
    assert elsewhere.status_code == 404


def test_the_api_returns_coverage_as_the_page_shows_it(client: Client, city: City, district_admin: User) -> None:
    member = make_member(city.east, name="赵党员")
    activity = make_activity(city.east, planner=district_admin, starts_at=at(5, 2), held=True)
    attendance_record(activity=activity, actor=district_admin, member=member, status=Attendance.Status.PRESENT)

    data = logged_in(client, district_admin).get("/api/v1/activities/coverage", {"org": "D1", **Q2}).json()

    assert (data["activities"], data["members"], data["party_members"]) == (1, 1, 1)
    assert data["share"] == "100.0"
    assert next(line for line in data["by_kind"] if line["kind"] == "branch_congress")["members"] == 1


def test_the_board_can_list_only_organizations_with_something_not_held(
    client: Client, city: City, district_admin: User
) -> None:
    for kind in REQUIRED_KINDS:
        make_activity(city.west, planner=district_admin, starts_at=at(5, 20), held=True, kind=kind)
    for month in (4, 6):
        for kind in (Kind.COMMITTEE_MEETING, Kind.GROUP_MEETING, Kind.THEME_DAY):
            make_activity(city.west, planner=district_admin, starts_at=at(month, 20), held=True, kind=kind)

    response = logged_in(client, district_admin).get(
        reverse("activities:compliance"), {"org": "D1", **Q2, "missing": "1"}
    )

    assert [row.organization.pk for row in response.context["page"].object_list] == [city.east.pk]
    assert "missing=1" in response.context["page_query"]


def test_a_district_admin_sets_an_exemption_on_the_rules_page_and_the_board_shows_it(
    client: Client, city: City, district_admin: User
) -> None:
    client = logged_in(client, district_admin)
    url = reverse("activities:compliance_rules") + "?org=D1E"

    response = client.post(
        url,
        {
            "kind": "branch_congress",
            "exempt": "on",
            "valid_from": "2026-04-01",
            "valid_until": "2026-06-30",
            "source": "批复",
        },
    )
    board = client.get(reverse("activities:compliance"), {"org": "D1E", **Q2})

    assert response.status_code == 302
    assert 'data-kind="branch_congress" data-state="exempt"' in board.content.decode()
    assert "批复" in client.get(url).content.decode()


def test_a_branch_secretary_sees_the_rules_but_cannot_set_them(
    client: Client, city: City, branch_secretary: User
) -> None:
    client = logged_in(client, branch_secretary)
    url = reverse("activities:compliance_rules") + "?org=D1E"

    page = client.get(url)
    refused = client.post(url, {"kind": "branch_congress", "exempt": "on", "valid_from": "2026-04-01", "source": "x"})

    assert page.status_code == 200 and page.context["form"] is None
    assert refused.status_code == 404
    assert not FrequencyRule.objects.exists()


def test_a_rule_without_a_source_is_shown_on_the_form_and_not_written(
    client: Client, city: City, district_admin: User
) -> None:
    response = logged_in(client, district_admin).post(
        reverse("activities:compliance_rules") + "?org=D1E",
        {"kind": "branch_congress", "frequency": "yearly", "valid_from": "2026-04-01", "source": " "},
    )

    assert response.status_code == 400
    assert not FrequencyRule.objects.exists()


def test_a_small_branch_shows_committee_and_group_meetings_as_not_required(
    client: Client, city: City, district_admin: User
) -> None:
    """The test city's branches have fewer than 7 full members and no Party groups."""
    response = logged_in(client, district_admin).get(reverse("activities:compliance"), {"org": "D1", **Q2})

    html = response.content.decode()
    assert 'data-kind="committee_meeting"' not in html and 'data-kind="group_meeting"' not in html
    assert html.count('title="Not required of this organization"') == 2 * 2  # two branches, two kinds
    assert 'data-kind="branch_congress" data-state="missed"' in html

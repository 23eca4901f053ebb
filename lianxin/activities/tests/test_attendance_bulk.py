"""Attendance in bulk: "all expected present" in one step, then the exceptions; the quorum line
says who counts (probationary members attend but do not vote)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import ActivityVerb, Attendance, Kind
from lianxin.activities.selectors.planning import attendance_summary
from lianxin.activities.services.attendance import attendance_record_bulk
from lianxin.activities.services.planning import activity_cancel, attendance_record
from lianxin.activities.tests.factories import make_activity, make_branch_congress
from lianxin.core.models import Event
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _statuses(activity_pk: int) -> dict[int, str]:
    return dict(Attendance.objects.filter(activity_id=activity_pk).values_list("member_id", "status"))


def _bulk_events(activity_pk: int) -> int:
    return Event.objects.filter(subject_id=activity_pk, verb=ActivityVerb.ATTENDANCE_RECORDED_IN_BULK).count()


# ------------------------------------------------------------------ the service


def test_all_present_marks_everyone_expected_in_one_event_and_keeps_an_excuse_given_before(
    city: City, branch_secretary: User
) -> None:
    activity, people = make_branch_congress(city.east, planner=branch_secretary, full=24, probationary=2)
    attendance_record(activity=activity, actor=branch_secretary, member=people[0], status="excused", reason="出差")

    changed = attendance_record_bulk(activity=activity, actor=branch_secretary, status="present")

    assert changed == 25
    statuses = _statuses(activity.pk)
    assert statuses[people[0].pk] == "excused"
    assert [statuses[p.pk] for p in people[1:]] == ["present"] * 25
    assert _bulk_events(activity.pk) == 1
    event = Event.objects.get(subject_id=activity.pk, verb=ActivityVerb.ATTENDANCE_RECORDED_IN_BULK)
    assert event.data == {"status": "present", "count": 25, "everyone_expected": True}


def test_the_quorum_line_counts_probationary_members_as_present_but_not_as_voting(
    city: City, branch_secretary: User
) -> None:
    """26 expected: 24 full, 2 probationary. All present, then one full member absent and one excused."""
    activity, people = make_branch_congress(city.east, planner=branch_secretary, full=24, probationary=2)
    attendance_record_bulk(activity=activity, actor=branch_secretary, status="present")
    attendance_record(activity=activity, actor=branch_secretary, member=people[0], status="absent", reason="生病")
    attendance_record(activity=activity, actor=branch_secretary, member=people[1], status="excused", reason="出差")

    summary = attendance_summary(activity)

    assert (summary.expected, summary.present, summary.absent, summary.excused, summary.unrecorded) == (26, 24, 1, 1, 0)
    assert summary.probationary_present == 2
    assert summary.quorum is not None
    assert (summary.quorum.entitled, summary.quorum.present, summary.quorum.needed) == (24, 22, 13)
    assert summary.quorum.met


def test_a_committee_meeting_counts_every_expected_member_and_a_lecture_has_no_quorum(
    city: City, branch_secretary: User
) -> None:
    _congress, people = make_branch_congress(city.east, planner=branch_secretary, full=3, probationary=1)
    lecture = make_activity(
        city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE, starts_at=timezone.now() - timedelta(minutes=5)
    )
    attendance_record_bulk(activity=lecture, actor=branch_secretary, status="present")
    summary = attendance_summary(lecture)
    assert (summary.expected, summary.present, summary.probationary_present, summary.quorum) == (4, 4, 0, None)
    assert len(people) == 4


def test_ids_of_another_activitys_attendees_are_refused_and_nothing_is_written(
    city: City, branch_secretary: User
) -> None:
    activity, people = make_branch_congress(city.east, planner=branch_secretary, full=3)
    newcomer = make_member(city.east, name="新转入党员")
    elsewhere = make_activity(city.east, planner=branch_secretary, title="下一次会议")
    assert elsewhere.attendance.filter(member=newcomer).exists()
    before = _statuses(activity.pk)

    with pytest.raises(ValidationError) as refused:
        attendance_record_bulk(
            activity=activity,
            actor=branch_secretary,
            status="absent",
            reason="生病",
            member_ids=[people[0].pk, newcomer.pk],
        )

    assert refused.value.messages == ["1 of the people chosen is not on this activity's list; nothing was recorded."]
    assert _statuses(activity.pk) == before
    assert set(_statuses(elsewhere.pk).values()) == {"unknown"}
    assert _bulk_events(activity.pk) == 0


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        ("arrived", "", "Record present, absent or excused."),
        ("unknown", "", "Record present, absent or excused."),
        ("absent", "  ", "Give the reason for the absence."),
    ],
)
def test_an_unknown_status_or_an_absence_without_reason_is_refused_and_nothing_is_written(
    city: City, branch_secretary: User, status: str, reason: str, message: str
) -> None:
    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=3)
    with pytest.raises(ValidationError) as refused:
        attendance_record_bulk(activity=activity, actor=branch_secretary, status=status, reason=reason)
    assert refused.value.messages == [message]
    assert set(_statuses(activity.pk).values()) == {"unknown"}
    assert _bulk_events(activity.pk) == 0


def test_only_the_admins_of_the_activitys_organization_may_record_in_bulk(
    city: City, branch_secretary: User, district_admin: User
) -> None:
    from conftest import _user  # the persona builder: an admin of 西社区 only

    west_secretary = _user("west_secretary", "org_admin", city.west)
    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=3)
    with pytest.raises(ValidationError) as refused:
        attendance_record_bulk(activity=activity, actor=west_secretary, status="present")
    assert refused.value.code == "forbidden"
    assert set(_statuses(activity.pk).values()) == {"unknown"}
    assert attendance_record_bulk(activity=activity, actor=district_admin, status="present") == 3


def test_nobody_is_present_before_the_start_and_a_cancelled_activity_takes_no_attendance(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    later = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError, match="before the activity starts"):
        attendance_record_bulk(activity=later, actor=branch_secretary, status="present")
    # Excusing in advance is how 请假 works: allowed before the start.
    assert attendance_record_bulk(
        activity=later, actor=branch_secretary, status="excused", reason="出差", member_ids=[east_member.pk]
    )
    activity_cancel(activity=later, actor=branch_secretary, reason="台风")
    later.refresh_from_db()
    with pytest.raises(ValidationError, match="cancelled"):
        attendance_record_bulk(activity=later, actor=branch_secretary, status="excused", reason="x")


# ------------------------------------------------------------------ the page


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_secretary_records_a_26_member_meeting_in_four_requests_without_a_reload(
    client: Client, city: City, branch_secretary: User
) -> None:
    """The page, "all present", and two exceptions: each answer to htmx is the panel alone, and
    the number of queries of each does not grow with the number of members."""
    activity, people = make_branch_congress(city.east, planner=branch_secretary, full=24, probationary=2)
    _as(client, branch_secretary)
    detail = reverse("activities:activity_detail", args=[activity.pk])
    bulk = reverse("activities:attendance_bulk", args=[activity.pk])
    record = reverse("activities:activity_record", args=[activity.pk])
    queries: list[int] = []

    with CaptureQueriesContext(connection) as page:
        html = client.get(detail).content.decode()
    queries.append(len(page))
    assert "All expected present (26 not yet recorded)" in html

    with CaptureQueriesContext(connection) as tapped:
        response = client.post(bulk, {"everyone": "1", "status": "present"}, headers=HTMX)
    queries.append(len(tapped))
    panel = response.content.decode()
    assert response.status_code == 200 and "<html" not in panel and 'id="attendance"' in panel
    assert "Recorded for 26 people." in panel

    for member, status, reason in ((people[0], "absent", "生病住院"), (people[1], "excused", "出差")):
        with CaptureQueriesContext(connection) as marked:
            response = client.post(record, {"member": member.pk, "status": status, "reason": reason}, headers=HTMX)
        queries.append(len(marked))
        assert response.status_code == 200 and "<html" not in response.content.decode()

    panel = response.content.decode()
    assert "Expected 26, present 24 (of whom 2 probationary members attend without a vote)" in panel
    assert "with a vote: 22 of 24 (more than half, at least 13, needed): quorum reached." in panel
    assert "生病住院" in panel and "出差" in panel
    assert Event.objects.filter(subject_id=activity.pk, verb__startswith="attendance").count() == 3
    # Four requests; what each costs in queries (stated in the merge notes), bounded here.
    print("requests: 4; queries per request:", queries)
    assert len(queries) == 4 and max(queries) <= 30


def test_the_bulk_step_costs_the_same_queries_for_6_and_for_26_members(
    client: Client, city: City, branch_secretary: User
) -> None:
    counts = []
    for size in (6, 26):
        activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=size, title=f"会议{size}")
        _as(client, branch_secretary)
        with CaptureQueriesContext(connection) as tapped:
            client.post(
                reverse("activities:attendance_bulk", args=[activity.pk]),
                {"everyone": "1", "status": "present"},
                headers=HTMX,
            )
        counts.append(len(tapped))
        Attendance.objects.filter(activity=activity).delete()
    assert counts[0] == counts[1]


def test_the_page_refuses_hostile_input_with_a_clear_message_and_writes_nothing(
    client: Client, city: City, branch_secretary: User
) -> None:
    activity, people = make_branch_congress(city.east, planner=branch_secretary, full=3)
    elsewhere, strangers = make_branch_congress(city.east, planner=branch_secretary, full=1, title="另一次会议")
    _as(client, branch_secretary)
    bulk = reverse("activities:attendance_bulk", args=[activity.pk])

    response = client.post(
        bulk, {"member": [people[0].pk, strangers[0].pk], "status": "excused", "reason": "出差"}, headers=HTMX
    )
    assert "1 of the people chosen is not on this activity&#x27;s list; nothing was recorded." in (
        response.content.decode()
    )
    response = client.post(bulk, {"everyone": "1", "status": "arrived"}, headers=HTMX)
    assert "Select a valid choice. arrived is not one of the available choices." in response.content.decode()
    response = client.post(bulk, {"status": "present"}, headers=HTMX)
    assert "Choose the people to record." in response.content.decode()
    assert client.post(bulk, {"member": "12abc", "status": "present"}, headers=HTMX).status_code == 400

    record = reverse("activities:activity_record", args=[activity.pk])
    response = client.post(record, {"member": strangers[0].pk, "status": "present"}, headers=HTMX)
    assert "This person is not on this activity&#x27;s list." in response.content.decode()

    assert set(_statuses(activity.pk).values()) == {"unknown"}
    assert set(_statuses(elsewhere.pk).values()) == {"unknown"}
    assert _bulk_events(activity.pk) == 0


def test_an_admin_of_another_branch_gets_404_and_nothing_is_written(
    client: Client, city: City, branch_secretary: User
) -> None:
    from conftest import _user

    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=3)
    _as(client, _user("west_secretary", "org_admin", city.west))
    response = client.post(
        reverse("activities:attendance_bulk", args=[activity.pk]), {"everyone": "1", "status": "present"}, headers=HTMX
    )
    assert response.status_code == 404
    assert set(_statuses(activity.pk).values()) == {"unknown"}


def test_without_javascript_the_page_reloads_at_the_attendance_panel(
    client: Client, city: City, branch_secretary: User
) -> None:
    activity, _people = make_branch_congress(city.east, planner=branch_secretary, full=3)
    response = _as(client, branch_secretary).post(
        reverse("activities:attendance_bulk", args=[activity.pk]), {"everyone": "1", "status": "present"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:activity_detail", args=[activity.pk]) + "#attendance"
    html = client.get(response["Location"]).content.decode()
    assert "Recorded for 3 people." in html and "Expected 3, present 3; with a vote: 3 of 3" in html

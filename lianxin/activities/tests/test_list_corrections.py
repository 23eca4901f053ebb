"""Correcting an activity's list (taking off someone wrongly listed), resetting an organization's
calendar link, and committee meetings that expect the recorded branch committee."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign, user_create
from lianxin.activities.models import Activity, Attendance, Kind, OrganizationFeed
from lianxin.activities.selectors import planning as selectors
from lianxin.activities.selectors.planning import feed_of
from lianxin.activities.services import planning as services
from lianxin.activities.tests.factories import make_activity
from lianxin.core.models import Event
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import CommitteeSeat
from lianxin.organizations.services import committee_seat_end, committee_seat_fill

pytestmark = pytest.mark.django_db

API = "/api/v1/activities"


def _as(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _events(subject: models.Model, verb: str) -> list[Event]:
    return [
        e
        for e in Event.objects.filter(subject_id=subject.pk, verb=verb)
        if e.subject_type.model_class() is type(subject)
    ]


def _started(city: City, planner: User, **values: Any) -> Activity:
    return make_activity(city.east, planner=planner, starts_at=timezone.now() - timedelta(minutes=30), **values)


# ------------------------------------------------------------------ taking someone off the list


def test_a_secretary_takes_a_wrongly_listed_observer_off_the_list_and_the_timeline_says_who(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE)
    guest = make_member(city.west, name="西边客人")
    services.attendance_add(activity=activity, actor=branch_secretary, member=guest, role="observer")

    services.attendance_remove(activity=activity, actor=branch_secretary, member=guest)

    assert list(activity.attendance.values_list("member_id", flat=True)) == [east_member.pk]
    [event] = _events(activity, "attendee_removed")
    assert (event.note, event.data["role"], event.actor) == ("西边客人", "observer", branch_secretary)


def test_removing_an_expected_member_of_a_held_congress_updates_its_quorum_and_counts(
    city: City, branch_secretary: User
) -> None:
    people = [make_member(city.east) for _ in range(4)]
    activity = _started(city, branch_secretary)
    for person in people[:2]:
        services.attendance_record(activity=activity, actor=branch_secretary, member=person, status="present")
    services.activity_hold(
        activity=activity, actor=branch_secretary, minutes="纪要", topic="", host="张书记", recorder="李委员"
    )
    activity.refresh_from_db()
    quorum = selectors.activity_quorum(activity)
    assert quorum is not None and (quorum.entitled, quorum.present, quorum.met) == (4, 2, False)

    services.attendance_remove(activity=activity, actor=branch_secretary, member=people[3])

    quorum = selectors.activity_quorum(activity)
    assert quorum is not None and (quorum.entitled, quorum.present, quorum.met) == (3, 2, True)
    assert selectors.attendance_counts(activity) == {"unknown": 1, "present": 2, "absent": 0, "excused": 0}


def test_someone_who_checked_in_at_the_venue_cannot_be_taken_off_and_nothing_changes(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)

    with pytest.raises(ValidationError, match="checked in at the venue and cannot be taken off"):
        services.attendance_remove(activity=activity, actor=branch_secretary, member=member_user.member)

    assert activity.attendance.filter(member=member_user.member, status="present").exists()
    assert not _events(activity, "attendee_removed")


def test_someone_recorded_present_by_hand_without_a_check_in_can_be_taken_off(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = _started(city, branch_secretary)
    services.attendance_record(activity=activity, actor=branch_secretary, member=east_member, status="present")
    services.attendance_remove(activity=activity, actor=branch_secretary, member=east_member)
    assert not activity.attendance.exists()


def test_nobody_is_taken_off_the_list_of_a_cancelled_activity(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    services.activity_cancel(activity=activity, actor=branch_secretary, reason="台风")
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="was cancelled"):
        services.attendance_remove(activity=activity, actor=branch_secretary, member=east_member)
    assert activity.attendance.filter(member=east_member).exists()


def test_an_activity_cancelled_meanwhile_keeps_its_list(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    stale = Activity.objects.get(pk=activity.pk)
    services.activity_cancel(activity=activity, actor=branch_secretary, reason="台风")
    with pytest.raises(ValidationError, match="just been changed by someone else"):
        services.attendance_remove(activity=stale, actor=branch_secretary, member=east_member)
    assert activity.attendance.filter(member=east_member).exists()


def test_someone_not_on_the_list_cannot_be_taken_off(city: City, branch_secretary: User, other_member: Member) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    with pytest.raises(ValidationError, match="not on this activity's list"):
        services.attendance_remove(activity=activity, actor=branch_secretary, member=other_member)
    assert not _events(activity, "attendee_removed")


def test_only_the_admins_of_the_organization_take_people_off_its_lists(
    city: City, district_admin: User, member_user: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=district_admin)
    other_secretary = user_create(username="west_secretary", password=PASSWORD, display_name="west")
    role_assign(user=other_secretary, role=RoleAssignment.Role.ORG_ADMIN, organization=city.west)
    for outsider in (member_user, other_secretary):
        with pytest.raises(ValidationError, match="not allowed"):
            services.attendance_remove(activity=activity, actor=outsider, member=east_member)
    assert activity.attendance.filter(member=east_member).exists()


def test_the_remove_button_takes_someone_off_and_the_page_shows_the_new_counts(
    city: City, branch_secretary: User, east_member: Member
) -> None:
    wrong = make_member(city.east, name="错列的人")
    activity = make_activity(city.east, planner=branch_secretary)
    client = _as(branch_secretary)
    page = client.get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    assert 'hx-confirm="Take 错列的人 off this activity\'s list?"' in page

    response = client.post(
        reverse("activities:activity_remove", args=[activity.pk]),
        {"member": wrong.pk},
        headers={"HX-Request": "true"},
        follow=True,
    )

    html = response.content.decode()
    assert "错列的人 was taken off the list." in html
    assert "not recorded 1" in html
    assert not activity.attendance.filter(member=wrong).exists()


def test_the_page_offers_no_remove_button_for_a_checked_in_row(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    page = _as(branch_secretary).get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
    assert "attendance-remove" not in page


def test_the_remove_button_shows_the_refusal_for_a_checked_in_row(
    city: City, branch_secretary: User, member_user: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    response = _as(branch_secretary).post(
        reverse("activities:activity_remove", args=[activity.pk]), {"member": member_user.member.pk}, follow=True
    )
    assert "checked in at the venue and cannot be taken off the list" in response.content.decode()
    assert activity.attendance.filter(member=member_user.member).exists()


def test_the_remove_action_is_not_found_for_those_who_do_not_manage_the_activity(
    city: City, district_admin: User, member_user: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=district_admin)
    url = reverse("activities:activity_remove", args=[activity.pk])
    assert _as(member_user).post(url, {"member": east_member.pk}).status_code == 404
    assert activity.attendance.filter(member=east_member).exists()


def test_the_api_deletes_a_row_and_refuses_a_checked_in_one(
    city: City, branch_secretary: User, member_user: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    api = _as(branch_secretary)

    assert api.delete(f"{API}/{activity.pk}/attendance/{east_member.pk}").status_code == 204
    refused = api.delete(f"{API}/{activity.pk}/attendance/{member_user.member.pk}")
    assert refused.status_code == 409 and "checked in at the venue" in refused.json()["detail"]
    assert api.delete(f"{API}/{activity.pk}/attendance/{east_member.pk}").status_code == 404
    assert list(activity.attendance.values_list("member_id", flat=True)) == [member_user.member.pk]
    assert api.get(f"{API}/{activity.pk}").json()["attendance"]["present"] == 1


def test_the_api_delete_is_not_found_outside_the_callers_scope(
    city: City, district_admin: User, member_user: User, east_member: Member
) -> None:
    activity = make_activity(city.east, planner=district_admin)
    assert _as(member_user).delete(f"{API}/{activity.pk}/attendance/{east_member.pk}").status_code == 404
    assert Client().delete(f"{API}/{activity.pk}/attendance/{east_member.pk}").status_code == 401
    assert activity.attendance.filter(member=east_member).exists()


# ------------------------------------------------------------------ resetting the calendar link


def test_resetting_the_calendar_link_issues_a_new_one_and_the_old_one_stops_working(
    city: City, branch_secretary: User
) -> None:
    make_activity(city.east, planner=branch_secretary, title="东边的党课", kind=Kind.PARTY_LECTURE)
    old = feed_of(city.east).token
    client = _as(branch_secretary)
    assert client.get(reverse("activities:organization_feed", args=[old])).status_code == 200

    response = client.post(reverse("activities:organization_feed_reset", args=[city.east.pk]), follow=True)

    new = OrganizationFeed.objects.get(organization=city.east).token
    assert new != old
    html = response.content.decode()
    assert "The calendar link was replaced; the old one no longer works." in html and new in html
    assert Client().get(reverse("activities:organization_feed", args=[old])).status_code == 404
    assert "东边的党课" in Client().get(reverse("activities:organization_feed", args=[new])).content.decode()
    [event] = _events(city.east, "feed_reset")
    assert event.actor == branch_secretary


def test_the_activity_list_offers_the_reset_with_a_confirm(city: City, branch_secretary: User) -> None:
    html = _as(branch_secretary).get(reverse("activities:activity_list"), {"organization": city.east.pk}).content
    page = html.decode()
    assert reverse("activities:organization_feed_reset", args=[city.east.pk]) in page
    assert 'hx-confirm="Replace the calendar link?' in page


def test_a_feed_never_shown_before_is_created_and_reset(city: City, branch_secretary: User) -> None:
    feed = services.organization_feed_reset(organization=city.east, actor=branch_secretary)
    assert OrganizationFeed.objects.get(organization=city.east).token == feed.token


def test_only_who_manages_the_organizations_activities_resets_its_link(
    city: City, branch_secretary: User, member_user: User
) -> None:
    old = feed_of(city.west).token
    with pytest.raises(ValidationError, match="not allowed"):
        services.organization_feed_reset(organization=city.west, actor=branch_secretary)
    url = reverse("activities:organization_feed_reset", args=[city.west.pk])
    assert _as(branch_secretary).post(url).status_code == 404
    assert _as(member_user).post(url).status_code == 404
    assert feed_of(city.west).token == old
    assert not _events(city.west, "feed_reset")


def test_the_reset_needs_a_post(city: City, branch_secretary: User) -> None:
    old = feed_of(city.east).token
    url = reverse("activities:organization_feed_reset", args=[city.east.pk])
    assert _as(branch_secretary).get(url).status_code == 405
    assert feed_of(city.east).token == old


# ------------------------------------------------------------------ committee meetings and the recorded committee


def _committee(city: City, secretary: User, size: int = 8) -> list[Member]:
    people = [make_member(city.east, post="委员" if i == 5 else "") for i in range(size)]
    since = date(2024, 3, 1)
    committee_seat_fill(actor=secretary, organization=city.east, member=people[0], role="secretary", since=since)
    committee_seat_fill(actor=secretary, organization=city.east, member=people[1], role="organization", since=since)
    committee_seat_fill(actor=secretary, organization=city.east, member=people[2], role="propaganda", since=since)
    return people


def test_a_committee_meeting_expects_the_current_seats_rather_than_the_posts(
    city: City, branch_secretary: User
) -> None:
    people = _committee(city, branch_secretary)
    seat = CommitteeSeat.objects.get(member=people[2])
    committee_seat_end(actor=branch_secretary, seat=seat, until=timezone.localdate())
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.COMMITTEE_MEETING)
    assert set(activity.attendance.values_list("member_id", flat=True)) == {people[0].pk, people[1].pk}


def test_the_committee_meeting_quorum_counts_against_the_seats(city: City, branch_secretary: User) -> None:
    people = _committee(city, branch_secretary)
    activity = _started(city, branch_secretary, kind=Kind.COMMITTEE_MEETING)
    services.attendance_add(activity=activity, actor=branch_secretary, member=people[6], role="observer")
    for person in (people[0], people[6]):
        services.attendance_record(activity=activity, actor=branch_secretary, member=person, status="present")
    quorum = selectors.activity_quorum(activity)
    assert quorum is not None and (quorum.entitled, quorum.present, quorum.needed, quorum.met) == (3, 1, 2, False)
    services.attendance_record(activity=activity, actor=branch_secretary, member=people[1], status="present")
    quorum = selectors.activity_quorum(activity)
    assert quorum is not None and quorum.met


def test_a_member_off_the_committee_checking_in_to_its_meeting_is_not_added_to_those_entitled(
    city: City, branch_secretary: User, member_user: User
) -> None:
    _committee(city, branch_secretary)
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.COMMITTEE_MEETING)
    with pytest.raises(ValidationError, match="not on this activity's list"):
        services.attendance_check_in(activity=activity, actor=member_user, code=activity.checkin_code)
    assert activity.attendance.count() == 3


def test_without_seats_a_committee_meeting_still_expects_those_whose_post_says_so(
    city: City, branch_secretary: User
) -> None:
    secretary = make_member(city.east, post="党支部书记")
    make_member(city.east, post="")
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.COMMITTEE_MEETING)
    assert list(activity.attendance.values_list("member_id", flat=True)) == [secretary.pk]
    assert Attendance.objects.count() == 1

"""My branch: a Party member finds their branch, its next 三会一课 with the calendar link, and their own part."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.activities.models import Attendance
from lianxin.activities.selectors.planning import attendance_in_year
from lianxin.activities.services.planning import activity_hold, attendance_record
from lianxin.activities.tests.factories import make_activity
from lianxin.community.tests.factories import make_claim, make_post, make_report
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.services import committee_seat_fill
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, signed_up

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _page(client: Client, user: User) -> str:
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("workbench:my_branch"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_finds_the_secretary_the_next_meeting_with_its_calendar_and_their_own_record(
    client: Client, city: City, member_user: User, branch_secretary: User, east_member: Member
) -> None:
    # Given a secretary, a meeting held this year that the member attended, one ahead, and one of another branch
    committee_seat_fill(
        actor=branch_secretary, organization=city.east, member=east_member, role="secretary", since=date(2024, 1, 1)
    )
    member = Member.objects.get(user=member_user)
    held = make_activity(city.east, planner=branch_secretary, starts_at=timezone.now() - timedelta(hours=3))
    attendance_record(activity=held, actor=branch_secretary, member=member, status=Attendance.Status.PRESENT)
    activity_hold(activity=held, actor=branch_secretary, minutes="学习党章", topic="党章", host="李红", recorder="王海")
    in_three_days = timezone.now() + timedelta(days=3)
    make_activity(city.east, planner=branch_secretary, title="十二月主题党日", starts_at=in_three_days)
    west_admin = user_create(username="west_admin", password=PASSWORD, display_name="west_admin")
    given_role(user=west_admin, role=RoleAssignment.Role.ORG_ADMIN, organization=city.west)
    make_activity(city.west, planner=west_admin, title="西社区党课")
    # and a volunteer session ahead and a community report with a claimed post
    session = make_session(make_led_team(city.east), title="冬季义诊")
    signed_up(session, member_user)
    make_report(member_user, city.west, approver=west_admin)
    make_claim(make_post(city.west, west_admin, title="楼道清扫"), member_user)

    html = _page(client, member_user)

    assert "东社区党支部" in html and "李红" in html  # the branch and its secretary
    assert "十二月主题党日" in html and "西社区党课" not in html
    assert ".ics" in html and 'id="branch-feed"' in html
    year = attendance_in_year(member, timezone.localdate().year)
    assert (year.held, year.attended) == (1, 1)
    assert 'id="attendance"' in html and '<strong class="tile-n">1</strong><span class="tile-label">attended' in html
    assert "冬季义诊" in html and "楼道清扫" in html
    assert "My development step" not in html  # a full member is not on the pipeline


def test_an_applicant_sees_their_development_step_and_what_is_still_needed(
    client: Client, city: City, db: None
) -> None:
    user = user_create(username="applicant", password=PASSWORD, display_name="applicant")
    given_role(user=user, role=RoleAssignment.Role.MEMBER, organization=None)
    applicant = make_member(
        city.east,
        category=Member.Category.APPLICANT,
        applied_on=timezone.localdate() - timedelta(days=20),
        activist_on=None,
        candidate_on=None,
        joined_on=None,
        full_on=None,
    )
    applicant.user = user
    applicant.save(update_fields=["user"])

    html = _page(client, user)

    assert "My development step" in html
    assert str(Member.Category.ACTIVIST.label) in html  # the next step
    assert "Nothing planned yet." in html  # no meeting ahead, said plainly


def test_an_account_without_a_roster_record_has_no_branch(client: Client, resident: User) -> None:
    assert client.login(username=resident.username, password=PASSWORD)
    assert client.get(reverse("workbench:my_branch")).status_code == 404
    assert f'href="{reverse("workbench:my_branch")}"' not in client.get(reverse("home")).content.decode()

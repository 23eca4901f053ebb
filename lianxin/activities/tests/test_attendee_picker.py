"""Adding someone to an activity's list: the person is chosen with the member picker among the
current members of the activity's own organization not yet listed; anyone else is refused with a
clear message and the list is unchanged."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.forms.planning import AddAttendeeForm
from lianxin.activities.models import Attendance, Kind
from lianxin.activities.selectors.planning import member_candidates
from lianxin.activities.tests.factories import make_activity
from lianxin.core.models import Event
from lianxin.core.picker import picker_kind, picker_search
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

REFUSED = "Choose someone of this organization who is not on the list yet, or enter their citizen ID or mobile number."


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _activist(city: City, name: str = "积极分子小周") -> Member:
    return make_member(
        city.east, name=name, category=Member.Category.ACTIVIST, candidate_on=None, joined_on=None, full_on=None
    )


def test_the_picker_finds_the_activist_by_pinyin_initials_and_the_form_adds_them(
    city: City, branch_secretary: User
) -> None:
    activist = _activist(city)
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE)
    kind = picker_kind("member")
    assert kind is not None

    found = picker_search(user=branch_secretary, kind=kind, query="jjfzxz")
    _client(branch_secretary).post(
        reverse("activities:activity_add", args=[activity.pk]), {"member": found[0].key, "role": "observer"}
    )

    assert [c.key for c in found] == [str(activist.pk)]
    assert activity.attendance.get(member=activist).role == Attendance.Role.OBSERVER


@pytest.mark.parametrize("who", ["west", "listed"])
def test_someone_outside_the_candidates_is_refused_and_nothing_is_written(
    who: str, city: City, district_admin: User
) -> None:
    # In the admin's roster, but of another organization, or already on this activity's list.
    person = make_member(city.west if who == "west" else city.east, name="名单外的人")
    activity = make_activity(city.east, planner=district_admin, kind=Kind.PARTY_LECTURE)
    assert activity.attendance.filter(member=person).exists() == (who == "listed")
    rows = list(activity.attendance.values_list("member_id", "role"))
    events = Event.objects.count()

    response = _client(district_admin).post(
        reverse("activities:activity_add", args=[activity.pk]), {"member": person.pk, "role": "invited"}, follow=True
    )

    assert REFUSED in response.content.decode()
    assert list(activity.attendance.values_list("member_id", "role")) == rows
    assert Event.objects.count() == events


def test_without_javascript_a_name_only_one_candidate_has_is_read(city: City, branch_secretary: User) -> None:
    activist = _activist(city, name="积极分子老陈")
    activity = make_activity(city.east, planner=branch_secretary, kind=Kind.PARTY_LECTURE)

    form = AddAttendeeForm(
        {"member_q": "积极分子老陈", "role": "observer"}, candidates=member_candidates(branch_secretary, activity)
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["member"] == activist

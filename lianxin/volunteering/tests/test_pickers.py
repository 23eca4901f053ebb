"""The user picker of a leader's sign-up: the leader finds members by name or pinyin initials and
sees a masked mobile; someone they may not sign up is refused and nothing is written."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.core.picker import picker_kind, picker_search
from lianxin.volunteering.models import SignUp
from lianxin.volunteering.tests.factories import leader_of
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, make_volunteer

pytestmark = pytest.mark.django_db


def test_a_leader_finds_a_member_by_pinyin_initials_with_a_masked_mobile(city: City) -> None:
    team = make_led_team(city.east)
    volunteer = make_volunteer(city.east, "laowang")
    kind = picker_kind("user")
    assert kind is not None
    name = volunteer.member.name
    choices = picker_search(user=leader_of(team), kind=kind, query=volunteer.member.pinyin)
    assert str(volunteer.pk) in [c.key for c in choices]
    choice = next(c for c in choices if c.key == str(volunteer.pk))
    assert choice.label == name and "****" in choice.detail and "东社区党支部" in choice.detail


def test_someone_who_is_not_a_team_leader_finds_nobody(city: City, member_user: User) -> None:
    make_volunteer(city.east, "laowang")
    kind = picker_kind("user")
    assert kind is not None
    assert picker_search(user=member_user, kind=kind, query="l") == []
    assert picker_search(user=None, kind=kind, query="l") == []


def test_a_leader_cannot_sign_up_an_account_outside_the_pickers_scope(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    stranger = user_create(username="stranger", password=PASSWORD, display_name="路人")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=leader_of(team).username, password=PASSWORD)

    response = client.post(
        reverse("volunteering:session_add_volunteer", args=[session.pk]), {"login": str(stranger.pk)}, follow=True
    )

    assert "No user with that user name or mobile number." in response.content.decode()
    assert not SignUp.objects.filter(session=session, user=stranger).exists()

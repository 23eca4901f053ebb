"""The member picker: an admin finds the members of their roster by name or pinyin initials, each
with a masked mobile and the organization; members outside the roster never appear."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.picker import Choice, picker_kind, picker_search
from lianxin.members.services.roster import member_data_from, member_update
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def _search(user: User | None, text: str) -> list[Choice]:
    kind = picker_kind("member")
    assert kind is not None
    return picker_search(user=user, kind=kind, query=text)


def test_a_members_name_keeps_its_pinyin_initials_through_an_edit(city: City) -> None:
    member = make_member(city.east, name="王海")
    assert member.pinyin == "wh"
    data = member_data_from(member)
    data.name = "李海"
    member_update(actor=None, member=member, data=data)
    member.refresh_from_db()
    assert member.pinyin == "lh"


def test_a_branch_secretary_finds_their_members_by_name_and_initials_with_a_masked_mobile(
    branch_secretary: User, city: City
) -> None:
    member = make_member(city.east, name="王海", mobile="13912345678")
    make_member(city.other_branch, name="王渔")

    for text in ("王", "wh", "WH", "海"):
        choices = _search(branch_secretary, text)
        assert [c.key for c in choices] == [str(member.pk)], text
    choice = _search(branch_secretary, "wh")[0]
    assert choice.label == "王海"
    assert choice.detail == "139****5678 · 东社区党支部"
    assert "13912345678" not in repr(choice)


def test_nobody_without_a_roster_finds_a_member(member_user: User, city: City) -> None:
    make_member(city.east, name="王海")
    assert _search(member_user, "王") == []
    assert _search(None, "王") == []


def test_the_search_page_never_shows_a_full_mobile(client: Client, city_admin: User, city: City) -> None:
    make_member(city.east, name="王海", mobile="13912345678")
    assert client.login(username=city_admin.username, password=PASSWORD)
    html = client.get(reverse("picker_search", args=["member"]), {"q": "wh"}).content.decode()
    assert "王海" in html and "139****5678" in html and "13912345678" not in html

"""No picker shows a visitor anything that is not public: every registered kind is asked, signed out,
for the people and places of a populated city; people kinds answer nothing and no kind shows a
phone number, masked or not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.picker import picker_kinds, picker_search
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

PEOPLE_KINDS = {"member", "user"}


def test_every_kind_is_asked_and_the_member_signed_in_staff_would_find_is_there(
    city: City, branch_secretary: User
) -> None:
    assert set(picker_kinds()) >= PEOPLE_KINDS
    make_member(city.east, name="王海", mobile="13912345678")
    found = picker_search(user=branch_secretary, kind=picker_kinds()["member"], query="王")
    assert [c.label for c in found] == ["王海"]  # so the visitor's empty answers below mean something


@pytest.mark.parametrize("kind", sorted(picker_kinds()))
def test_a_visitor_finds_no_person_and_no_phone_in_any_picker(
    client: Client, city: City, branch_secretary: User, kind: str
) -> None:
    make_member(city.east, name="王海", mobile="13912345678")
    found = picker_search(user=AnonymousUser(), kind=picker_kinds()[kind], query="王")
    by_name = client.get(reverse("picker_search", args=[kind]), {"q": "王"}).content.decode()
    by_phone = client.get(reverse("picker_search", args=[kind]), {"q": "1391234"}).content.decode()
    if kind in PEOPLE_KINDS:
        assert found == []
    assert "王海" not in by_name and "王海" not in by_phone
    assert "5678" not in by_name + by_phone  # the query itself may be echoed; no number of the member is

"""An organization's timeline reads in its own words, whichever app recorded the row, and the
roster codes organizations reads members by are the members app's own."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User, UserVerb
from lianxin.core import timeline
from lianxin.members.models import Member
from lianxin.organizations import selectors
from lianxin.organizations.services import organization_dissolve

pytestmark = pytest.mark.django_db


def test_a_user_declares_the_role_verbs() -> None:
    assert timeline.verbs_of(User) is UserVerb
    assert set(UserVerb.values) == {"role_granted", "role_revoked"}


def test_the_organization_page_shows_a_dissolution_in_chinese(city: City, city_admin: User) -> None:
    organization_dissolve(actor=city_admin, organization=city.west, dissolved_on=date(2026, 3, 1), reason="村社撤并")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.login(username=city_admin.username, password=PASSWORD)
    html = client.get(reverse("organizations:detail", args=[city.west.pk])).content.decode()
    assert "已撤销" in html and "村社撤并" in html


def test_the_roster_codes_are_the_members_apps_own() -> None:
    assert selectors.FULL == Member.Category.FULL
    assert selectors.FORMER == Member.Category.FORMER
    assert tuple(selectors.PARTY_MEMBER_CATEGORIES) == tuple(Member.PARTY_MEMBER_CATEGORIES)

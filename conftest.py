"""Persona fixtures shared by every app's tests.

A small city: 城区 committee with two branches (东社区 and 西社区), and a second district
whose branch is outside the branch secretary's scope.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.core import sms
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.tests.factories import make_area, make_organization

Role = RoleAssignment.Role
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def english_messages_in_services() -> Iterator[None]:
    """Service messages read in English in assertions; pages pick their language per request."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_sms_outbox() -> Iterator[None]:
    """Each test starts with the test SMS backend's outbox empty, whatever earlier tests sent."""
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def english_platform(settings: Any) -> None:
    """Notifications are written in the platform's language; English here, so a test's assertions
    hold whatever the Chinese catalogue says."""
    settings.LANGUAGE_CODE = "en"


@dataclass
class City:
    city_area: Area
    root: Organization
    district: Organization
    east: Organization
    west: Organization
    other_district: Organization
    other_branch: Organization


@pytest.fixture
def city(db: None) -> City:
    city_area = make_area(name="海城市", kind=Area.Kind.CITY)
    district_area = make_area(name="城区", parent=city_area)
    other_area = make_area(name="岛县", parent=city_area)
    root = make_organization(name="中共海城市委员会", kind=Organization.Kind.COMMITTEE, area=city_area, code="ROOT")
    district = make_organization(
        name="中共城区委员会", kind=Organization.Kind.COMMITTEE, parent=root, area=district_area, code="D1"
    )
    east = make_organization(name="东社区党支部", parent=district, code="D1E")
    west = make_organization(name="西社区党支部", parent=district, code="D1W")
    other_district = make_organization(
        name="中共岛县委员会", kind=Organization.Kind.COMMITTEE, parent=root, area=other_area, code="D2"
    )
    other_branch = make_organization(name="渔村党支部", parent=other_district, sector="village", code="D2V")
    return City(city_area, root, district, east, west, other_district, other_branch)


def _user(username: str, role: str | None, organization: Organization | None = None) -> User:
    user = user_create(username=username, password=PASSWORD, display_name=username)
    if role:
        given_role(user=user, role=role, organization=organization)
    return user


@pytest.fixture
def city_admin(city: City) -> User:
    return _user("city_admin", Role.CITY_ADMIN)


@pytest.fixture
def district_admin(city: City) -> User:
    return _user("district_admin", Role.ORG_ADMIN, city.district)


@pytest.fixture
def branch_secretary(city: City) -> User:
    """The organization admin of 东社区党支部 only."""
    return _user("branch_secretary", Role.ORG_ADMIN, city.east)


@pytest.fixture
def member_user(city: City) -> User:
    user = _user("member", Role.MEMBER)
    member = make_member(city.east, name="王海")
    member.user = user
    member.save(update_fields=["user"])
    return user


@pytest.fixture
def handler(city: City) -> User:
    return _user("handler", Role.HANDLER, city.district)


@pytest.fixture
def resident(city: City) -> User:
    return _user("resident", Role.RESIDENT)


@pytest.fixture
def east_member(city: City) -> Member:
    return make_member(city.east, name="李红")


@pytest.fixture
def other_member(city: City) -> Member:
    return make_member(city.other_branch, name="陈渔")

"""Scopes: a role reaches its organization and everything under it, nothing else."""

import pytest

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import browse_scope, roster_scope
from lianxin.accounts.services import role_assign

pytestmark = pytest.mark.django_db


def test_a_city_admin_reaches_everything(city_admin: User, city: City) -> None:
    assert roster_scope(city_admin).everything


def test_a_branch_secretary_reaches_the_branch_only(branch_secretary: User, city: City) -> None:
    scope = roster_scope(branch_secretary)
    assert scope.contains(city.east.path)
    assert not scope.contains(city.west.path)
    assert not scope.contains(city.district.path)


def test_one_person_may_hold_roles_in_several_places(branch_secretary: User, city: City) -> None:
    role_assign(user=branch_secretary, role=RoleAssignment.Role.ORG_ADMIN, organization=city.other_branch)
    branch_secretary = User.objects.get(pk=branch_secretary.pk)
    scope = roster_scope(branch_secretary)
    assert scope.contains(city.east.path) and scope.contains(city.other_branch.path)
    assert not scope.contains(city.west.path)


def test_nested_scopes_collapse_to_the_outer_one(district_admin: User, city: City) -> None:
    role_assign(user=district_admin, role=RoleAssignment.Role.ORG_ADMIN, organization=city.east)
    district_admin = User.objects.get(pk=district_admin.pk)
    assert roster_scope(district_admin).paths == (city.district.path,)


def test_a_handler_browses_the_tree_but_not_the_roster(handler: User, city: City) -> None:
    assert browse_scope(handler).contains(city.east.path)
    assert roster_scope(handler).is_empty


def test_residents_and_members_have_no_roster_scope(resident: User, member_user: User) -> None:
    assert roster_scope(resident).is_empty
    assert roster_scope(member_user).is_empty
    assert browse_scope(resident).is_empty

"""Which subtrees are large enough to have their figures computed in the background (ADR 17)."""

from conftest import City
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import subtrees_with_branches
from lianxin.organizations.tests.factories import make_organization


def test_subtrees_are_found_level_by_level_by_their_active_branches(city: City) -> None:
    # The root holds three branches, its first district two, the second one.
    assert subtrees_with_branches(3) == [city.root.pk]
    assert subtrees_with_branches(2) == [city.root.pk, city.district.pk]
    assert subtrees_with_branches(1) == [
        city.root.pk, city.district.pk, city.east.pk, city.west.pk, city.other_district.pk, city.other_branch.pk
    ]  # fmt: skip
    assert subtrees_with_branches(4) == []


def test_groups_and_closed_branches_are_not_counted(city: City) -> None:
    make_organization(name="第一党小组", parent=city.other_branch, kind=Organization.Kind.GROUP)
    Organization.objects.filter(pk=city.west.pk).update(status=Organization.Status.DISSOLVED)

    assert subtrees_with_branches(2) == [city.root.pk]

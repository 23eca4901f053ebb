"""The member tallies equal counting the roster, for every organization, after every kind of change."""

from datetime import date, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.core.tallies import tallied_at, tallies_refresh
from lianxin.members.models import Member, MemberTally, MemberVerb
from lianxin.members.services.imports import roster_workbook_import
from lianxin.members.services.roster import member_category_move, member_leave, member_transfer
from lianxin.members.tests.factories import make_member, make_roster_row, make_roster_workbook
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import member_counts
from lianxin.organizations.services import organization_merge, organization_move
from lianxin.organizations.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple[int, str], tuple[int, int]]:
    """(own, subtree) per organization and category, counted from the roster."""
    cells = {}
    for org in Organization.objects.all():
        own = dict(org.members.values_list("category").annotate(n=Count("id")).order_by())
        below = (
            Member.objects.filter(organization__path__startswith=org.path)
            .values_list("category")
            .annotate(n=Count("id"))
            .order_by()
        )
        for category, n in below:
            cells[(org.pk, category)] = (own.get(category, 0), n)
    return cells


def tallied() -> dict[tuple[int, str], tuple[int, int]]:
    return {(t.organization_id, t.category): (t.own, t.subtree) for t in MemberTally.objects.all()}


def test_tallies_give_each_organizations_own_and_subtree_counts_by_category(city: City) -> None:
    group = make_organization(name="第一党小组", parent=city.east, kind=Organization.Kind.GROUP)
    make_member(group)
    make_member(city.east)
    make_member(city.east, category=Member.Category.ACTIVIST, joined_on=None, full_on=None, candidate_on=None)
    make_member(city.other_branch)
    assert tallied_at("members") is None

    tallies_refresh()

    assert tallied() == counted()
    assert tallied()[(city.root.pk, Member.Category.FULL)] == (0, 3)
    assert tallied()[(city.east.pk, Member.Category.FULL)] == (1, 2)
    assert tallied_at("members") is not None


def test_leaving_transfers_moves_and_merges_are_counted_exactly_by_the_next_refresh(city: City) -> None:
    people = [make_member(city.east) for _ in range(3)] + [make_member(city.west) for _ in range(2)]
    tallies_refresh()
    today = timezone.localdate()
    # when one leaves, one is transferred to another district, a branch moves and another merges into it
    member_leave(actor=None, member=people[0], reason=Member.LeaveReason.DECEASED, left_on=today)
    member_transfer(
        actor=None, member=people[1], to_organization=city.other_branch, transferred_on=today, reason="工作调动"
    )
    organization_move(actor=None, organization=city.east, new_parent=city.other_district)
    organization_merge(actor=None, source=city.west, target=city.east, merged_on=today - timedelta(days=1))
    assert tallied() != counted()

    tallies_refresh()

    assert tallied() == counted()
    counts = member_counts(nodes=[city.district, city.other_district, city.east])
    assert (counts[city.district.pk].subtree, counts[city.other_district.pk].subtree) == (0, 4)
    assert (counts[city.east.pk].direct, counts[city.east.pk].subtree) == (3, 3)


def test_category_moves_transfers_and_an_import_are_recounted_without_a_rebuild(city: City, city_admin: User) -> None:
    people = [make_member(city.east) for _ in range(3)]
    probationary = make_member(
        city.west, category=Member.Category.PROBATIONARY, joined_on=date(2025, 7, 1), full_on=None
    )
    tallies_refresh()
    today = timezone.localdate()
    # when one leaves, one transfers, a probationary member becomes full, one joins and an import
    # adds a member and moves another
    member_leave(actor=None, member=people[0], reason=Member.LeaveReason.DECEASED, left_on=today)
    member_transfer(actor=None, member=people[1], to_organization=city.west, transferred_on=today, reason="搬家")
    member_category_move(member=probationary, to=Member.Category.FULL, actor=None, verb=MemberVerb.DEVELOPMENT_STEP,
                         changes={"full_on": today})  # fmt: skip
    make_member(city.west)
    rows = [make_roster_row(city.other_branch), make_roster_row(city.other_branch, 公民身份号码=people[2].id_number)]
    result = roster_workbook_import(
        actor=city_admin, scope=roster_scope(city_admin), source=make_roster_workbook(rows), file_name="r.xlsx"
    )
    assert (result.created, result.transferred) == (1, 1)
    refreshed = tallies_refresh(names=["members"])
    # then the refresh recounts the organizations changed and their ancestors, exactly
    assert refreshed[0].full is False
    assert tallied() == counted()
    assert member_counts(nodes=[city.root])[city.root.pk].subtree == 5
    assert tallies_refresh(full=True, names=["members"])[0].cells == 0


def test_a_refresh_that_finds_nothing_changed_writes_nothing(city: City) -> None:
    make_member(city.east)
    first = tallies_refresh(names=["members"])
    again = tallies_refresh(names=["members"])
    assert first[0].cells == 3  # full members: east, its district and the root
    assert again[0].cells == 0


def test_member_counts_are_zero_for_a_node_without_party_members(city: City) -> None:
    make_member(city.east, category=Member.Category.APPLICANT, joined_on=None, full_on=None, candidate_on=None,
                activist_on=None, applied_on=date(2025, 1, 1))  # fmt: skip
    tallies_refresh()
    assert member_counts(nodes=[city.root])[city.root.pk].subtree == 0

"""Restructuring the tree keeps every record and its history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.core.models import Event
from lianxin.core.selectors import event_list_for
from lianxin.core.tallies import tallies_refresh
from lianxin.members.models import Member, Transfer
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import member_counts
from lianxin.organizations.services import (
    organization_create,
    organization_dissolve,
    organization_merge,
    organization_move,
)
from lianxin.organizations.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def test_member_counts_give_direct_and_whole_subtree_party_members(city: City) -> None:
    # given two members in each community branch, one in the other district, and an activist
    for _ in range(2):
        make_member(city.east)
        make_member(city.west)
    make_member(city.other_branch)
    make_member(city.east, category=Member.Category.ACTIVIST, joined_on=None, full_on=None, candidate_on=None)
    # when the tallies are refreshed and the district and its branches counted
    tallies_refresh()
    counts = member_counts(nodes=[city.district, city.east, city.west, city.other_district])
    # then the activist is not a Party member, and subtree counts add up the branches
    assert counts[city.east.pk].direct == 2
    assert counts[city.district.pk].direct == 0
    assert counts[city.district.pk].subtree == 4
    assert counts[city.other_district.pk].subtree == 1


def test_a_duplicate_code_is_refused_and_nothing_is_created(city: City) -> None:
    before = Organization.objects.count()
    with pytest.raises(ValidationError, match="D1E"):
        organization_create(
            actor=None,
            name="重复",
            code="D1E",
            kind="branch",
            sector="community",
            area=city.city_area,
            parent=city.district,
        )
    assert Organization.objects.count() == before


def test_moving_an_organization_carries_its_subtree_and_members(city: City) -> None:
    group = make_organization(name="第一党小组", parent=city.east, kind=Organization.Kind.GROUP)
    make_member(group)
    organization_move(actor=None, organization=city.east, new_parent=city.other_district)
    city.east.refresh_from_db()
    group.refresh_from_db()
    assert Organization.objects.get_parent(city.east) == city.other_district
    assert group.path.startswith(city.east.path)
    tallies_refresh()
    assert member_counts(nodes=[city.other_district])[city.other_district.pk].subtree == 1
    assert event_list_for(city.east).filter(verb="moved").exists()


def test_an_organization_cannot_move_under_its_own_subtree(city: City) -> None:
    with pytest.raises(ValidationError):
        organization_move(actor=None, organization=city.district, new_parent=city.east)
    city.district.refresh_from_db()
    assert Organization.objects.get_parent(city.district) == city.root


def test_merging_transfers_members_and_keeps_the_merged_organization_on_record(city: City) -> None:
    member = make_member(city.west)
    organization_merge(
        actor=None, source=city.west, target=city.east, merged_on=date(2026, 1, 5), letter_number="合2026-1"
    )
    city.west.refresh_from_db()
    member.refresh_from_db()
    assert city.west.status == Organization.Status.MERGED
    assert city.west.merged_into == city.east
    assert member.organization == city.east
    transfer = Transfer.objects.get(member=member)
    assert transfer.from_organization == city.west
    assert transfer.letter_number == "合2026-1"
    assert event_list_for(city.west).filter(verb="merged").exists()


def test_a_failed_merge_changes_nothing(city: City) -> None:
    make_member(city.east)
    events_before = Event.objects.count()
    with pytest.raises(ValidationError):
        organization_merge(actor=None, source=city.district, target=city.east, merged_on=date(2026, 1, 5))
    assert Event.objects.count() == events_before
    assert Member.objects.filter(organization=city.east).count() == 1
    city.district.refresh_from_db()
    assert city.district.is_active


def test_an_organization_with_members_cannot_be_dissolved(city: City) -> None:
    make_member(city.east)
    with pytest.raises(ValidationError, match="Transfer the members"):
        organization_dissolve(actor=None, organization=city.east, dissolved_on=date(2026, 3, 1), reason="撤并")
    city.east.refresh_from_db()
    assert city.east.is_active


def test_dissolving_an_empty_organization_keeps_its_record_and_history(city: City) -> None:
    organization_dissolve(actor=None, organization=city.west, dissolved_on=date(2026, 3, 1), reason="村社撤并")
    city.west.refresh_from_db()
    assert city.west.status == Organization.Status.DISSOLVED
    assert city.west.closed_on == date(2026, 3, 1)
    assert [e.verb for e in event_list_for(city.west)] == ["dissolved", "created"]


def test_term_end_warning_starts_90_days_before_the_term_ends(city: City) -> None:
    city.east.term_ends_on = date(2026, 12, 31)
    assert not city.east.term_end_due(date(2026, 10, 1))
    assert city.east.term_end_due(date(2026, 10, 2))
    assert city.east.term_end_due(date(2027, 2, 1))

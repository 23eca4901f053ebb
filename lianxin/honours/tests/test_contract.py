"""The contract the care app reads: honoured_member_ids by years, kinds and members."""

from datetime import date

import pytest
import time_machine
from django.template import Context, Template

from conftest import City
from lianxin.accounts.models import User
from lianxin.honours.models import MedalAward, Nomination
from lianxin.honours.selectors import honoured_member_ids, honours_of_member
from lianxin.honours.services.medals import medal_confirm, medal_issue
from lianxin.honours.tests.helpers import OM, at, old_member, open_round
from lianxin.members.models import Member

pytestmark = pytest.mark.django_db


def given_an_approved_award(city: City, actor: User, member: Member) -> None:
    round_ = open_round(actor, city.district)
    Nomination.objects.create(
        round=round_,
        kind=OM,
        nominated_by=city.district,
        member=member,
        name=member.name,
        unit=city.east.name,
        deeds="带头",
        status=Nomination.Status.APPROVED,
    )


def test_an_approved_award_and_an_issued_medal_are_honours_of_their_year(city: City, district_admin: User) -> None:
    awarded = old_member(city.east, full_on=date(1990, 1, 1))
    medalled = old_member(city.east, full_on=date(1976, 7, 1))
    given_an_approved_award(city, district_admin, awarded)
    with time_machine.travel(at(date(2026, 6, 20)), tick=False):
        award = medal_confirm(actor=district_admin, member=medalled, year=2026)
        medal_issue(
            actor=district_admin,
            award=award,
            way=MedalAward.Way.HOME,
            issued_on=date(2026, 6, 20),
            delivered_by="张书记",
        )

    assert honoured_member_ids(years=[2026], kinds=["outstanding_member", "medal_50"]) == {awarded.pk, medalled.pk}
    assert honoured_member_ids(years=[2026], kinds=["medal_50"]) == {medalled.pk}
    assert honoured_member_ids(years=[2026], kinds=["outstanding_worker"]) == set()
    assert honoured_member_ids(years=[2025], kinds=["outstanding_member", "medal_50"]) == set()
    assert honoured_member_ids(years=[2026], kinds=["outstanding_member"], member_ids=[medalled.pk]) == set()
    assert honoured_member_ids(years=[2026], kinds=["outstanding_member"], member_ids=[]) == set()
    assert [h.year for h in honours_of_member(medalled.pk)] == [2026]


def test_a_medal_confirmed_but_not_issued_is_not_an_honour(city: City, district_admin: User) -> None:
    member = old_member(city.east, full_on=date(1976, 1, 1))
    medal_confirm(actor=district_admin, member=member, year=2026)

    assert honoured_member_ids(years=[2026], kinds=["medal_50"]) == set()


def test_the_honours_partial_reads_a_members_and_an_organizations_honours(city: City, district_admin: User) -> None:

    member = old_member(city.east, full_on=date(1990, 1, 1), name="何荣")
    given_an_approved_award(city, district_admin, member)
    page = Template("{% load honours %}{% member_honours member %}{% organization_honours org %}")

    html = page.render(Context({"member": member, "org": city.east}))

    assert "2026" in html and "outstanding Communist Party member" in html and "中共城区委员会" in html
    assert "No honours on record." in html  # the branch itself holds none

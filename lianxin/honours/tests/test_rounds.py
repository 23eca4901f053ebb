"""A 两优一先 round: quotas down the tree, nominations within them, review up, publicity, approval."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import Event, Holiday
from lianxin.honours.models import HonourRound, Nomination, Objection, Quota
from lianxin.honours.selectors.rounds import access_round, public_entries
from lianxin.honours.services import nominations as nominating
from lianxin.honours.services.nominations import nomination_create, nomination_review
from lianxin.honours.services.rounds import (
    objection_decide,
    objection_record,
    quota_set,
    round_approve,
    round_open,
    round_publicity_start,
)
from lianxin.honours.tests.helpers import OM, at, old_member, open_round
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 28)


def test_a_district_hands_its_quota_to_branches_but_never_more_than_it_holds(city: City, district_admin: User) -> None:
    round_ = open_round(district_admin, city.district, quota=3)
    quota_set(actor=district_admin, round=round_, organization=city.east, kind=OM, count=2)
    quota_set(actor=district_admin, round=round_, organization=city.west, kind=OM, count=1)

    with pytest.raises(ValidationError) as refused:
        quota_set(actor=district_admin, round=round_, organization=city.west, kind=OM, count=2)

    assert refused.value.code == "quota_exhausted"
    assert "1 places" in refused.value.messages[0]
    assert Quota.objects.get(round=round_, organization=city.west).count == 1


def test_a_quota_cannot_go_below_what_is_used(city: City, district_admin: User, east_member: Member) -> None:
    round_ = open_round(district_admin, city.district, quota=3)
    quota_set(actor=district_admin, round=round_, organization=city.east, kind=OM, count=1)
    nomination_create(
        actor=district_admin, round=round_, nominated_by=city.east, kind=OM, member=east_member, deeds="带头"
    )

    with pytest.raises(ValidationError) as refused:
        quota_set(actor=district_admin, round=round_, organization=city.east, kind=OM, count=0)

    assert refused.value.code == "quota_below_use"


def test_a_branch_cannot_hand_out_its_districts_quota(city: City, branch_secretary: User, district_admin: User) -> None:
    round_ = open_round(district_admin, city.district)

    with pytest.raises(ValidationError) as refused:
        quota_set(actor=branch_secretary, round=round_, organization=city.west, kind=OM, count=1)

    assert refused.value.code == "forbidden"
    assert not Quota.objects.filter(organization=city.west).exists()


def test_a_nomination_beyond_the_quota_is_refused_and_nothing_written(city: City, district_admin: User) -> None:
    round_ = open_round(district_admin, city.district, quota=1)
    quota_set(actor=district_admin, round=round_, organization=city.east, kind=OM, count=1)
    first, second = make_member(city.east), make_member(city.east)
    nomination_create(actor=district_admin, round=round_, nominated_by=city.east, kind=OM, member=first, deeds="甲")

    with pytest.raises(ValidationError) as refused:
        nomination_create(
            actor=district_admin, round=round_, nominated_by=city.east, kind=OM, member=second, deeds="乙"
        )

    assert refused.value.code == "quota_exhausted"
    assert "used up" in refused.value.messages[0]
    assert Nomination.objects.filter(round=round_).count() == 1


def test_a_member_outside_the_nominators_subtree_is_refused(
    city: City, district_admin: User, other_member: Member
) -> None:
    round_ = open_round(district_admin, city.district)

    with pytest.raises(ValidationError) as refused:
        nomination_create(
            actor=district_admin, round=round_, nominated_by=city.district, kind=OM, member=other_member, deeds="x"
        )

    assert refused.value.code == "not_in_subtree"
    assert not Nomination.objects.exists()


def test_empty_deeds_are_refused(city: City, district_admin: User, east_member: Member) -> None:
    round_ = open_round(district_admin, city.district)

    with pytest.raises(ValidationError) as refused:
        nomination_create(
            actor=district_admin, round=round_, nominated_by=city.district, kind=OM, member=east_member, deeds="  "
        )

    assert refused.value.code == "no_deeds"
    assert not Nomination.objects.exists()


def test_eligibility_warns_with_each_reason_and_does_not_block(
    city: City, district_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    probationary = make_member(city.east, category=Member.Category.PROBATIONARY, full_on=None)
    monkeypatch.setattr(nominating, "months_behind", lambda *, member_ids, on: {m: 7 for m in member_ids})
    round_ = open_round(district_admin, city.district)

    nomination = nomination_create(
        actor=district_admin, round=round_, nominated_by=city.district, kind=OM, member=probationary, deeds="x"
    )

    assert nomination.warnings == ["not_full_member", "discipline_not_confirmed", "dues_in_arrears"]


def test_a_full_member_confirmed_clean_and_paid_up_has_no_warning(
    city: City, district_admin: User, east_member: Member
) -> None:
    round_ = open_round(district_admin, city.district)

    nomination = nomination_create(
        actor=district_admin,
        round=round_,
        nominated_by=city.district,
        kind=OM,
        member=east_member,
        deeds="x",
        no_discipline_confirmed=True,
    )

    assert nomination.warnings == []


def test_a_member_already_honoured_this_year_is_warned_of(
    city: City, city_admin: User, district_admin: User, east_member: Member
) -> None:
    city_round = open_round(city_admin, city.root)
    Nomination.objects.create(
        round=city_round,
        kind=OM,
        nominated_by=city.root,
        member=east_member,
        name="李红",
        unit="x",
        deeds="x",
        status=Nomination.Status.APPROVED,
    )
    district_round = open_round(district_admin, city.district)

    nomination = nomination_create(
        actor=district_admin,
        round=district_round,
        nominated_by=city.district,
        kind=OM,
        member=east_member,
        deeds="x",
        no_discipline_confirmed=True,
    )
    last_year = open_round(district_admin, city.west, year=2025)
    other = make_member(city.west)
    Nomination.objects.create(
        round=last_year,
        kind=OM,
        nominated_by=city.west,
        member=other,
        name="x",
        unit="x",
        deeds="x",
        status=Nomination.Status.APPROVED,
    )
    nominated_again = nomination_create(
        actor=district_admin,
        round=district_round,
        nominated_by=city.district,
        kind=OM,
        member=other,
        deeds="x",
        no_discipline_confirmed=True,
    )

    assert nomination.warnings == ["already_honoured"]
    assert nominated_again.warnings == []


def test_review_goes_up_the_tree_to_the_rounds_organization(
    city: City, city_admin: User, district_admin: User, branch_secretary: User, east_member: Member
) -> None:
    round_ = open_round(city_admin, city.root, quota=2)
    quota_set(actor=city_admin, round=round_, organization=city.district, kind=OM, count=1)
    quota_set(actor=district_admin, round=round_, organization=city.east, kind=OM, count=1)
    nomination = nomination_create(
        actor=branch_secretary, round=round_, nominated_by=city.east, kind=OM, member=east_member, deeds="x"
    )
    assert nomination.review_at == city.district

    with pytest.raises(ValidationError):
        nomination_review(actor=branch_secretary, nomination=nomination, recommend=True)
    nomination_review(actor=district_admin, nomination=nomination, recommend=True, note="同意")
    assert nomination.review_at == city.root and nomination.status == Nomination.Status.IN_REVIEW
    nomination_review(actor=city_admin, nomination=nomination, recommend=True)

    assert nomination.status == Nomination.Status.RECOMMENDED
    assert list(nomination.reviews.values_list("organization__code", flat=True)) == ["D1", "ROOT"]
    assert Event.objects.filter(verb="recommended", subject_id=nomination.pk).count() == 2


def test_not_recommending_needs_a_reason_and_frees_the_place(city: City, district_admin: User) -> None:
    round_ = open_round(district_admin, city.district, quota=1)
    first, second = make_member(city.east), make_member(city.east)
    nomination = nomination_create(
        actor=district_admin, round=round_, nominated_by=city.district, kind=OM, member=first, deeds="x"
    )

    with pytest.raises(ValidationError) as refused:
        nomination_review(actor=district_admin, nomination=nomination, recommend=False, note=" ")
    assert refused.value.code == "no_note"
    nomination_review(actor=district_admin, nomination=nomination, recommend=False, note="事迹不突出")

    assert nomination.status == Nomination.Status.NOT_RECOMMENDED
    nomination_create(actor=district_admin, round=round_, nominated_by=city.district, kind=OM, member=second, deeds="y")


def given_a_recommended_round(city: City, actor: User) -> tuple[HonourRound, Nomination]:
    round_ = open_round(actor, city.district)
    member = old_member(city.east, full_on=date(2000, 1, 1))
    nomination = nomination_create(
        actor=actor, round=round_, nominated_by=city.district, kind=OM, member=member, deeds="带头"
    )
    nomination_review(actor=actor, nomination=nomination, recommend=True)
    return round_, nomination


def test_publicity_lasts_five_working_days_across_a_holiday(city: City, district_admin: User) -> None:
    for day in (1, 2):
        Holiday.objects.create(date=date(2026, 10, day), name="国庆节")
    with time_machine.travel(at(MONDAY), tick=False):
        round_, _nomination = given_a_recommended_round(city, district_admin)
        round_publicity_start(actor=district_admin, round=round_, starts_on=MONDAY)

    # Mon 28, Tue 29, Wed 30 Sep; 1 and 2 Oct are holidays, 3-4 a weekend; Mon 5, Tue 6 Oct.
    assert round_.publicity_ends_on == date(2026, 10, 6)
    with time_machine.travel(at(date(2026, 10, 6), 23), tick=False), pytest.raises(ValidationError) as refused:
        round_approve(actor=district_admin, round=round_)
    assert refused.value.code == "publicity_running"
    assert HonourRound.objects.get(pk=round_.pk).status == HonourRound.Status.PUBLICITY
    with time_machine.travel(at(date(2026, 10, 7)), tick=False):
        round_approve(actor=district_admin, round=round_)
    assert round_.status == HonourRound.Status.APPROVED
    assert Nomination.objects.get(round=round_).status == Nomination.Status.APPROVED


def test_publicity_of_fewer_than_five_working_days_is_refused(city: City, district_admin: User) -> None:
    with time_machine.travel(at(MONDAY), tick=False):
        round_, _nomination = given_a_recommended_round(city, district_admin)
        with pytest.raises(ValidationError) as refused:
            round_publicity_start(actor=district_admin, round=round_, starts_on=MONDAY, working_days=4)

    assert refused.value.code == "publicity_days"
    assert HonourRound.objects.get(pk=round_.pk).publicity_starts_on is None


def test_publicity_waits_for_every_review(city: City, district_admin: User, east_member: Member) -> None:
    with time_machine.travel(at(MONDAY), tick=False):
        round_, _nomination = given_a_recommended_round(city, district_admin)
        nomination_create(
            actor=district_admin, round=round_, nominated_by=city.district, kind=OM, member=east_member, deeds="x"
        )
        with pytest.raises(ValidationError) as refused:
            round_publicity_start(actor=district_admin, round=round_, starts_on=MONDAY)

    assert refused.value.code == "review_pending"


def test_an_upheld_objection_withdraws_the_nomination_and_a_pending_one_holds_approval(
    city: City, district_admin: User
) -> None:
    with time_machine.travel(at(MONDAY), tick=False):
        round_, nomination = given_a_recommended_round(city, district_admin)
        round_publicity_start(actor=district_admin, round=round_, starts_on=MONDAY)
        objection = objection_record(
            actor=district_admin, nomination=nomination, received_on=MONDAY, content="有违纪举报"
        )
    with time_machine.travel(at(date(2026, 10, 12)), tick=False):
        with pytest.raises(ValidationError) as refused:
            round_approve(actor=district_admin, round=round_)
        assert refused.value.code == "objections_pending"
        objection_decide(actor=district_admin, objection=objection, upheld=True, note="经核实属实")
        assert public_entries(round_) == []
        round_approve(actor=district_admin, round=round_)

    assert Objection.objects.get().outcome == Objection.Outcome.UPHELD
    assert Nomination.objects.get().status == Nomination.Status.WITHDRAWN


def test_a_round_outside_the_viewers_subtree_is_not_found(city: City, district_admin: User, city_admin: User) -> None:
    other = round_open(actor=city_admin, owner=city.other_district, year=2026, title="岛县", quotas={OM: 1})

    with pytest.raises(Http404):
        access_round(district_admin, other.pk)
    assert access_round(city_admin, other.pk) == other


def test_a_second_round_for_the_same_year_is_refused(city: City, district_admin: User) -> None:
    open_round(district_admin, city.district)

    with pytest.raises(ValidationError) as refused:
        open_round(district_admin, city.district)

    assert refused.value.code == "duplicate"
    assert HonourRound.objects.count() == 1

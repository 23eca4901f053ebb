"""The 光荣在党50年 list: 1 July exactly, needs checking, issued at a ceremony or at home, died apart."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.honours.models import MedalAward
from lianxin.honours.selectors.medals import medal_list
from lianxin.honours.services.medals import medal_confirm, medal_issue
from lianxin.honours.tests.helpers import at, old_member
from lianxin.members.models import Member

pytestmark = pytest.mark.django_db

JUNE = date(2026, 6, 20)


def test_party_age_reaches_fifty_on_1_july_exactly_and_not_a_day_later(city: City) -> None:
    on_the_day = old_member(city.east, full_on=date(1976, 7, 1))
    a_day_late = old_member(city.east, full_on=date(1976, 7, 2))

    found = medal_list(city.district, 2026)

    assert on_the_day in found.not_issued
    assert a_day_late not in found.not_issued
    assert found.eligible_count == 1


def test_a_member_without_a_full_membership_date_is_listed_apart_never_guessed(city: City) -> None:
    missing = old_member(city.east, full_on=None)

    found = medal_list(city.district, 2026)

    assert found.needs_checking == [missing]
    assert missing not in found.not_issued


def test_members_who_died_before_issuance_are_kept_apart(city: City) -> None:
    died = old_member(city.east, full_on=date(1970, 1, 1))
    Member.objects.filter(pk=died.pk).update(
        category=Member.Category.FORMER, leave_reason=Member.LeaveReason.DECEASED, left_on=date(2026, 3, 1)
    )
    old_member(city.other_branch, full_on=date(1970, 1, 1))

    found = medal_list(city.district, 2026)

    assert [m.pk for m in found.died] == [died.pk]
    assert found.eligible_count == 0


def test_counts_by_district_follow_the_subtree(city: City, city_admin: User) -> None:
    issued = old_member(city.east, full_on=date(1970, 1, 1))
    old_member(city.west, full_on=date(1970, 1, 1))
    old_member(city.other_branch, full_on=date(1970, 1, 1))
    with time_machine.travel(at(JUNE), tick=False):
        award = medal_confirm(actor=city_admin, member=issued, year=2026)
        medal_issue(actor=city_admin, award=award, way="home", issued_on=JUNE, delivered_by="张")

    counts = {
        c.organization.code: (c.eligible, c.issued, c.not_issued) for c in medal_list(city.root, 2026).by_district
    }

    assert counts == {"D1": (2, 1, 1), "D2": (1, 0, 1)}


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return SimpleUploadedFile("x.png", out.getvalue(), content_type="image/png")


def test_a_medal_delivered_home_keeps_who_when_and_a_reencoded_photo(city: City, branch_secretary: User) -> None:
    member = old_member(city.east, full_on=date(1975, 1, 1))
    with time_machine.travel(at(JUNE), tick=False):
        award = medal_confirm(actor=branch_secretary, member=member, year=2026, note="表现良好")
        medal_issue(
            actor=branch_secretary, award=award, way="home", issued_on=JUNE, delivered_by="张书记", photo=_jpeg()
        )

    award.refresh_from_db()
    assert (award.status, award.delivered_by, award.issued_on) == (MedalAward.Status.ISSUED, "张书记", JUNE)
    assert award.photo.name.endswith(".jpg")
    assert Event.objects.filter(subject_id=award.pk, verb__in=["confirmed", "issued"]).count() == 2
    assert member in medal_list(city.district, 2026).issued


def test_a_ceremony_needs_which_where_and_who_presented_and_nothing_is_written_without(
    city: City, branch_secretary: User
) -> None:
    member = old_member(city.east, full_on=date(1975, 1, 1))
    with time_machine.travel(at(JUNE), tick=False):
        award = medal_confirm(actor=branch_secretary, member=member, year=2026)
        with pytest.raises(ValidationError) as refused:
            medal_issue(
                actor=branch_secretary, award=award, way="ceremony", issued_on=JUNE, ceremony="七一大会", place=""
            )

    assert refused.value.code == "ceremony_details"
    assert MedalAward.objects.get().status == MedalAward.Status.CONFIRMED


def test_a_broken_photo_is_refused_and_the_medal_stays_unissued(city: City, branch_secretary: User) -> None:
    member = old_member(city.east, full_on=date(1975, 1, 1))
    with time_machine.travel(at(JUNE), tick=False):
        award = medal_confirm(actor=branch_secretary, member=member, year=2026)
        with pytest.raises(ValidationError) as refused:
            medal_issue(
                actor=branch_secretary,
                award=award,
                way="home",
                issued_on=JUNE,
                delivered_by="张",
                photo=SimpleUploadedFile("a.jpg", b"not a photo", content_type="image/jpeg"),
            )

    assert refused.value.code == "photo_type"
    assert MedalAward.objects.get().status == MedalAward.Status.CONFIRMED


def test_confirming_a_member_not_yet_fifty_or_without_a_date_is_refused(city: City, branch_secretary: User) -> None:
    young = old_member(city.east, full_on=date(1976, 7, 2))
    missing = old_member(city.east, full_on=None)

    codes = []
    for member in (young, missing):
        with pytest.raises(ValidationError) as refused:
            medal_confirm(actor=branch_secretary, member=member, year=2026)
        codes.append(refused.value.code)

    assert codes == ["not_fifty", "needs_checking"]
    assert not MedalAward.objects.exists()


def test_a_member_outside_the_secretarys_branch_cannot_be_confirmed(city: City, branch_secretary: User) -> None:
    member = old_member(city.west, full_on=date(1970, 1, 1))

    with pytest.raises(ValidationError) as refused:
        medal_confirm(actor=branch_secretary, member=member, year=2026)

    assert refused.value.code == "forbidden"
    assert not MedalAward.objects.exists()


def test_a_member_who_died_after_confirmation_is_not_issued(city: City, branch_secretary: User) -> None:
    member = old_member(city.east, full_on=date(1970, 1, 1))
    award = medal_confirm(actor=branch_secretary, member=member, year=2026)
    Member.objects.filter(pk=member.pk).update(
        category=Member.Category.FORMER, leave_reason=Member.LeaveReason.DECEASED, left_on=date(2026, 5, 1)
    )
    award.member.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        medal_issue(actor=branch_secretary, award=award, way="home", issued_on=date(2026, 5, 2), delivered_by="张")

    assert refused.value.code == "not_living_full"
    assert [m.pk for m in medal_list(city.district, 2026).died] == [member.pk]

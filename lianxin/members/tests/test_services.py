"""Roster rules on create, update, transfer and leave; nothing half-written on error."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from conftest import City
from lianxin.core.models import Event
from lianxin.core.selectors import event_list_for
from lianxin.members.models import Member, Transfer
from lianxin.members.rules.roster import MemberDates, date_errors, medal_year_reached, member_warnings
from lianxin.members.services.roster import (
    member_create,
    member_data_from,
    member_leave,
    member_transfer,
    member_update,
)
from lianxin.members.tests.factories import make_id_number, make_member, make_member_data

pytestmark = pytest.mark.django_db


def test_sex_and_birth_date_come_from_the_id_number(city: City) -> None:
    member = make_member(city.east, id_number=make_id_number(date(1974, 7, 1), female=True))
    assert member.birth_date == date(1974, 7, 1)
    assert member.sex == Member.Sex.FEMALE


def test_the_id_number_is_encrypted_at_rest_and_masked_for_display(city: City) -> None:
    id_number = make_id_number(date(1974, 7, 1))
    member = make_member(city.east, id_number=id_number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_member WHERE id = %s", [member.pk])
        stored = cursor.fetchone()[0]
    assert id_number not in stored
    assert Member.objects.get(pk=member.pk).id_number == id_number
    assert member.id_number_masked == id_number[:4] + "*" * 10 + id_number[-4:]


def test_a_duplicate_id_number_is_refused_and_nothing_is_written(city: City) -> None:
    id_number = make_id_number(date(1980, 1, 1))
    make_member(city.east, id_number=id_number)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="already exists"):
        make_member(city.west, id_number=id_number.lower())
    assert Member.objects.count() == 1
    assert Event.objects.count() == events


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_on": date(2004, 1, 1)}, "cannot come before joining"),
        (
            {
                "birth": date(1990, 1, 1),
                "applied_on": None,
                "activist_on": None,
                "candidate_on": None,
                "joined_on": date(2007, 1, 1),
                "full_on": date(2008, 1, 1),
            },
            "before the 18th birthday",
        ),
        ({"joined_on": date(2099, 1, 1), "full_on": None, "category": "probationary"}, "in the future"),
        ({"category": "probationary"}, "probationary member has no full membership date"),
        ({"joined_on": None, "full_on": None}, "full member needs a joining date"),
        ({"birth_date": date(1981, 1, 1)}, "does not match the ID number"),
    ],
)
def test_dates_that_break_the_rules_are_refused(city: City, overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        member_create(actor=None, data=make_member_data(city.east, **overrides))
    assert Member.objects.count() == 0


def test_two_members_never_share_an_id_number_in_the_database(city: City) -> None:
    first, second = make_member(city.east), make_member(city.west)

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=second.pk).update(id_number_hash=first.id_number_hash)


def test_the_hashes_are_indexed_without_a_pattern_copy() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pattern (LIKE) copies of indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'members_member' AND indexdef LIKE '%%_hash%%'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    # one unique index for the ID number, one index for the mobile; nobody searches a hash by prefix
    assert len(definitions) == 2 and not any("pattern_ops" in d for d in definitions)


def test_a_date_message_names_the_date_in_the_language_it_is_read_in() -> None:
    dates = MemberDates(
        birth_date=date(1980, 1, 1),
        category="probationary",
        applied_on=date(2005, 1, 1),
        activist_on=date(2006, 1, 1),
        candidate_on=date(2007, 1, 1),
        joined_on=date(2099, 1, 1),
    )

    with translation.override("en"):
        english = date_errors(dates, date(2026, 12, 7))
    with translation.override("zh-hans"):
        chinese = date_errors(dates, date(2026, 12, 7))

    assert english == ["The joining date 2099-01-01 is in the future."]
    assert chinese == ["入党日期（2099-01-01）晚于今天。"]


def test_an_update_records_what_changed_on_the_timeline(city: City) -> None:
    member = make_member(city.east, work_unit="海城渔业公司")
    data = member_data_from(member)
    data.work_unit = "海城港务局"
    member_update(actor=None, member=member, data=data)
    event = event_list_for(member).first()
    assert event is not None and event.verb == "updated"
    assert event.data["changes"]["work_unit"] == ["海城渔业公司", "海城港务局"]


def test_an_update_that_changes_nothing_leaves_no_event(city: City) -> None:
    member = make_member(city.east)
    member_update(actor=None, member=member, data=member_data_from(member))
    assert event_list_for(member).count() == 1


def test_a_transfer_keeps_the_history_and_moves_the_member(city: City) -> None:
    member = make_member(city.east)
    member_transfer(
        actor=None,
        member=member,
        to_organization=city.other_branch,
        transferred_on=date(2026, 3, 1),
        letter_number="舟组转2026-18",
        reason="工作调动",
    )
    member.refresh_from_db()
    assert member.organization == city.other_branch
    transfer = Transfer.objects.get(member=member)
    assert (transfer.from_organization, transfer.letter_number) == (city.east, "舟组转2026-18")
    event = event_list_for(member).first()
    assert event is not None and event.verb == "transferred"


def test_a_transfer_without_a_reason_is_refused(city: City) -> None:
    member = make_member(city.east)
    with pytest.raises(ValidationError):
        member_transfer(
            actor=None, member=member, to_organization=city.west, transferred_on=date(2026, 3, 1), reason=" "
        )
    member.refresh_from_db()
    assert member.organization == city.east
    assert not Transfer.objects.exists()


def test_a_deceased_member_becomes_a_former_member_with_the_reason(city: City) -> None:
    member = make_member(city.east)
    member_leave(actor=None, member=member, reason=Member.LeaveReason.DECEASED, left_on=date(2026, 2, 1))
    member.refresh_from_db()
    assert (member.category, member.leave_reason) == (Member.Category.FORMER, Member.LeaveReason.DECEASED)


def test_party_age_counts_whole_years_from_full_membership(city: City) -> None:
    member = make_member(city.east, full_on=date(2006, 7, 1))
    assert member.party_age(date(2026, 6, 30)) == 19
    assert member.party_age(date(2026, 7, 1)) == 20


def test_a_member_reaching_50_years_by_1_july_is_medal_eligible(city: City) -> None:
    member = make_member(
        city.east,
        birth=date(1950, 3, 3),
        applied_on=None,
        activist_on=None,
        candidate_on=None,
        joined_on=date(1975, 6, 30),
        full_on=date(1976, 7, 1),
    )
    assert medal_year_reached(member, 2026)
    assert not medal_year_reached(member, 2025)


def test_overdue_probation_and_long_lost_contact_are_warned(city: City) -> None:
    member = make_member(
        city.east,
        category="probationary",
        joined_on=date(2024, 6, 1),
        full_on=None,
        is_lost_contact=True,
        lost_contact_since=date(2026, 1, 1),
    )
    codes = {w.code for w in member_warnings(member, date(2026, 11, 22))}
    assert codes == {"probation_overdue", "lost_contact"}
    assert member_warnings(member, date(2025, 6, 1)) == []

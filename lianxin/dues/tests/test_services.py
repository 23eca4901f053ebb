from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.dues.models import Assessment, DuesAccount, Handover, Payment
from lianxin.dues.rules.standard import Basis
from lianxin.dues.selectors import months_behind
from lianxin.dues.services.handovers import handover_record
from lianxin.dues.services.ledger import PaymentInput, assessment_set, payment_record, payment_void
from lianxin.dues.tests.factories import TODAY, assessed_member, pay
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_an_assessment_opens_the_account_from_january_and_is_on_the_timeline(city: City) -> None:
    member = assessed_member(city.east, monthly="15.00")
    account = DuesAccount.objects.get(member=member)
    assert account.paid_through == date(2025, 12, 1)
    assert Event.objects.filter(subject_id=member.pk, verb="assessed").exists()


def test_a_member_who_joined_during_the_year_owes_from_their_month(city: City) -> None:
    member = make_member(city.east, category=Member.Category.PROBATIONARY, joined_on=date(2026, 7, 1), full_on=None)
    assessment_set(
        actor=None, member=member, year=2026, basis=Basis.STUDENT, monthly_amount=Decimal("0.20"), today=TODAY
    )
    assert DuesAccount.objects.get(member=member).paid_through == date(2026, 6, 1)


def test_an_amount_outside_the_band_is_refused_and_nothing_is_written(city: City) -> None:
    member = make_member(city.east)
    with pytest.raises(ValidationError, match=r"0\.01–15\.00"):
        assessment_set(
            actor=None,
            member=member,
            year=2026,
            basis=Basis.EMPLOYED_3000,
            monthly_amount=Decimal("15.01"),
            today=TODAY,
        )
    assert not Assessment.objects.exists() and not DuesAccount.objects.exists()


def test_only_party_members_are_assessed(city: City) -> None:
    applicant = make_member(
        city.east, category=Member.Category.APPLICANT, activist_on=None, candidate_on=None, joined_on=None, full_on=None
    )
    with pytest.raises(ValidationError, match="not a Party member"):
        assessment_set(
            actor=None, member=applicant, year=2026, basis=Basis.STUDENT, monthly_amount=Decimal("0.20"), today=TODAY
        )
    assert not Assessment.objects.exists()


def test_an_admin_of_another_branch_may_not_assess(city: City, branch_secretary: User, other_member: Member) -> None:
    with pytest.raises(ValidationError, match="may not"):
        assessment_set(
            actor=branch_secretary, member=other_member, year=2026, basis=Basis.STUDENT, monthly_amount=Decimal("0.20")
        )
    assert not Assessment.objects.exists()


def test_a_regular_payment_moves_paid_up_to_and_numbers_its_receipt(city: City) -> None:
    member = assessed_member(city.east)
    first = pay(member, date(2026, 3, 1), "30.00")
    second = pay(member, date(2026, 4, 1), "10.00")
    assert (first.receipt_number, second.receipt_number) == (1, 2)
    assert (second.months_from, second.months, second.receipt) == (date(2026, 4, 1), 1, "2026-00002")
    assert DuesAccount.objects.get(member=member).paid_through == date(2026, 4, 1)


def test_receipt_numbers_run_per_organization(city: City) -> None:
    east = assessed_member(city.east)
    west = assessed_member(city.west)
    assert pay(east, date(2026, 1, 1), "10.00").receipt_number == 1
    assert pay(west, date(2026, 1, 1), "10.00").receipt_number == 1


def test_months_already_paid_are_refused_and_nothing_is_written(city: City) -> None:
    member = assessed_member(city.east)
    pay(member, date(2026, 3, 1), "30.00")
    with pytest.raises(ValidationError, match="already paid up to 2026-03"):
        pay(member, date(2026, 5, 1), "30.00", months_from=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="no month unpaid"):
        pay(member, date(2026, 6, 1), "20.00", months_from=date(2026, 5, 1))
    assert Payment.objects.count() == 1
    assert DuesAccount.objects.get(member=member).paid_through == date(2026, 3, 1)


def test_a_regular_payment_must_be_the_monthly_amount_times_the_months(city: City) -> None:
    member = assessed_member(city.east)
    with pytest.raises(ValidationError, match=r"come to 30\.00 yuan, not 29\.99"):
        pay(member, date(2026, 3, 1), "29.99")
    assert not Payment.objects.exists()
    back = pay(member, date(2026, 3, 1), "29.99", kind=Payment.Kind.BACK)
    assert back.months == 3


def test_a_back_payment_covers_past_months_only(city: City) -> None:
    member = assessed_member(city.east)
    pay(member, date(2026, 10, 1), "100.00")
    with pytest.raises(ValidationError, match="back payment"):
        pay(member, date(2026, 11, 1), "10.00", kind=Payment.Kind.BACK, paid_on=date(2026, 11, 5))
    assert Payment.objects.count() == 1


def test_a_month_of_an_unassessed_year_is_refused(city: City) -> None:
    member = assessed_member(city.east)
    with pytest.raises(ValidationError, match="no dues assessment for 2027"):
        pay(member, date(2027, 1, 1), "130.00", paid_on=date(2026, 12, 1))
    assert not Payment.objects.exists()


@pytest.mark.parametrize(("amount", "for_centre"), [("999.99", False), ("1000.00", True)])
def test_a_single_payment_of_1000_yuan_is_flagged_for_the_centre(city: City, amount: str, for_centre: bool) -> None:
    member = assessed_member(city.east)
    donation = pay(member, None, amount, kind=Payment.Kind.DONATION)  # type: ignore[arg-type]
    assert donation.for_centre is for_centre
    assert (donation.months, donation.months_from) == (0, None)
    assert DuesAccount.objects.get(member=member).paid_through == date(2025, 12, 1)


def test_six_months_of_arrears_exactly_is_behind_six(city: City) -> None:
    member = assessed_member(city.east)
    pay(member, date(2026, 5, 1), "50.00")
    assert months_behind(member_ids=[member.pk], on=date(2026, 12, 1)) == {member.pk: 6}
    assert months_behind(member_ids=[member.pk], on=date(2026, 11, 30)) == {member.pk: 5}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": Decimal("0")}, "more than 0"),
        ({"amount": Decimal("-5")}, "more than 0"),
        ({"amount": Decimal("10.001")}, "two decimals"),
        ({"amount": Decimal("100000.01")}, "over"),
        ({"paid_on": date(2026, 12, 8)}, "future"),
        ({"months_to": date(2026, 1, 1), "months_from": date(2026, 2, 1)}, "gap|unpaid"),
        ({"months_to": date(2027, 12, 1)}, "ahead"),
        ({"method": "cheque"}, "method"),
    ],
)
def test_a_bad_payment_is_refused_with_its_reason_and_nothing_is_written(
    city: City, change: dict[str, object], message: str
) -> None:
    member = assessed_member(city.east)
    values: dict[str, object] = {
        "member": member,
        "kind": Payment.Kind.REGULAR,
        "method": Payment.Method.CASH,
        "amount": Decimal("10.00"),
        "paid_on": date(2026, 11, 1),
        "months_to": date(2026, 1, 1),
    }
    values.update(change)
    with pytest.raises(ValidationError, match=message):
        payment_record(actor=None, entry=PaymentInput(**values), today=TODAY)  # type: ignore[arg-type]
    assert not Payment.objects.exists()
    assert DuesAccount.objects.get(member=member).paid_through == date(2025, 12, 1)


def test_voiding_the_latest_payment_gives_its_months_back(city: City) -> None:
    member = assessed_member(city.east)
    first = pay(member, date(2026, 3, 1), "30.00")
    second = pay(member, date(2026, 5, 1), "20.00")
    with pytest.raises(ValidationError, match="latest"):
        payment_void(actor=None, payment=first, reason="typo")
    with pytest.raises(ValidationError, match="reason"):
        payment_void(actor=None, payment=second, reason="  ")
    assert DuesAccount.objects.get(member=member).paid_through == date(2026, 5, 1)
    payment_void(actor=None, payment=second, reason="wrong member")
    second.refresh_from_db()
    assert (second.status, second.void_reason) == (Payment.Status.VOIDED, "wrong member")
    assert DuesAccount.objects.get(member=member).paid_through == date(2026, 3, 1)
    with pytest.raises(ValidationError):
        payment_void(actor=None, payment=second, reason="again")


def test_a_hand_over_is_recorded_once_a_month_to_the_parent(city: City, branch_secretary: User) -> None:
    handover = handover_record(
        actor=branch_secretary,
        organization=city.east,
        month=date(2026, 11, 1),
        amount=Decimal("120.00"),
        handed_on=date(2026, 12, 3),
        today=TODAY,
    )
    assert handover.to_organization == city.district
    with pytest.raises(ValidationError, match="already recorded"):
        handover_record(
            actor=branch_secretary,
            organization=city.east,
            month=date(2026, 11, 1),
            amount=Decimal("1"),
            handed_on=date(2026, 12, 3),
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="before that month"):
        handover_record(
            actor=branch_secretary,
            organization=city.east,
            month=date(2026, 12, 1),
            amount=Decimal("1"),
            handed_on=date(2026, 11, 30),
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="may not"):
        handover_record(
            actor=branch_secretary,
            organization=city.other_branch,
            month=date(2026, 11, 1),
            amount=Decimal("1"),
            handed_on=date(2026, 12, 3),
            today=TODAY,
        )
    assert Handover.objects.count() == 1

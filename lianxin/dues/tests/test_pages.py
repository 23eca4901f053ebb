from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry
from lianxin.dues.models import Assessment, DuesAccount, Handover, Payment
from lianxin.dues.services.ledger import assessment_set
from lianxin.dues.tests.factories import assessed_member, pay
from lianxin.members.models import Member

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def east_assessed(city: City) -> Member:
    member = assessed_member(city.east, name="赵明")
    pay(member, date(2026, 3, 1), "30.00")
    return member


def test_the_branch_treasurer_reads_every_dues_page_of_the_branch(
    city: City, branch_secretary: User, east_assessed: Member
) -> None:
    client = _client(branch_secretary)
    for name in ("ledger", "arrears", "collection", "unassessed", "import"):
        response = client.get(reverse(f"dues:{name}"), {"org": "D1E"})
        assert response.status_code == 200, name
    response = client.get(reverse("dues:ledger"), {"org": "D1E"})
    assert "赵明" in response.content.decode()
    assert client.get(reverse("dues:member", args=[east_assessed.pk])).status_code == 200
    assert client.get(reverse("dues:pay", args=[east_assessed.pk])).status_code == 200
    payment = Payment.objects.get(member=east_assessed)
    assert client.get(reverse("dues:receipt", args=[payment.pk])).status_code == 200


def test_the_ledger_export_is_a_workbook_and_is_audited(
    city: City, branch_secretary: User, east_assessed: Member
) -> None:
    response = _client(branch_secretary).get(reverse("dues:ledger_export"), {"org": "D1E"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="export", target="dues.ledger").count() == 1


def test_an_out_of_scope_member_and_payment_are_not_found(
    city: City, branch_secretary: User, other_member: Member
) -> None:
    other = assessed_member(city.other_branch)
    payment = pay(other, date(2026, 2, 1), "20.00")
    client = _client(branch_secretary)
    assert client.get(reverse("dues:member", args=[other.pk])).status_code == 404
    assert client.get(reverse("dues:pay", args=[other.pk])).status_code == 404
    assert client.get(reverse("dues:receipt", args=[payment.pk])).status_code == 404
    assert client.get(reverse("dues:receipt_docx", args=[payment.pk])).status_code == 404
    assert client.post(reverse("dues:void", args=[payment.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("dues:arrears"), {"org": "D2"}).status_code == 404


def test_residents_and_members_see_no_branch_dues_page(
    city: City, resident: User, member_user: User, east_assessed: Member
) -> None:
    for user in (resident, member_user):
        client = _client(user)
        assert client.get(reverse("dues:arrears"), {"org": "D1E"}).status_code == 404
        assert client.get(reverse("dues:member", args=[east_assessed.pk])).status_code == 404
    assert Client().get(reverse("dues:arrears")).status_code == 302  # to the login page


def test_a_member_sees_only_their_own_dues_and_receipts(city: City, member_user: User, east_assessed: Member) -> None:
    own = Member.objects.get(user=member_user)
    assessment_set(actor=None, member=own, year=2026, basis="retired_5000", monthly_amount=Decimal("12.00"))
    payment = pay(own, date(2026, 1, 1), "12.00")
    client = _client(member_user)
    page = client.get(reverse("dues:mine")).content.decode()
    assert payment.receipt in page
    assert "赵明" not in page
    assert client.get(reverse("dues:receipt", args=[payment.pk])).status_code == 200
    word = client.get(reverse("dues:receipt_docx", args=[payment.pk]))
    assert word.status_code == 200 and word.content[:2] == b"PK"
    others = Payment.objects.get(member=east_assessed)
    assert client.get(reverse("dues:receipt", args=[others.pk])).status_code == 404


def test_recording_a_payment_on_the_page_shows_its_receipt(
    city: City, branch_secretary: User, east_assessed: Member
) -> None:
    response = _client(branch_secretary).post(
        reverse("dues:pay", args=[east_assessed.pk]),
        {"kind": "regular", "method": "cash", "months_to": "2026-05", "amount": "20.00", "paid_on": "2026-11-02"},
    )
    payment = Payment.objects.filter(member=east_assessed).order_by("-id").first()
    assert payment is not None and payment.months_to == date(2026, 5, 1)
    assert response.status_code == 302 and response["Location"] == reverse("dues:receipt", args=[payment.pk])


def test_a_refused_payment_on_the_page_says_why_and_writes_nothing(
    city: City, branch_secretary: User, east_assessed: Member
) -> None:
    response = _client(branch_secretary).post(
        reverse("dues:pay", args=[east_assessed.pk]),
        {"kind": "regular", "method": "cash", "months_to": "2026-05", "amount": "25.00", "paid_on": "2026-11-02"},
    )
    assert response.status_code == 200
    assert "20.00" in response.content.decode()
    assert Payment.objects.filter(member=east_assessed).count() == 1


def test_assessing_voiding_and_handing_over_on_the_pages(
    city: City, branch_secretary: User, east_assessed: Member
) -> None:
    client = _client(branch_secretary)
    response = client.post(
        reverse("dues:assess", args=[east_assessed.pk]),
        {"year": "2026", "basis": "employed_5000", "monthly_amount": "29.99"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(member=east_assessed, year=2026).monthly_amount == Decimal("10.00")
    client.post(
        reverse("dues:assess", args=[east_assessed.pk]),
        {"year": "2026", "basis": "employed_5000", "monthly_amount": "30.00"},
    )
    assert Assessment.objects.get(member=east_assessed, year=2026).monthly_amount == Decimal("30.00")

    payment = Payment.objects.get(member=east_assessed)
    client.post(reverse("dues:void", args=[payment.pk]), {"reason": ""})
    payment.refresh_from_db()
    assert payment.is_valid
    client.post(reverse("dues:void", args=[payment.pk]), {"reason": "recorded twice"})
    payment.refresh_from_db()
    assert payment.status == Payment.Status.VOIDED
    assert DuesAccount.objects.get(member=east_assessed).paid_through == date(2025, 12, 1)

    pay(east_assessed, date(2026, 1, 1), "30.00", paid_on=date(2026, 11, 20))
    response = client.post(
        reverse("dues:handover"),
        {"org": "D1E", "month": "2026-11", "amount": "25.00", "handed_on": "2026-12-05"},
    )
    assert response.status_code == 302
    assert Handover.objects.get(organization=city.east).to_organization == city.district
    page = client.get(reverse("dues:collection"), {"org": "D1E", "year": "2026"}).content.decode()
    assert "30.00" in page and "25.00" in page and "-5.00" in page
    assert client.post(reverse("dues:handover"), {"org": "D2V", "month": "2026-11"}).status_code == 404

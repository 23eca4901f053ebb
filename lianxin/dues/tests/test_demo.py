"""The demo city's dues, built once with the small city: a year of them, with the story's shapes."""

from collections.abc import Iterator
from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from lianxin.demo.builder import demo_build
from lianxin.dues.models import Assessment, DuesAccount, Handover, Payment
from lianxin.dues.rules.months import month_add
from lianxin.dues.selectors import months_behind
from lianxin.members.models import Member


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[date]:
    """The small city with its dues; the parts built after dues (honours, care) are left out: they
    read the dues but write nothing the dues read."""
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        for later in ("honours_demo", "care_demo"):
            patch.setattr(f"lianxin.demo.services.{later}.build", lambda ctx, scale: None)
        today = timezone.localdate()
        demo_build(scale="small", today=today)
        yield today
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_party_member_is_assessed_and_most_are_paid_up(demo: date) -> None:
    today = demo
    party = Member.objects.filter(category__in=Member.PARTY_MEMBER_CATEGORIES)
    assert Assessment.objects.filter(year=today.year).count() == party.count()
    behind = months_behind(member_ids=list(party.values_list("pk", flat=True)), on=today)
    if today.month >= 8:  # enough of the year for six months unpaid
        assert 0 < len(behind) < party.count() / 3
        assert any(n >= 6 for n in behind.values())


@pytest.mark.django_db
def test_each_account_stands_where_its_payments_end(demo: date) -> None:
    last = dict(
        Payment.objects.filter(status="valid", months_to__isnull=False)
        .values("member_id")
        .annotate(m=Max("months_to"))
        .values_list("member_id", "m")
    )
    for account in DuesAccount.objects.all():
        assert account.paid_through == last.get(account.member_id, month_add(account.starts_on, -1))


@pytest.mark.django_db
def test_receipts_are_unique_and_one_donation_goes_to_the_centre(demo: date) -> None:
    assert (
        not Payment.objects.values("organization", "receipt_year", "receipt_number")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )
    centre = Payment.objects.filter(for_centre=True)
    assert centre.count() == 1 and centre.get().kind == Payment.Kind.DONATION
    assert Handover.objects.exists() or demo.month == 1

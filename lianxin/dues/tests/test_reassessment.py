from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.dues.models import Assessment
from lianxin.dues.selectors.ledger import not_assessed_of
from lianxin.dues.services.assessments import assessments_carry_forward
from lianxin.dues.tests.factories import TODAY, assessed_member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_yearly_list_shows_who_is_not_yet_assessed_and_last_years_amounts_carry_forward(
    city: City, branch_secretary: User
) -> None:
    carried = assessed_member(city.east, monthly="12.50", year=2025)
    new = make_member(city.east)
    already = assessed_member(city.east, year=2026)
    assert set(not_assessed_of(organization=city.east, year=2026)) == {carried, new}
    assert assessments_carry_forward(actor=branch_secretary, organization=city.east, year=2026, today=TODAY) == 1
    assert Assessment.objects.get(member=carried, year=2026).monthly_amount == Decimal("12.50")
    assert list(not_assessed_of(organization=city.east, year=2026)) == [new]
    assert Assessment.objects.filter(member=already).count() == 1
    with pytest.raises(ValidationError, match="Nobody"):
        assessments_carry_forward(actor=branch_secretary, organization=city.east, year=2026, today=TODAY)


def test_carrying_forward_outside_ones_scope_is_refused_and_nothing_is_written(
    city: City, branch_secretary: User
) -> None:
    assessed_member(city.other_branch, year=2025)
    with pytest.raises(ValidationError, match="may not"):
        assessments_carry_forward(actor=branch_secretary, organization=city.other_branch, year=2026, today=TODAY)
    assert not Assessment.objects.filter(year=2026).exists()


def test_the_page_carries_forward_and_says_how_many(city: City, branch_secretary: User) -> None:
    assessed_member(city.east, year=2025)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=branch_secretary.username, password=PASSWORD)
    page = client.get(reverse("dues:unassessed"), {"org": "D1E", "year": "2026"})
    assert 'id="carry-forward"' in page.content.decode()
    response = client.post(reverse("dues:carry_forward"), {"org": "D1E", "year": "2026"}, follow=True)
    assert Assessment.objects.filter(year=2026).count() == 1
    assert "1 member is assessed" in response.content.decode()

"""Two people record the same thing at the same moment: it becomes one demand, on PostgreSQL and SQLite.

Real threads with their own database connections, released together by a barrier.
"""

import threading
from functools import partial

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.testing import all_at_once
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.services.hotline import hotline_import
from lianxin.demands.services.sources import demand_from
from lianxin.demands.tests.factories_sources import hotline_row, hotline_workbook
from lianxin.organizations.models import Organization
from lianxin.wishes.models import Wish
from lianxin.wishes.tests.factories import make_wish

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def categories() -> None:
    """A transactional test flushes what the migrations seeded; the categories come back here."""
    default_demand_categories_seed(DemandCategory)


def _import(organization_pk: int, user: User, barrier: threading.Barrier) -> None:
    organization = Organization.objects.get(pk=organization_pk)
    source = hotline_workbook([hotline_row("GD001"), hotline_row("GD002")])
    barrier.wait()
    result = hotline_import(actor=user, organization=organization, source=source)
    if not result.is_valid:
        raise ValidationError([m for e in result.row_errors for m in e.messages])


def test_the_same_workbook_imported_twice_at_once_records_each_work_order_once(
    city: City, district_admin: User, city_admin: User
) -> None:
    wins, refusals = all_at_once(
        [partial(_import, city.district.pk, district_admin), partial(_import, city.district.pk, city_admin)]
    )

    assert wins == 1
    assert len(refusals) == 2 and all("was already imported" in m for m in refusals)
    assert sorted(Demand.objects.values_list("hotline_number", flat=True)) == ["GD001", "GD002"]


def _turn(wish_pk: int, user: User, barrier: threading.Barrier) -> None:
    wish = Wish.objects.select_related("organization").get(pk=wish_pk)
    barrier.wait()
    demand_from(actor=user, obj=wish, category="other")


def test_a_wish_turned_into_a_demand_by_two_reviewers_at_once_becomes_one_demand(
    city: City, branch_secretary: User, district_admin: User, resident: User
) -> None:
    wish = make_wish(city.east, posted_by=resident)

    wins, refusals = all_at_once([partial(_turn, wish.pk, branch_secretary), partial(_turn, wish.pk, district_admin)])

    assert wins == 1
    assert len(refusals) == 1 and "already been recorded" in refusals[0]
    assert Demand.objects.count() == 1

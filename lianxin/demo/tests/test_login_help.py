"""The login help reads the handler's count with the selector of their inbox, whatever the database holds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.demands.models import Demand
from lianxin.demands.selectors.handling import demand_to_handle
from lianxin.demands.selectors.mine import demand_list_own
from lianxin.demands.tests.factories import make_demand
from lianxin.demo.login_help import login_help

pytestmark = pytest.mark.django_db


def test_the_handlers_line_counts_what_their_inbox_lists(city: City, city_admin: User, handler: User) -> None:
    # Given two demands given to the handler's unit, one of them past its deadline, and one elsewhere
    late = make_demand(city.east, by=city_admin, until=Demand.Status.ASSIGNED, unit=city.district, days=5)
    Demand.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    make_demand(city.east, by=city_admin, until=Demand.Status.ASSIGNED, unit=city.district, days=5)
    make_demand(city.other_branch, by=city_admin, until=Demand.Status.ASSIGNED, unit=city.other_district, days=5)
    assert handler.username == "handler" and demand_to_handle(user=handler).count() == 2

    help_text = login_help()

    assert "（现有2件待办，其中1件已超期）" in help_text
    assert "by deadline (2 now, 1 of them overdue), records" in help_text


def test_without_a_demo_handler_the_line_gives_no_number(city: City) -> None:
    help_text = login_help()
    assert "handles the residents' demands given to that unit by deadline, records" in help_text
    assert "按期限办理交给本单位的群众诉求，记录办理过程" in help_text


def test_the_residents_line_counts_what_my_demands_lists(city: City, city_admin: User, resident: User) -> None:
    # Given the resident's own demands, one of them resolved and waiting for their follow-up, and another's
    own = [
        make_demand(city.east, by=city_admin, until=Demand.Status.RESOLVED, unit=city.district, days=5),
        make_demand(city.east, by=city_admin),
    ]
    make_demand(city.east, by=city_admin)
    Demand.objects.filter(pk__in=[d.pk for d in own]).update(resident=resident)
    assert demand_list_own(user=resident).count() == 2

    help_text = login_help()

    assert "（已提交2件，其中1件已办结、等待本人回访评价）" in help_text
    assert "(2 submitted, 1 resolved and waiting for their follow-up)" in help_text

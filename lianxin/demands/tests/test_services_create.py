"""Collecting a demand: who may record it, what it needs, where it came from."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.crypto import lookup_hash
from lianxin.core.models import Event
from lianxin.demands.models import Demand, DemandCategory, Visit
from lianxin.demands.services.handling import demand_create
from lianxin.demands.tests.factories import category, make_demand

Status = Demand.Status


def _values(city: City, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "source": Demand.Source.STAFF,
        "title": "楼道堆放杂物",
        "description": "三单元楼道堆满纸箱，有消防隐患。",
        "category": "safety",
        "area": city.east.area,
        "organization": city.east,
    }
    values.update(overrides)
    return values


def test_a_secretary_records_a_demand_that_waits_for_acceptance_with_a_collected_event(
    city: City, branch_secretary: User
) -> None:
    demand = demand_create(actor=branch_secretary, **_values(city, submitter_phone="+86 139-1234-5678"))

    assert demand.status == Status.SUBMITTED and demand.category.code == "safety"
    assert demand.submitter_phone == "13912345678"
    assert demand.submitter_phone_hash == lookup_hash("13912345678")
    assert demand.submitted_by == branch_secretary and len(demand.lookup_code) == 8
    event = Event.objects.get(subject_id=demand.pk, subject_type=ContentType.objects.get_for_model(Demand))
    assert event.verb == "collected" and event.to_state == Status.SUBMITTED


def test_a_demand_from_a_visit_links_back_to_the_visit(city: City, branch_secretary: User) -> None:
    visit = Visit.objects.create(
        kind=Visit.Kind.HOUSEHOLD,
        organization=city.east,
        area=city.east.area,
        visited="幸福小区3栋",
        visitors="李书记",
        visited_on="2025-03-01",
    )

    demand = demand_create(actor=branch_secretary, **_values(city, source=Demand.Source.VISIT, source_object=visit))

    assert demand.source_type == ContentType.objects.get_for_model(Visit) and demand.source_id == visit.pk


def test_a_resident_submits_without_an_account(city: City) -> None:
    demand = demand_create(actor=None, **_values(city, source=Demand.Source.PUBLIC, submitter_name="王阿姨"))

    assert demand.submitted_by is None and demand.source == Demand.Source.PUBLIC


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"category": "no-such"}, "Unknown demand category no-such."),
        ({"title": "  "}, "Say in a few words what the demand is."),
        ({"description": ""}, "Describe the demand."),
        ({"submitter_phone": "12345"}, "Invalid mobile number: 12345"),
        ({"source": "carrier-pigeon"}, "Unknown source carrier-pigeon."),
        ({"lat": "95"}, "The latitude 95 is out of range."),
        ({"long": "abc"}, "The longitude abc is not a number."),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_written(
    city: City, branch_secretary: User, overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        demand_create(actor=branch_secretary, **_values(city, **overrides))

    assert refused.value.messages == [message]
    assert not Demand.objects.exists() and not Event.objects.filter(verb="collected").exists()


def test_an_inactive_category_is_refused(city: City, branch_secretary: User) -> None:
    DemandCategory.objects.filter(code="noise").update(is_active=False)

    with pytest.raises(ValidationError, match="Unknown demand category noise"):
        demand_create(actor=branch_secretary, **_values(city, category="noise"))
    assert not Demand.objects.exists()


def test_an_inactive_organization_cannot_collect(city: City, branch_secretary: User) -> None:
    city.east.status = city.east.Status.DISSOLVED
    city.east.save(update_fields=["status"])

    with pytest.raises(ValidationError, match="no longer active"):
        demand_create(actor=branch_secretary, **_values(city))
    assert not Demand.objects.exists()


def test_staff_of_another_organization_cannot_record_for_it(city: City, branch_secretary: User) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        demand_create(actor=branch_secretary, **_values(city, organization=city.west))
    assert not Demand.objects.exists()


def test_the_factory_walks_a_demand_to_closed(city: City, district_admin: User) -> None:
    demand = make_demand(city.east, by=district_admin, until=Status.CLOSED, unit=city.west)

    assert demand.status == Status.CLOSED and demand.satisfaction == Demand.Satisfaction.SATISFIED
    assert demand.responsible_unit == city.west and demand.resolution


def test_a_12345_work_order_already_recorded_is_refused_and_nothing_is_written(
    city: City, district_admin: User
) -> None:
    values = {
        "actor": district_admin,
        "source": Demand.Source.HOTLINE,
        "title": "路灯不亮",
        "description": "小区门口路灯坏了一周",
        "category": category("facilities"),
        "area": city.district.area,
        "organization": city.district,
        "hotline_number": "ZS20261101001",
    }
    demand_create(**values)
    with pytest.raises(ValidationError, match="ZS20261101001 is already recorded"):
        demand_create(**values)
    assert Demand.objects.filter(hotline_number="ZS20261101001").count() == 1

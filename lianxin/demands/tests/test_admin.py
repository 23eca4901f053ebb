"""The admin lists every demand model and the holiday calendar, and never shows a resident's phone."""

import pytest
from django.contrib.admin.sites import site
from django.test import Client
from django.urls import reverse

from conftest import City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.core.models import Holiday
from lianxin.demands.models import (
    Demand,
    DemandCategory,
    FaceToFace,
    FollowUp,
    HotSpot,
    PublicNotice,
    ResearchTopic,
    Visit,
)
from lianxin.demands.tests.factories import make_demand

pytestmark = pytest.mark.django_db


def test_every_demand_model_and_the_holiday_calendar_are_registered() -> None:
    for model in (Demand, DemandCategory, FaceToFace, HotSpot, PublicNotice, ResearchTopic, Visit, Holiday):
        assert site.is_registered(model)
    assert not site.is_registered(FollowUp)  # shown inside its demand, read-only


def test_the_demand_change_page_hides_the_phone(client: Client, city: City, branch_secretary: User) -> None:
    demand = make_demand(city.east, by=branch_secretary, until=Demand.Status.RESOLVED)
    user_create(username="root", password="pw-123456789", display_name="root", is_superuser=True, is_staff=True)
    client.login(username="root", password="pw-123456789")

    html = client.get(reverse("admin:demands_demand_change", args=[demand.pk])).content.decode()

    assert demand.title in html and "13912345678" not in html

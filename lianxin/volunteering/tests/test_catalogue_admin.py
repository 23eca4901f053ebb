"""Every volunteering model has an admin page that opens, with its rows."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.services import user_create
from lianxin.volunteering.models import Order
from lianxin.volunteering.tests.factories import make_item, make_order, make_team

pytestmark = pytest.mark.django_db


def test_every_volunteering_model_has_a_working_admin_list_and_change_page(client: Client, city: City, resident):
    order = make_order(make_item(make_team(city.district)), ordered_by=resident, until=Order.Status.SERVED)
    user_create(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    client.login(username="root", password=PASSWORD)
    for model in apps.get_app_config("volunteering").get_models():
        name = model._meta.model_name
        assert client.get(reverse(f"admin:volunteering_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:volunteering_order_change", args=[order.pk])).status_code == 200
    assert client.get(reverse("admin:volunteering_team_change", args=[order.team_id])).status_code == 200

"""Every volunteering model has an admin page that opens, with its rows."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.core.tests.images import photo_bytes
from lianxin.volunteering.models import Order
from lianxin.volunteering.services.orders import order_serve
from lianxin.volunteering.tests.factories import leader_of, make_item, make_order, make_team

pytestmark = pytest.mark.django_db


def test_every_volunteering_model_has_a_working_admin_list_and_change_page(
    client: Client, city: City, resident: User
) -> None:
    order = make_order(make_item(make_team(city.district)), ordered_by=resident, until=Order.Status.SERVED)
    user_create(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    client.login(username="root", password=PASSWORD)
    for model in apps.get_app_config("volunteering").get_models():
        name = model._meta.model_name
        assert client.get(reverse(f"admin:volunteering_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:volunteering_order_change", args=[order.pk])).status_code == 200
    assert client.get(reverse("admin:volunteering_team_change", args=[order.team_id])).status_code == 200


def test_the_admin_shows_service_photos_but_takes_no_file_past_the_photo_check(
    client: Client, city: City, resident: User, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(make_item(make_team(city.district)), ordered_by=resident, until=Order.Status.ACCEPTED)
    order_serve(
        order=order, actor=leader_of(order.team), beneficiaries=3, photos=[SimpleUploadedFile("p.png", photo_bytes())]
    )
    user_create(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    client.login(username="root", password=PASSWORD)
    page = client.get(reverse("admin:volunteering_order_change", args=[order.pk])).content.decode()
    assert order.photos.get().image.name in page and 'type="file"' not in page

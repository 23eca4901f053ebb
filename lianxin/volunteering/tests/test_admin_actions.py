"""The admin changes state only through the services: read-only status fields, actions that call them."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.core.selectors import event_list_for
from lianxin.volunteering.models import Order, Session, Tour
from lianxin.volunteering.tests.factories import make_item, make_order, make_team
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session
from lianxin.volunteering.tests.factories_touring import make_stop, make_tour, make_tour_team, make_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client: Client) -> User:
    user = user_create(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    client.login(username="root", password=PASSWORD)
    return user


def _act(client: Client, model: str, action: str, pks: list[int]) -> None:
    url = reverse(f"admin:volunteering_{model}_changelist")
    client.post(url, {"action": action, "_selected_action": [str(pk) for pk in pks]})


def test_cancelling_orders_in_the_admin_goes_through_the_service(
    client: Client, city: City, resident: User, root: User
) -> None:
    item = make_item(make_team(city.district))
    open_order = make_order(item, ordered_by=resident)
    served = make_order(item, ordered_by=resident, until=Order.Status.SERVED)
    _act(client, "order", "cancel", [open_order.pk, served.pk])
    open_order.refresh_from_db()
    served.refresh_from_db()
    assert open_order.status == Order.Status.CANCELLED and served.status == Order.Status.SERVED
    event = event_list_for(open_order).first()
    assert event is not None and event.verb == "cancelled" and event.actor == root


def test_an_orders_status_is_not_a_field_of_its_admin_form(
    client: Client, city: City, resident: User, root: User
) -> None:
    order = make_order(make_item(make_team(city.district)), ordered_by=resident)
    page = client.get(reverse("admin:volunteering_order_change", args=[order.pk])).content.decode()
    assert 'name="status"' not in page and 'name="team"' not in page and 'name="place"' in page


def test_cancelling_a_session_in_the_admin_writes_its_timeline(client: Client, city: City, root: User) -> None:
    session = make_session(make_led_team(city.east))
    _act(client, "session", "cancel", [session.pk])
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert [e.verb for e in event_list_for(session)][:1] == ["cancelled"]


def test_publishing_a_tour_in_the_admin_needs_a_stop_like_on_its_page(
    client: Client, city: City, district_admin: User, root: User
) -> None:
    empty = make_tour(city.district, organizer=district_admin)
    planned = make_tour(city.district, organizer=district_admin)
    team = make_tour_team(city.district, "医疗卫生系统服务队", ("医疗义诊",))
    make_stop(planned, organizer=district_admin, town=make_town(city.district.area), teams=[team])
    _act(client, "tour", "publish", [empty.pk, planned.pk])
    assert list(Tour.objects.filter(is_published=True)) == [planned]
    assert event_list_for(planned).filter(verb="published").count() == 1

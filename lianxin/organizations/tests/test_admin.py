"""The administration site changes organizations through the services: each change is on the
timeline, and what only the services change (status, merger, closing date) is read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.selectors import event_list_for
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(city: City) -> tuple[Client, User]:
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="root", password=PASSWORD)
    return client, root


def test_the_dissolve_action_dissolves_through_the_service(city: City, root_client: tuple[Client, User]) -> None:
    client, root = root_client
    make_member(city.east)
    response = client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "dissolve", "_selected_action": [city.west.pk, city.east.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Transfer the members of 东社区党支部 before dissolving it." in html
    city.west.refresh_from_db()
    city.east.refresh_from_db()
    assert city.west.status == Organization.Status.DISSOLVED and city.east.is_active
    [event, _created] = event_list_for(city.west)
    assert event.verb == "dissolved" and event.actor == root
    assert (event.from_state, event.to_state) == ("active", "dissolved")


def test_status_and_merger_are_read_only_and_a_change_is_recorded(city: City, root_client: tuple[Client, User]) -> None:
    client, root = root_client
    url = reverse("admin:organizations_organization_change", args=[city.east.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="merged_into"' not in page and 'name="code"' not in page
    response = client.post(
        url,
        {
            "name": "东社区党支部",
            "short_name": "东社区",
            "kind": city.east.kind,
            "sector": city.east.sector,
            "area": city.east.area_id,
            "secretary": "",
            "contact_phone": "",
            "founded_on": "",
            "term_ends_on": "",
            "status": "dissolved",
        },
    )
    assert response.status_code == 302
    city.east.refresh_from_db()
    assert city.east.short_name == "东社区" and city.east.is_active
    [event, _created] = event_list_for(city.east)
    assert event.verb == "updated" and event.actor == root
    assert event.data == {"changes": {"short_name": ["", "东社区"]}}


def test_an_organization_added_in_the_admin_is_created_by_the_service(
    city: City, root_client: tuple[Client, User]
) -> None:
    client, root = root_client
    response = client.post(
        reverse("admin:organizations_organization_add"),
        {
            "parent": city.district.pk,
            "name": "南社区党支部",
            "short_name": "",
            "code": "D1S",
            "kind": Organization.Kind.BRANCH,
            "sector": Organization.Sector.COMMUNITY,
            "area": city.district.area_id,
            "contact_phone": "",
            "founded_on": "",
            "term_ends_on": "",
        },
    )
    assert response.status_code == 302
    south = Organization.objects.get(code="D1S")
    assert Organization.objects.get_parent(south) == city.district
    [event] = event_list_for(south)
    assert event.verb == "created" and event.actor == root


def test_dragging_in_the_tree_moves_nothing(city: City, root_client: tuple[Client, User]) -> None:
    client, _root = root_client
    response = client.post(
        reverse("admin:organizations_organization_changelist") + "move/",
        {"node": city.east.pk, "target": city.other_district.pk, "relation": "child"},
    )
    assert response.status_code == 400
    city.east.refresh_from_db()
    assert Organization.objects.get_parent(city.east) == city.district

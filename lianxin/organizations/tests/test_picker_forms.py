"""Forms that choose with a picker refuse what the user may not choose, with a clear message,
and write nothing; without JavaScript the typed text is read as a code or an exact name."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.organizations.forms import MoveForm
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_a_district_admin_cannot_move_a_branch_under_another_district(district_admin: User, city: City) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=district_admin.username, password=PASSWORD)
    events = Event.objects.count()

    response = client.post(reverse("organizations:move", args=[city.east.pk]), {"new_parent": "D2"}, follow=True)

    assert "D2 is not one you can choose here. Type part of its name and choose it from the list." in (
        response.content.decode()
    )
    assert Organization.objects.get_parent(Organization.objects.get(pk=city.east.pk)) == city.district
    assert Event.objects.count() == events


def test_the_typed_text_alone_names_an_organization_by_its_code_or_its_unique_name(
    district_admin: User, city: City
) -> None:
    by_code = MoveForm({"new_parent": "", "new_parent_q": "D1W"}, user=district_admin)
    by_name = MoveForm({"new_parent_q": "西社区党支部"}, user=district_admin)
    out_of_scope = MoveForm({"new_parent_q": "渔村党支部"}, user=district_admin)

    assert by_code.is_valid() and by_code.cleaned_data["new_parent"] == city.west
    assert by_name.is_valid() and by_name.cleaned_data["new_parent"] == city.west
    assert not out_of_scope.is_valid()
    assert "渔村党支部 is not one you can choose here" in out_of_scope.errors["new_parent"][0]


def test_the_picker_shows_the_chosen_organization_with_its_path(district_admin: User, city: City) -> None:
    html = str(MoveForm(initial={"new_parent": city.west}, user=district_admin)["new_parent"])
    assert 'name="new_parent" value="D1W"' in html
    assert 'value="中共城区委员会 › 西社区党支部"' in html
    assert 'name="new_parent_q"' in html and 'role="combobox"' in html

"""Visits, research topics, 民生面对面 sessions and the 12345 upload choose their organization and
area with pickers: the form receives codes, and a code outside what the user records for is
refused with a clear message and nothing is written."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.core.picker import Choice, picker_kind, picker_search
from lianxin.demands.forms.sources import VisitForm
from lianxin.demands.models import Demand, FaceToFace, ResearchTopic, Visit
from lianxin.demands.tests.factories_sources import hotline_row, hotline_workbook, make_visit
from lianxin.organizations.tests.factories import make_area

pytestmark = pytest.mark.django_db

REFUSED = "is not one you can choose here. Type part of its name and choose it from the list."


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def _visit(organization: str, area: str) -> dict[str, str]:
    return {
        "organization": organization,
        "kind": Visit.Kind.HOUSEHOLD,
        "visited": "陈大爷家",
        "area": area,
        "visited_on": _yesterday(),
        "visitors": "王海",
    }


def _search(user: User, kind: str, text: str) -> list[Choice]:
    found = picker_kind(kind)
    assert found is not None
    return picker_search(user=user, kind=found, query=text)


def test_a_branch_secretary_records_a_visit_by_the_codes_the_pickers_send(city: City, branch_secretary: User) -> None:
    response = _client(branch_secretary).post(reverse("demands:visit_new"), _visit("D1E", city.east.area.code))

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert (visit.organization, visit.area) == (city.east, city.east.area)


def test_a_visit_for_an_organization_out_of_scope_is_refused_and_nothing_is_written(
    city: City, branch_secretary: User
) -> None:
    events = Event.objects.count()

    response = _client(branch_secretary).post(reverse("demands:visit_new"), _visit("D2V", city.east.area.code))

    assert response.status_code == 200
    assert f"D2V {REFUSED}" in response.text
    assert not Visit.objects.exists() and Event.objects.count() == events


def test_a_visit_in_an_area_outside_the_users_organizations_is_refused(city: City, branch_secretary: User) -> None:
    island = city.other_branch.area

    response = _client(branch_secretary).post(reverse("demands:visit_new"), _visit("D1E", island.code))

    assert f"{island.code} {REFUSED}" in response.text
    assert not Visit.objects.exists()


def test_editing_a_visit_keeps_its_area_within_its_own_organization(city: City, district_admin: User) -> None:
    visit = make_visit(city.east, by=district_admin)
    island = city.other_branch.area
    data = _visit("", island.code)

    response = _client(district_admin).post(reverse("demands:visit_edit", args=[visit.pk]), data)

    visit.refresh_from_db()
    assert f"{island.code} {REFUSED}" in response.text
    assert visit.area == city.east.area and visit.visited != "陈大爷家"


def test_a_topic_for_an_organization_out_of_scope_is_refused(city: City, branch_secretary: User) -> None:
    today = timezone.localdate().isoformat()
    data = {"organization": "D1", "title": "停车难调研", "leader": "王海", "starts_on": today, "ends_on": today}

    response = _client(branch_secretary).post(reverse("demands:topic_new"), data)

    assert f"D1 {REFUSED}" in response.text
    assert not ResearchTopic.objects.exists()


def test_a_session_in_an_area_out_of_scope_is_refused(city: City, branch_secretary: User) -> None:
    island = city.other_branch.area
    data = {"organization": "D1E", "title": "面对面", "area": island.code, "held_on": _yesterday(), "place": "中心"}

    response = _client(branch_secretary).post(reverse("demands:face_to_face_new"), data)

    assert f"{island.code} {REFUSED}" in response.text
    assert not FaceToFace.objects.exists()


def test_a_hotline_upload_for_an_organization_out_of_scope_is_refused(city: City, branch_secretary: User) -> None:
    upload = hotline_workbook([hotline_row("GD001")])

    response = _client(branch_secretary).post(reverse("demands:hotline_import"), {"organization": "D1", "file": upload})

    assert f"D1 {REFUSED}" in response.text
    assert not Demand.objects.exists()


def test_without_javascript_the_typed_name_or_code_is_read(city: City, branch_secretary: User) -> None:
    by_name = VisitForm(
        {**_visit("", ""), "organization_q": "东社区党支部", "area_q": city.east.area.name}, user=branch_secretary
    )

    assert by_name.is_valid(), by_name.errors
    assert (by_name.cleaned_data["organization"], by_name.cleaned_data["area"]) == (city.east, city.east.area)


def test_the_area_picker_offers_only_the_areas_of_the_users_organizations(city: City, branch_secretary: User) -> None:
    street = make_area(name="东港街道", parent=city.east.area)
    island = city.other_branch.area

    assert [c.key for c in _search(branch_secretary, "source_area", "东港")] == [street.code]
    assert _search(branch_secretary, "source_area", island.name) == []
    assert _search(branch_secretary, "source_area", island.code) == []

"""The tree browser: counts per node, search, node pages and restructuring, all scoped."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.tallies import tallies_refresh
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_city_admin_sees_the_tree_from_the_root_with_member_counts(
    client: Client, city_admin: User, city: City
) -> None:
    make_member(city.east)
    make_member(city.other_branch)
    tallies_refresh()
    response = _as(client, city_admin).get(reverse("organizations:tree"))
    html = response.content.decode()
    assert response.status_code == 200
    assert city.root.name in html
    assert "<strong>2</strong>" in html


def test_the_tree_says_when_its_counts_were_tallied(client: Client, city_admin: User, city: City) -> None:
    client = _as(client, city_admin)
    tree, detail = reverse("organizations:tree"), reverse("organizations:detail", args=[city.east.pk])
    assert "Counts have not been tallied yet." in client.get(tree, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "人数尚未统计。" in client.get(tree, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    tallies_refresh()
    assert re.search(r"Counts as of \d\d:\d\d\.", client.get(tree, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert re.search(r"人数统计截至 \d\d:\d\d。", client.get(tree, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "Counts as of" in client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_opening_a_node_loads_its_children(client: Client, city_admin: User, city: City) -> None:
    make_member(city.east)
    response = _as(client, city_admin).get(
        reverse("organizations:children", args=[city.district.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "东社区党支部" in html and "西社区党支部" in html
    assert "<html" not in html


def test_a_branch_secretary_tree_starts_at_the_branch(client: Client, branch_secretary: User, city: City) -> None:
    html = _as(client, branch_secretary).get(reverse("organizations:tree")).content.decode()
    assert "东社区党支部" in html
    assert city.root.name not in html


def test_another_branch_is_not_found_for_a_branch_secretary(client: Client, branch_secretary: User, city: City) -> None:
    client = _as(client, branch_secretary)
    assert client.get(reverse("organizations:detail", args=[city.west.pk])).status_code == 404
    assert client.get(reverse("organizations:children", args=[city.district.pk])).status_code == 404


def test_residents_get_not_found_on_the_tree(client: Client, resident: User) -> None:
    assert _as(client, resident).get(reverse("organizations:tree")).status_code == 404


def test_search_finds_by_name_and_code_within_scope(client: Client, district_admin: User, city: City) -> None:
    client = _as(client, district_admin)
    html = client.get(reverse("organizations:tree"), {"q": "社区"}).content.decode()
    assert "东社区党支部" in html and "渔村党支部" not in html
    html = client.get(reverse("organizations:tree"), {"q": "D1W"}).content.decode()
    assert "西社区党支部" in html


def test_the_node_page_links_its_member_count_to_the_rows_behind_it(
    client: Client, city_admin: User, city: City
) -> None:
    make_member(city.east)
    html = _as(client, city_admin).get(reverse("organizations:detail", args=[city.east.pk])).content.decode()
    assert "?org=D1E&amp;category=party" in html


def test_moving_to_an_unknown_code_shows_an_error_and_moves_nothing(
    client: Client, district_admin: User, city: City
) -> None:
    client = _as(client, district_admin)
    response = client.post(reverse("organizations:move", args=[city.east.pk]), {"new_parent": "NOPE"}, follow=True)
    assert "NOPE" in response.content.decode()
    city.east.refresh_from_db()
    assert Organization.objects.get_parent(city.east) == city.district


def test_a_secretary_cannot_move_a_branch_out_of_scope(client: Client, branch_secretary: User, city: City) -> None:
    response = _as(client, branch_secretary).post(
        reverse("organizations:move", args=[city.west.pk]), {"new_parent": "D1E"}
    )
    assert response.status_code == 404


def test_merging_in_the_page_moves_members_and_shows_the_target(
    client: Client, district_admin: User, city: City
) -> None:
    member = make_member(city.west)
    response = _as(client, district_admin).post(
        reverse("organizations:merge", args=[city.west.pk]),
        {"target": "D1E", "merged_on": "2026年1月5日", "letter_number": ""},
        follow=True,
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.organization == city.east


def test_a_wrong_date_in_the_dissolve_form_is_explained(client: Client, district_admin: User, city: City) -> None:
    response = _as(client, district_admin).post(
        reverse("organizations:dissolve", args=[city.west.pk]),
        {"dissolved_on": "2026-02-30", "reason": "撤并"},
        follow=True,
    )
    assert "2026-02-30" in response.content.decode()
    city.west.refresh_from_db()
    assert city.west.is_active

"""The organization and area pickers: people find what they may choose by name, short name,
pinyin initials or code, each result with its full path; nothing outside their scope ever shows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.picker import MAX_RESULTS, Choice, picker_browse, picker_kind, picker_search
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.services import organization_update
from lianxin.organizations.tests.factories import make_area, make_organization

pytestmark = pytest.mark.django_db


def _search(user: User | None, kind: str, query: str) -> list[Choice]:
    found = picker_kind(kind)
    assert found is not None
    return picker_search(user=user, kind=found, query=query)


def _keys(choices: list[Choice]) -> list[str]:
    return [c.key for c in choices]


def test_an_organization_keeps_the_pinyin_initials_of_its_name_and_short_name(city: City) -> None:
    org = make_organization(name="怡岛社区党支部", short_name="怡岛社区", parent=city.district)
    assert org.pinyin == "ydsqdzb ydsq"
    organization_update(actor=None, organization=org, name="怡海社区党支部")
    org.refresh_from_db()
    assert org.pinyin.startswith("yhsqdzb")


def test_an_area_keeps_the_pinyin_initials_of_its_name(city: City) -> None:
    area = make_area(name="怡岛社区", kind=Area.Kind.COMMUNITY, parent=city.city_area)
    assert area.pinyin == "ydsq"


def test_a_branch_secretary_finds_their_branch_by_name_pinyin_and_code(branch_secretary: User, city: City) -> None:
    assert _keys(_search(branch_secretary, "organization", "东社区")) == ["D1E"]
    assert _keys(_search(branch_secretary, "organization", "dsq")) == ["D1E"]
    assert _keys(_search(branch_secretary, "organization", "d1e")) == ["D1E"]


def test_an_organization_outside_the_scope_never_appears(branch_secretary: User, city: City) -> None:
    for text in ("西社区", "xsq", "D1W", "渔村", "D2V", "党支部", "D"):
        assert "D1W" not in _keys(_search(branch_secretary, "organization", text))
        assert "D2V" not in _keys(_search(branch_secretary, "organization", text))


def test_an_anonymous_visitor_finds_nothing_in_the_scoped_kinds_but_the_public_set(city: City) -> None:
    assert _search(None, "organization", "党支部") == []
    assert _search(None, "roster_organization", "党支部") == []
    assert set(_keys(_search(None, "public_organization", "党支部"))) == {"D1E", "D1W", "D2V"}


def test_a_result_reads_with_its_path_found_in_one_query_for_all(city_admin: User, city: City) -> None:
    for n in range(5):
        make_organization(name=f"东社区第{n}党小组", parent=city.east, kind=Organization.Kind.GROUP)
    kind = picker_kind("organization")
    assert kind is not None
    with CaptureQueriesContext(connection) as queries:
        choices = picker_search(user=city_admin, kind=kind, query="东社区")
    assert len(choices) == 6
    assert choices[0].key == "D1E" and choices[0].path == "中共城区委员会"
    assert choices[1].path == "中共城区委员会 › 东社区党支部"
    assert choices[1].full.endswith("东社区党支部 › 东社区第0党小组")
    # the user's roles, the results, their ancestors: never one query per row
    assert len(queries) <= 4


def test_results_are_bounded(city_admin: User, city: City) -> None:
    for n in range(MAX_RESULTS + 5):
        make_organization(name=f"测试小组{n}", parent=city.east, kind=Organization.Kind.GROUP)
    assert len(_search(city_admin, "organization", "测试小组")) == MAX_RESULTS


def test_hostile_text_finds_nothing_and_breaks_nothing(city_admin: User, city: City) -> None:
    for text in (
        "",
        "   ",
        "x" * 10_000,
        "' OR 1=1 --",
        "%",
        "_",
        "\x00党",
        "D1E'; DROP TABLE organizations_organization;",
    ):
        choices = _search(city_admin, "organization", text)
        assert all(c.key in {"ROOT", "D1", "D1E", "D1W", "D2", "D2V"} for c in choices)
    assert _search(city_admin, "organization", "%") == []
    assert Organization.objects.count() == 6


def test_the_community_kind_offers_only_community_and_village_organizations(city: City) -> None:
    make_organization(name="城区机关党支部", parent=city.district, sector=Organization.Sector.ORGAN, code="D1G")
    assert set(_keys(_search(None, "community", "党支部"))) == {"D1E", "D1W", "D2V"}


def test_a_resident_browses_areas_from_district_to_community(city: City) -> None:
    street = make_area(name="千岛街道", kind=Area.Kind.TOWN, parent=Area.objects.get(name="城区"))
    make_area(name="怡岛社区", kind=Area.Kind.COMMUNITY, parent=street)
    kind = picker_kind("area")
    assert kind is not None
    top = picker_browse(user=None, kind=kind, parent=None)
    assert [c.label for c in top.choices] == ["城区", "岛县"]
    district = picker_browse(user=None, kind=kind, parent=top.choices[0].key)
    assert [c.label for c in district.choices] == ["千岛街道"] and district.up_key is None
    below = picker_browse(user=None, kind=kind, parent=district.choices[0].key)
    assert [c.full for c in below.choices] == ["城区 › 千岛街道 › 怡岛社区"]
    assert below.up_key == top.choices[0].key


def test_the_search_page_answers_a_partial_scoped_to_the_request_user(
    client: Client, branch_secretary: User, city: City
) -> None:
    assert client.login(username=branch_secretary.username, password=PASSWORD)
    url = reverse("picker_search", args=["organization"])
    html = client.get(url, {"input": "org_q", "org_q": "社区", "list": "id_org_list"}).content.decode()
    assert 'data-value="D1E"' in html and "D1W" not in html
    assert "<html" not in html


def test_the_search_page_refuses_an_unknown_kind_and_plain_names_only(client: Client, city: City) -> None:
    assert client.get(reverse("picker_search", args=["nothing"]), {"q": "a"}).status_code == 404
    html = client.get(
        reverse("picker_search", args=["area"]), {"q": "城区", "list": '"><script>alert(1)</script>'}
    ).content.decode()
    assert "<script>" not in html and 'id="picker-1"' in html


def test_the_tree_search_finds_an_organization_by_its_pinyin_initials(
    client: Client, branch_secretary: User, city: City
) -> None:
    assert client.login(username=branch_secretary.username, password=PASSWORD)
    html = client.get(reverse("organizations:tree"), {"q": "dsq"}).content.decode()
    assert "东社区党支部" in html and "西社区党支部" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 100_000},
        {"q": "\x00' OR '1'='1"},
        {"q": "%_%"},
        {"browse": "1", "parent": "' OR 1=1 --"},
        {"browse": "1", "parent": "\x00" * 50},
        {"input": "<svg>", "list": "x" * 500},
    ],
)
def test_the_search_page_answers_hostile_input_with_an_empty_bounded_partial(
    client: Client, city_admin: User, city: City, params: dict[str, str]
) -> None:
    assert client.login(username=city_admin.username, password=PASSWORD)
    response = client.get(reverse("picker_search", args=["organization"]), params)
    html = response.content.decode()
    assert response.status_code == 200 and "<svg>" not in html and len(html) < 20_000
    assert html.count('role="option"') <= MAX_RESULTS * 5

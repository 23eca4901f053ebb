"""The members API: masked numbers, the page filters, and the caller's scope."""

import pytest
from django.test import Client

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_members_come_masked_and_filtered_to_the_subtree(client: Client, district_admin: User, city: City) -> None:
    member = make_member(city.east, name="张海")
    make_member(city.other_branch, name="陈渔")
    client.login(username="district_admin", password=PASSWORD)
    body = client.get("/api/v1/members", {"org": "D1"}).json()
    assert [m["name"] for m in body["items"]] == ["张海"]
    item = body["items"][0]
    assert item["id_number"] == member.id_number_masked and member.id_number not in str(body)
    assert item["mobile"] == member.mobile_masked


def test_a_member_outside_scope_is_not_found(client: Client, branch_secretary: User, other_member: Member) -> None:
    client.login(username="branch_secretary", password=PASSWORD)
    assert client.get(f"/api/v1/members/{other_member.pk}").status_code == 404
    assert client.get("/api/v1/members", {"org": "D2"}).status_code == 404


def test_a_resident_cannot_list_members(client: Client, resident: User, east_member: Member) -> None:
    client.login(username="resident", password=PASSWORD)
    assert client.get("/api/v1/members").status_code == 404


def test_the_list_pages_by_cursor_in_pinyin_order_from_either_end(
    client: Client, branch_secretary: User, city: City
) -> None:
    for name in ("张三", "王海", "李四", "吴一", "安平"):
        make_member(city.east, name=name)
    make_member(city.west, name="阿西")
    client.login(username="branch_secretary", password=PASSWORD)
    first = client.get("/api/v1/members", {"page_size": 2}).json()
    assert [m["name"] for m in first["items"]] == ["安平", "李四"] and first["previous"] is None
    second = client.get("/api/v1/members", {"page_size": "2", "after": str(first["next"])}).json()
    assert [m["name"] for m in second["items"]] == ["王海", "吴一"]
    last = client.get("/api/v1/members", {"page_size": "2", "last": "true"}).json()
    assert last["previous"] is not None
    assert [m["name"] for m in last["items"]] == ["吴一", "张三"] and last["next"] is None
    back = client.get("/api/v1/members", {"page_size": "2", "before": str(last["previous"])}).json()
    assert [m["name"] for m in back["items"]] == ["李四", "王海"]
    assert "count" not in first


def test_a_malformed_cursor_is_a_400_naming_the_parameter(client: Client, branch_secretary: User, city: City) -> None:
    make_member(city.east, name="张海")
    client.login(username="branch_secretary", password=PASSWORD)
    response = client.get("/api/v1/members", {"after": "W10"}, HTTP_ACCEPT_LANGUAGE="en")  # not this list's key
    assert response.status_code == 400
    assert response.json()["detail"] == "after must be a position in this list, as its links give it."
    assert "张海" not in response.text
    chinese = client.get("/api/v1/members", {"after": "W10"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 400
    assert chinese.json()["detail"] == "after 必须是此列表中的位置，即列表的翻页链接所给的值。"

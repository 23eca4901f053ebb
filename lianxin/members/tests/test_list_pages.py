"""The member list's keyset pages: pinyin order, initials, first and last pages, cursors and scope."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry, Event
from lianxin.core.params import cursor_text
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.members.views import roster as roster_views

pytestmark = pytest.mark.django_db

URL = reverse("members:list")


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/members/\d+/">([^<]+)</a>', page)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="\?([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def _full_order(organization_paths: tuple[str, ...] = ("",)) -> list[str]:
    qs = Member.objects.filter(organization__path__startswith=organization_paths[0])
    return list(qs.order_by("pinyin", "name", "id").values_list("name", flat=True))


def test_the_list_is_in_pinyin_order_and_a_letter_opens_it_at_that_initial(
    client: Client, branch_secretary: User, city: City
) -> None:
    for name in ("张三", "王海", "李四", "吴一", "安平", "王安"):
        make_member(city.east, name=name)
    client = _as(client, branch_secretary)
    assert _names(client.get(URL).content.decode()) == ["安平", "李四", "王安", "王海", "吴一", "张三"]
    page = client.get(URL, {"letter": "W"}).content.decode()
    assert _names(page)[0] == "王安"  # wa: the first whose initials begin with w
    assert 'aria-current="true">W</a>' in page and "« " in page  # back to the first page is offered
    # No one at x: the page opens at the next initial there is.
    assert _names(client.get(URL, {"letter": "x"}).content.decode())[0] == "张三"


def test_next_and_previous_walk_every_member_once_and_last_is_the_end_of_the_order(
    client: Client, branch_secretary: User, city: City
) -> None:
    for _ in range(roster_views.PAGE_SIZE + 7):
        make_member(city.east)
    client = _as(client, branch_secretary)
    ordered = _full_order((city.east.path,))
    first = client.get(URL).content.decode()
    assert _names(first) == ordered[: roster_views.PAGE_SIZE] and _link(first, "prev") is None
    after = _link(first, "next")
    assert after is not None
    second = client.get(f"{URL}?{after}").content.decode()
    assert _names(second) == ordered[roster_views.PAGE_SIZE :] and _link(second, "next") is None
    last = client.get(URL, {"last": "1"}).content.decode()
    assert _names(last) == ordered[-roster_views.PAGE_SIZE :]
    before = _link(last, "prev")
    assert before is not None
    assert _names(client.get(f"{URL}?{before}").content.decode()) == ordered[: roster_views.PAGE_SIZE]


def test_the_links_keep_the_filters(
    client: Client, branch_secretary: User, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        make_member(city.east, name=f"李{n}")
    make_member(city.east, name="王海")
    monkeypatch.setattr(roster_views, "PAGE_SIZE", 2)
    page = _as(client, branch_secretary).get(URL, {"q": "李"}).content.decode()
    after = _link(page, "next")
    assert after is not None and after.startswith("q=%E6%9D%8E&after=")
    assert _names(client.get(f"{URL}?{after}").content.decode()) == ["李2"]
    assert 'href="?q=%E6%9D%8E&amp;letter=a"' in page


@pytest.mark.parametrize(
    "params",
    [
        {"after": "not a cursor"},
        {"before": cursor_text(["a", "b"])},
        {"after": cursor_text(["a", "b", "1"])},
        {"after": cursor_text(["a\x00", "b", 1])},
        {"letter": "ab"},
        {"letter": "王"},
    ],
)
def test_a_malformed_position_is_a_400_that_shows_nobody_and_writes_nothing(
    client: Client, branch_secretary: User, city: City, params: dict[str, str]
) -> None:
    make_member(city.east, name="张海")
    client = _as(client, branch_secretary)
    events, audits = Event.objects.count(), AuditEntry.objects.count()
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert "张海" not in page and "member-table" not in page
    assert "must be a position in this list" in page or "one letter from A to Z" in page
    chinese = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "必须是此列表中的位置" in chinese or "必须是 A 到 Z 之间的一个字母" in chinese
    assert (Event.objects.count(), AuditEntry.objects.count()) == (events, audits)


def test_a_cursor_from_another_scope_shows_nothing_out_of_scope(
    client: Client, branch_secretary: User, city: City
) -> None:
    outside = make_member(city.west, name="西支部党员")
    make_member(city.west, name="阿西")
    inside = make_member(city.east, name="张东")
    client = _as(client, branch_secretary)
    for cursor in (cursor_text([outside.pinyin, outside.name, outside.pk]), cursor_text(["", "", 1])):
        for direction in ("after", "before"):
            response = client.get(URL, {direction: cursor})
            page = response.content.decode()
            assert response.status_code == 200
            assert "西支部党员" not in page and "阿西" not in page
            assert set(_names(page)) <= {inside.name}
    assert client.get(URL, {"org": "D1W", "after": cursor}).status_code == 404


def test_a_branch_secretary_pages_only_through_the_branch(
    client: Client, branch_secretary: User, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(5):
        make_member(city.east)
        make_member(city.west)
    monkeypatch.setattr(roster_views, "PAGE_SIZE", 2)
    client = _as(client, branch_secretary)
    seen: list[str] = []
    query: str | None = ""
    while query is not None:
        page = client.get(f"{URL}?{query}").content.decode()
        seen += _names(page)
        query = _link(page, "next")
    last = _names(client.get(URL, {"last": "1"}).content.decode())
    assert seen == _full_order((city.east.path,)) and last == seen[-2:]


def test_the_count_is_exact_up_to_its_limit_and_bounded_beyond(
    client: Client, district_admin: User, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(4):
        make_member(city.east)
    client = _as(client, district_admin)
    assert re.search(r'id="member-count">\D*4\D', client.get(URL).content.decode())
    monkeypatch.setattr(roster_views, "COUNT_LIMIT", 3)
    page = client.get(URL).content.decode()
    assert re.search(r'id="member-count">\D*3\D', page) and not re.search(r'id="member-count">\D*4\D', page)

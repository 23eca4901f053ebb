"""The member list as it is read under load: a fixed number of queries, the figure from the tallies
when the tallies know it, and rows worked out by the view that show what they showed before."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.keyset import Position
from lianxin.core.models import TallyRun
from lianxin.core.tallies import tallies_refresh
from lianxin.members.models import Member
from lianxin.members.selectors.roster import MemberFilters, member_list_page
from lianxin.members.tests.factories import make_member
from lianxin.members.views import roster as roster_views

pytestmark = pytest.mark.django_db

URL = reverse("members:list")
# Session, user (with their member record, for the navigation), roles, the unread notifications,
# the page's rows (read with their keys, core.keyset), and the figure (from the tallies, or counted
# when they cannot say).
QUERIES = 6


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _count_text(page: str) -> str:
    found = re.search(r'id="member-count">(.*?)</p>', page, re.S)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found.group(1))


def _queries(client: Client, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["city_admin", "district_admin", "branch_secretary"])
def test_a_page_of_the_list_costs_the_same_few_queries_however_many_rows_it_shows(
    client: Client, city: City, who: str, request: pytest.FixtureRequest
) -> None:
    client = _as(client, request.getfixturevalue(who))
    make_member(city.east)
    tallies_refresh()
    assert _queries(client) == QUERIES
    for n in range(60):
        make_member(city.east, is_mobile=n % 3 == 0, category=Member.Category.PROBATIONARY, full_on=None)
    tallies_refresh()
    assert _queries(client) == QUERIES
    assert _queries(client, {"last": "1"}) == QUERIES
    # Filtered on what the tallies do not hold, the list is counted instead: the same number of queries.
    assert _queries(client, {"flag": "is_mobile"}) == QUERIES
    # Filtered on an organization: it is found once (the picker shows the one the filter found) and
    # its path's names are read for the picker.
    assert _queries(client, {"org": city.east.code}) == QUERIES + 2


def test_the_unfiltered_figure_is_the_tallies_with_their_time_and_a_filtered_one_is_counted(
    client: Client, district_admin: User, city: City
) -> None:
    for _ in range(3):
        make_member(city.east)
    make_member(city.west, is_mobile=True)
    make_member(city.other_branch)  # outside the district admin's scope
    tallies_refresh()
    at = timezone.localtime(TallyRun.objects.get(name="members").refreshed_at)
    make_member(city.east)  # after the refresh: on the list at once, in the figure at the next refresh
    client = _as(client, district_admin)

    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _count_text(page) == f"4 people · Counts as of {at:%H:%M}."
    assert f'datetime="{at.isoformat()}"' in page
    assert len(re.findall(r'href="/members/\d+/"', page)) == 5
    chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"共4人 · 人数统计截至 {at:%H:%M}。" in _count_text(chinese)

    # An organization and a category are tallied too: the figure of that subtree and those categories.
    east = _count_text(client.get(URL, {"org": "D1E"}, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert east == f"3 people · 东社区党支部and everything under it · Counts as of {at:%H:%M}."
    assert _count_text(client.get(URL, {"category": "former"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()) == (
        f"0 people · Counts as of {at:%H:%M}."
    )

    # Any other filter is counted now, exactly, without a time.
    counted = (({"flag": "is_mobile"}, "1 person"), ({"q": "党员"}, "5 people"), ({"sector": "community"}, "5 people"))
    for params, n in counted:
        assert _count_text(client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()) == n, params


def test_before_the_first_refresh_the_list_is_counted(client: Client, branch_secretary: User, city: City) -> None:
    make_member(city.east)
    make_member(city.east)
    page = _as(client, branch_secretary).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _count_text(page) == "2 people"
    assert "Counts as of" not in page


def test_a_large_tallied_figure_is_shown_in_full_not_as_more_than_the_limit(
    client: Client, city_admin: User, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(4):
        make_member(city.east)
    tallies_refresh()
    monkeypatch.setattr(roster_views, "COUNT_LIMIT", 3)
    client = _as(client, city_admin)
    assert _count_text(client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()).startswith("4 people · ")
    assert _count_text(client.get(URL, {"q": "党员"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()) == (
        "more than 3 people"
    )
    at = timezone.now()
    monkeypatch.setattr(roster_views, "member_list_tallied", lambda **kwargs: (900_370, at))
    assert _count_text(client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()).startswith("900,370 people · ")
    assert re.match(r"共900,?370人 · ", _count_text(client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()))


def test_a_row_shows_the_member_as_before(client: Client, branch_secretary: User, city: City) -> None:
    today = timezone.localdate()
    full = make_member(city.east, name="甲正式", is_mobile=True, is_abroad=True, female=True)
    overdue = make_member(
        city.east,
        name="乙预备",
        category=Member.Category.PROBATIONARY,
        joined_on=today - timedelta(days=3 * 365),
        full_on=None,
        is_lost_contact=True,
        lost_contact_since=date(2020, 1, 1),
    )
    page = _as(client, branch_secretary).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = dict(re.findall(r'<a href="/members/(\d+)/">[^<]+</a>(.*?)</tr>', page, re.S))
    cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[str(full.pk)], re.S)]
    masked = full.id_number[:4] + "**********" + full.id_number[-4:]
    age = str(full.party_age(today))
    assert cells == [
        "female",
        masked,
        "full member",
        "东社区党支部",
        "2005-07-01",
        age,
        '<span class="badge">mobile</span> <span class="badge">abroad</span>',
    ]
    cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[str(overdue.pk)], re.S)]
    assert cells[2] == "probationary member" and cells[5] == "—"
    lost = '<span class="badge badge-warn">lost contact</span>'
    assert cells[6].startswith(f'{lost} <span class="badge badge-red" title="')
    assert cells[6].count("badge-red") == 2  # full membership overdue, and lost contact for too long
    chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "正式党员" in chinese and "失联" in chinese


def test_a_page_reads_only_the_columns_it_shows(branch_secretary: User, city: City) -> None:
    make_member(city.east)
    page = member_list_page(
        user=branch_secretary, filters=MemberFilters(), today=timezone.localdate(), position=Position(), size=50
    )
    (member,) = page.object_list
    assert {"mobile", "home_address", "work_unit"} <= member.get_deferred_fields()
    assert "id_number" not in member.get_deferred_fields()


def test_a_rows_values_are_escaped(client: Client, branch_secretary: User, city: City) -> None:
    city.east.short_name = '东<b>社区</b> & "党支部"'
    city.east.save(update_fields=["short_name"])
    make_member(city.east, name="张三")
    page = _as(client, branch_secretary).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "东&lt;b&gt;社区&lt;/b&gt; &amp; &quot;党支部&quot;" in page and "<b>社区" not in page

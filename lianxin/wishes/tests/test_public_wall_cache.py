"""The public pages (wish wall, service menu) are kept rendered for anonymous visitors,
and never shown stale after a change.

The wall's speed under load (docs/performance.md, issue 3) rests on this cache; these tests
pin down that it changes nothing a visitor or a member can see.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.tests.factories import make_item, make_team
from lianxin.wishes.services import wish_claim
from lianxin.wishes.tests.factories import make_wish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def test_a_second_anonymous_view_of_the_wall_costs_one_small_query(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    make_wish(city.east, posted_by=resident, reviewer=branch_secretary, title="第一个心愿")
    first = client.get(reverse("wishes:wall"))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("wishes:wall"))
    assert len(queries.captured_queries) == 1
    assert second.context["wall_body"] == first.context["wall_body"]  # the same body; only the CSRF token differs
    assert second.context["figures"].posted == 1
    assert "第一个心愿" in second.content.decode() and "王**" in second.content.decode()


def test_a_claim_shows_on_the_cached_wall_at_once(
    client: Client, city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary, title="马上被认领的心愿")
    assert "马上被认领的心愿" in client.get(reverse("wishes:wall")).content.decode()
    wish_claim(wish=wish, actor=member_user)
    response = client.get(reverse("wishes:wall"))
    assert "马上被认领的心愿" not in response.content.decode()  # the open wall lists open wishes only
    assert response.context["figures"].claimed == 1


def test_members_get_their_own_freshly_rendered_wall_with_claim_buttons(
    client: Client, city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    anonymous = client.get(reverse("wishes:wall")).content.decode()
    assert 'action="/wishes/' not in anonymous
    assert client.login(username=member_user.username, password=PASSWORD)
    mine = client.get(reverse("wishes:wall")).content.decode()
    assert "/claim/" in mine
    assert "member" in mine  # the header names the member: nothing from the anonymous page was reused


def test_the_public_menu_is_kept_for_anonymous_visitors_and_renewed_by_a_change(client: Client, city: City) -> None:
    team = make_team(city.district, name="城区红马甲服务队")
    make_item(team, title="社区义诊")
    client.get(reverse("volunteering:menu"))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("volunteering:menu")).content.decode()
    assert len(queries.captured_queries) == 1 and "社区义诊" in again
    make_item(team, title="法律咨询进社区", category_code="legal_advice")
    assert "法律咨询进社区" in client.get(reverse("volunteering:menu")).content.decode()

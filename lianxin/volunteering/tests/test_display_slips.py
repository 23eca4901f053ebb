"""What the volunteering pages show: counts on the team list, the category filter's tree, a
session's time range, numbers written one way."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.models import SignUp
from lianxin.volunteering.selectors.catalogue import menu_categories
from lianxin.volunteering.services.catalogue import team_member_add
from lianxin.volunteering.tests.factories import make_item, make_leader, make_team, make_user, seed_categories
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, make_volunteer, signed_up

pytestmark = pytest.mark.django_db


def client_for(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _cells(html: str, name: str) -> list[str]:
    row = re.search(rf"<tr>\s*<td[^>]*><a [^>]*>{name}</a>.*?</tr>", html, re.S)
    assert row is not None, name
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]


def test_the_team_list_shows_each_teams_volunteers_and_services(city: City, district_admin: User) -> None:
    team = make_team(city.district, actor=district_admin, leader=make_leader(), name="红马甲服务队")
    for n in range(3):
        team_member_add(team=team, actor=district_admin, user=make_user(f"helper{n}"))
    make_item(team, title="义诊")
    make_item(team, title="理发")

    page = client_for(district_admin).get(reverse("volunteering:team_list"))

    cells = _cells(page.content.decode(), "红马甲服务队")
    assert cells[-2:] == ["3", "2"]


def test_the_category_filter_lists_each_sub_kind_under_its_own_parent() -> None:
    seed_categories()

    codes = [c.code for c in menu_categories()]

    assert codes.index("free_clinic") == codes.index("medical") + 1
    assert codes.index("massage") == codes.index("medical") + 2
    assert codes.index("flood_warning") == codes.index("public_safety") + 1
    assert codes.index("legal_advice") == codes.index("public_welfare") + 1
    assert codes[0] == "pairing" and codes[1] == "party_lecture"


def test_the_menu_page_indents_sub_kinds_right_after_their_parent(client: Client) -> None:
    seed_categories()
    html = client.get(reverse("volunteering:menu"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    options = re.findall(r'<option value="([a-z_]+)"', html)
    assert options[options.index("medical") : options.index("medical") + 3] == ["medical", "free_clinic", "massage"]


def test_the_session_list_shows_the_time_as_a_range(city: City) -> None:
    team = make_led_team(city.east)
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    make_session(team, starts_at=start, hours=2.5, title="社区义诊")

    for language in ("zh-hans", "en"):
        html = client_for(make_volunteer(city.east), language).get(reverse("volunteering:session_list")).content
        assert "09:00–11:30" in html.decode()
        assert "变动后" not in html.decode()


def test_hours_and_counts_read_the_same_way_on_the_service_record(city: City) -> None:
    team = make_led_team(city.east)
    volunteer = make_volunteer(city.east)
    session = make_session(team)
    signup = signed_up(session, volunteer)
    SignUp.objects.filter(pk=signup.pk).update(hours=Decimal("2.0"))
    other = signed_up(make_session(team, starts_at=session.ends_at + timedelta(days=1)), volunteer)
    SignUp.objects.filter(pk=other.pk).update(hours=Decimal("1.5"))

    with translation.override("en"):
        html = client_for(volunteer).get(reverse("volunteering:my_service_record")).content.decode()

    assert '<strong id="total-hours">3.5</strong>' in html
    assert '<td class="num">2</td>' in html and '<td class="num">1.5</td>' in html
